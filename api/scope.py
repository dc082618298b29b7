"""Office scoping: a user sees and acts within their office and the offices below it.
Something outside answers 404 (its existence is not revealed); an office named in a
request outside the scope, or an office the client tries to act as, is refused."""

from __future__ import annotations

from uuid import UUID

from domain.access import Principal, in_scope
from domain.appeal import Appeal
from domain.commands.bus import visible
from domain.errors import AppealNotFound
from domain.offices import OfficeDirectory
from domain.service import AppealsService, Guard


def scope_guard(principal: Principal, offices: OfficeDirectory) -> Guard:
    """Refuses, as if it did not exist, an appeal outside the user's scope: it is seen
    by the offices at or above the office holding it or the one that received it."""

    def guard(appeal: Appeal) -> None:
        if not visible(principal, appeal, offices):
            raise AppealNotFound(f"No appeal has id {appeal.id}.")

    return guard


def visible_appeal(service: AppealsService, principal: Principal, appeal_id: UUID) -> Appeal:
    appeal = service.get_appeal(appeal_id)
    scope_guard(principal, service.offices)(appeal)
    return appeal


def visible_offices(principal: Principal, offices: OfficeDirectory) -> list[str] | None:
    """The office codes a user may see, or None for all (the root office)."""
    if offices.get(principal.office).parent is None:
        return None
    return [o.code for o in offices.subtree(principal.office)]


__all__ = ["in_scope", "scope_guard", "visible_appeal", "visible_offices"]
