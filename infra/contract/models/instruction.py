"""The data of the published instruction events (appeals.instruction.*)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field

from infra.contract.models.common import AddresseeRegion, Code, EventData


class Addressed(EventData):
    addressee_office: Code
    """Code of the addressee office."""
    addressee_region: AddresseeRegion


class Issued(EventData):
    """An office issued an instruction to a lower-ranking office, with a due date. The subject and body are not published; read them through GET /instructions/{id}."""  # noqa: E501

    issuing_office: Code
    """Code of the issuing office."""
    addressee_office: Code
    """Code of the addressee office."""
    addressee_region: AddresseeRegion
    due_on: Annotated[
        date, Field(description="The instruction is due by the end of this day (Kazakhstan time).")
    ]
    appeal_id: Annotated[
        UUID | None, Field(description="The appeal the instruction concerns, if any.")
    ]


class Received(Addressed):
    """The addressee office received the instruction."""

    received_at: datetime
    """When it was received (given by the caller or the time of the command)."""


class Acknowledged(Addressed):
    """The addressee office accepted the instruction for execution."""


class Executed(Addressed):
    """The addressee office reported the instruction executed. The report is not published."""

    late: Annotated[bool, Field(description="True when executed after the due date.")]


class MarkedOverdue(Addressed):
    """The instruction's due date passed without execution. Recorded once per instruction."""

    due_on: date
    """The due date that passed."""
