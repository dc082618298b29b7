"""Oversight of lower offices' decisions, reception statistics, redirects by agency."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.auth import Overseer
from api.deps import ContainerDep
from api.parameters import Day
from api.schemas import AUTH_PROBLEMS
from api.scope import in_scope
from domain.access import Principal
from domain.errors import InvalidCommand
from projections.oversight_queries import Scope

router = APIRouter(prefix="/oversight", tags=["oversight"], responses=AUTH_PROBLEMS)

FromDay = Annotated[
    Day | None, Query(alias="from", description="First day of the period (default: 30 days ago).")
]
ToDay = Annotated[Day | None, Query(alias="to", description="Last day (default: today).")]
Under = Annotated[
    str | None,
    Query(max_length=64, description="Only this office and the offices below it."),
]


class DecisionRow(BaseModel):
    """The cohort of appeals received in the period, counted where they belong, and
    what became of each: ``decided`` + ``deemed_refused`` + ``redirected`` +
    ``not_considered`` + ``reversed`` + ``enquiry`` + ``open`` = ``received``. Every rate is a part
    of its whole, so none can pass 1."""

    key: str = Field(description="The region, office or prosecutor the row counts.")
    received: int = Field(description="Appeals received in the period: the cohort.")
    decided: int = Field(description="Answered on the merits (refusals included).")
    satisfied: int
    partially_satisfied: int
    explained: int
    refused: int = Field(description="Answered with a refusal that stands.")
    decided_late: int = Field(description="Of the decided, answered after the due date.")
    refusals_by_ground: dict[str, int]
    deemed_refused: int = Field(description="No answer within the term (APPK art. 91).")
    redirected: int
    redirected_late: int = Field(description="Of the redirected, after 3 working days.")
    not_considered: int = Field(description="Set aside (anonymous).")
    reversed: int = Field(
        description="Answer overturned by a higher office and not yet given again; counts "
        "against the office whose answer it was."
    )
    enquiry: int = Field(description="Enquiries answered on the spot (no term).")
    open: int = Field(description="Not answered yet (received, in progress, reopened).")
    overdue_now: int = Field(description="Of the open, past their due date today.")
    reviewed: int = Field(description="Appeals whose answer a higher office reviewed.")
    upheld: int
    overturned: int = Field(description="Of the reviewed, with the answer overturned.")
    reviews_pending: int = Field(description="Case file demanded, no review yet.")
    notices_overdue: int = Field(
        description="Appeals with a notice to the applicant not sent by its day."
    )
    refusal_rate: float | None = Field(description="refused / decided")
    late_decision_rate: float | None = Field(description="decided_late / decided")
    deemed_refusal_rate: float | None = Field(description="deemed_refused / received")
    late_redirect_rate: float | None = Field(description="redirected_late / redirected")
    overturn_rate: float | None = Field(description="overturned / reviewed")
    reversal_rate: float | None = Field(description="reversed / received")
    open_rate: float | None = Field(description="open / received")
    enquiry_rate: float | None = Field(description="enquiry / received")
    overdue_rate: float | None = Field(description="overdue_now / open")
    notice_overdue_rate: float | None = Field(description="notices_overdue / received")


class DecisionsReport(BaseModel):
    start: Day
    end: Day
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
    start: Day
    end: Day
    centres: list[CentreRow]


class AgencyRow(BaseModel):
    agency: str
    redirected: int
    late: int
    urgent: int
    on_time_rate: float | None
    avg_working_days: float


class RedirectsReport(BaseModel):
    start: Day
    end: Day
    agencies: list[AgencyRow]


def scope_of(
    container: Any,
    principal: Principal,
    start: Day | None,
    end: Day | None,
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
    """What became of the appeals received in the period by the offices in scope: a
    cohort per region, office or prosecutor, with shares that cannot pass 100%."""
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
