"""Public mappings of the Instruction events.

The CloudEvent ``office`` of every instruction event is the addressee office, and the
data carries ``addressee_region`` so that a regional office's consumer can select
what is addressed to it and to the offices below it. Free text (subject, body,
report) is not published: it may name applicants, so it stays in the event store and
is read through ``GET /instructions/{id}``.
"""

from __future__ import annotations

from typing import Any

from domain.instruction import Instruction
from infra.contract.events.base import PublicType


def _addressee(e: Any) -> dict[str, Any]:
    return {"addressee_office": e.addressee_office, "addressee_region": e.addressee_region}


def _office(e: Any) -> str:
    office: str = e.addressee_office
    return office


INSTRUCTION_TYPES: dict[type, PublicType] = {
    Instruction.Issued: PublicType(
        "instruction.issued",
        1,
        lambda e: {
            "issuing_office": e.issuing_office,
            **_addressee(e),
            "due_on": e.due_on.isoformat(),
            "appeal_id": str(e.appeal_id) if e.appeal_id else None,
        },
        _office,
    ),
    Instruction.ReceivedByAddressee: PublicType(
        "instruction.received",
        1,
        lambda e: {**_addressee(e), "received_at": e.received_at.isoformat()},
        _office,
    ),
    Instruction.Acknowledged: PublicType("instruction.acknowledged", 1, _addressee, _office),
    Instruction.Executed: PublicType(
        "instruction.executed", 1, lambda e: {**_addressee(e), "late": e.late}, _office
    ),
    Instruction.MarkedOverdue: PublicType(
        "instruction.marked_overdue",
        1,
        lambda e: {**_addressee(e), "due_on": e.due_on.isoformat()},
        _office,
    ),
}
