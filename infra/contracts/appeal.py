from __future__ import annotations

from domain.appeal import Appeal
from infra.contracts.base import PublicType

APPEAL_TYPES: dict[type, PublicType] = {
    Appeal.Received: PublicType(
        "appeal.received",
        1,
        lambda e: {"channel": e.channel, "office": e.office},
        lambda e: e.office,
    ),
    Appeal.Assigned: PublicType(
        "appeal.assigned",
        1,
        lambda e: {"assignee": e.assignee, "office": e.office},
        lambda e: e.office,
    ),
}
