"""Request and response bodies, as the OpenAPI document shows them."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.channels import Channel


class ReceiveAppeal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    channel: Channel = Field(description="How the appeal reached the service.")
    office: str = Field(min_length=1, max_length=64, description="Code of the receiving office.")
    summary: str = Field(min_length=1, max_length=4000, description="What the appeal is about.")


class AssignAppeal(BaseModel):
    model_config = ConfigDict(extra="forbid")

    assignee: str = Field(min_length=1, max_length=128, description="The prosecutor's id.")
    office: str = Field(min_length=1, max_length=64, description="The prosecutor's office code.")


class CommandResult(BaseModel):
    appeal_id: UUID
    version: int = Field(description="The appeal's version after the command.")
    position: int | None = Field(
        description="Position of the command's last event in the event store; "
        "null when nothing new was recorded (an idempotent retry)."
    )


class AppealState(BaseModel):
    appeal_id: UUID
    version: int
    channel: str
    office: str
    summary: str
    received_at: datetime
    received_by: str
    assignee: str | None
    closed: bool


class HistoryEntry(BaseModel):
    version: int
    position: int
    event_id: str
    type: str
    occurred_at: datetime
    actor: str
    office: str
    data: dict[str, Any]


class AppealHistoryOut(BaseModel):
    appeal_id: UUID
    events: list[HistoryEntry]


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    rule: str
    field: str | None = None
