"""Oversight of lower offices' decisions, reception statistics, redirects by agency."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.auth import Overseer
from api.deps import ContainerDep
from api.schemas import AUTH_PROBLEMS
from api.scope import in_scope
from domain.access import Principal
from domain.errors import InvalidCommand
from projections.oversight_queries import Scope

router = APIRouter(prefix="/oversight", tags=["oversight"], responses=AUTH_PROBLEMS)

FromDay = Annotated[
    date | None, Query(alias="from", description="First day of the period (default: 30 days ago).")
]
ToDay = Annotated[date | None, Query(alias="to", description="Last day (default: today).")]
Under = Annotated[
    str | None,
    Query(max_length=64, description="Only this office and the offices below it."),
]


class DecisionRow(BaseModel):
    key: str = Field(description="The region, office or prosecutor the row counts.")
    received: int
    decided: int
    satisfied: int
    partially_satisfied: int
    explained: int
    refused: int
    decided_late: int
    refusals_by_ground: dict[str, int]
    redirected: int
    redirected_late: int
    reviewed: int
    upheld: int
    overturned: int
    reviews_pending: int
    deemed_refused: int
    overdue_now: int
    refusal_rate: float | None
    overturn_rate: float | None
    late_redirect_rate: float | None
    deemed_refusal_rate: float | None


class DecisionsReport(BaseModel):
    start: date
    end: date
    under: str | None
    group_by: str
    rows: list[DecisionRow]


class CentreRow(BaseModel):
    centre: str
    citizens_received: int
    given_legal_help: int
    applications_accepted: int
    helped_by_psychologist: int
    helped_by_lawyers: int


class ReceptionReport(BaseModel):
    start: date
    end: date
    centres: list[CentreRow]


class AgencyRow(BaseModel):
    agency: str
    redirected: int
    late: int
    urgent: int
    on_time_rate: float | None
    avg_working_days: float


class RedirectsReport(BaseModel):
    start: date
    end: date
    agencies: list[AgencyRow]


def scope_of(
    container: Any,
    principal: Principal,
    start: date | None,
    end: date | None,
    under: str | None,
) -> Scope:
    """The period, and the offices counted: ``under`` (default: the user's own office)
    and everything below it, never beyond the user's scope."""
    today = container.service.today()
    end = end or today
    start = start or end - timedelta(days=30)
    if start > end:
        raise InvalidCommand("The period's first day (from) is after its last (to).", field="to")
    directory = container.service.offices
    root = in_scope(principal, directory, under or principal.office, "under")
    offices = (
        None if directory.get(root).parent is None else [o.code for o in directory.subtree(root)]
    )
    return Scope(start=start, end=end, offices=offices)


@router.get("/decisions")
def decisions(
    container: ContainerDep,
    principal: Overseer,
    start: FromDay = None,
    end: ToDay = None,
    under: Under = None,
    group_by: Literal["region", "office", "prosecutor"] = "region",
) -> DecisionsReport:
    """Decisions of the offices in scope over the period, with rates between them."""
    scope = scope_of(container, principal, start, end, under)
    rows = container.oversight.decisions(scope, group_by, container.service.today())
    return DecisionsReport(
        start=scope.start,
        end=scope.end,
        under=under,
        group_by=group_by,
        rows=[DecisionRow(**row) for row in rows],
    )


@router.get("/reception-statistics")
def reception_statistics(
    container: ContainerDep,
    principal: Overseer,
    start: FromDay = None,
    end: ToDay = None,
    under: Under = None,
) -> ReceptionReport:
    """Per reception centre: citizens received, given legal help, applications accepted
    (with instructions to regions), helped by the psychologist, by lawyers."""
    scope = scope_of(container, principal, start, end, under)
    rows = container.oversight.reception_statistics(scope)
    return ReceptionReport(
        start=scope.start, end=scope.end, centres=[CentreRow(**row) for row in rows]
    )


@router.get("/redirects")
def redirects(
    container: ContainerDep,
    principal: Overseer,
    start: FromDay = None,
    end: ToDay = None,
    under: Under = None,
) -> RedirectsReport:
    """Redirects by receiving agency, with how many were late (over 3 working days)."""
    scope = scope_of(container, principal, start, end, under)
    rows = container.oversight.redirects_by_agency(scope)
    return RedirectsReport(
        start=scope.start, end=scope.end, agencies=[AgencyRow(**row) for row in rows]
    )
