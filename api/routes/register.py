"""The appeal register: filter, sort and page through appeals (read model)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from api.auth import Reader
from api.deps import ContainerDep
from api.parameters import Day
from api.schemas import AUTH_PROBLEMS
from api.scope import visible_offices
from projections.register import RegisterFilter

router = APIRouter(prefix="/appeals", tags=["register"], responses=AUTH_PROBLEMS)


class RegisterRow(BaseModel):
    appeal_id: UUID
    version: int
    status: str
    channel: str
    receiving_office: str
    office: str
    region: str
    assignee: str | None
    anonymous: bool
    received_on: Day
    due_on: Day
    overdue: bool
    outcome: str | None
    refusal_ground: str | None
    suspended_since: Day | None = Field(
        default=None, description="The term stands still from this day (not overdue)."
    )
    notices_overdue: list[str] = Field(
        default_factory=list,
        description="Notices to the applicant not sent by their day (receipt, answer, ...).",
    )
    file_held_by: str | None = Field(
        default=None,
        description="The higher office holding the case file, when it is not the appeal's own.",
    )


class RegisterPage(BaseModel):
    total: int = Field(
        description="How many appeals match: counted exactly up to 1,000; beyond, the "
        "database's estimate (then `total_exact` is false)."
    )
    total_exact: bool = Field(description="Whether `total` was counted (true) or estimated.")
    limit: int
    offset: int
    items: list[RegisterRow]


Status = Literal[
    "received",
    "in_progress",
    "not_considered",
    "redirected",
    "decided",
    "refusal_pending_explanation",
    "refused",
    "deemed_refused",
    "closed",
]


@router.get("")
def list_appeals(
    container: ContainerDep,
    principal: Reader,
    status: Status | None = None,
    region: Annotated[str | None, Query(max_length=64)] = None,
    office: Annotated[str | None, Query(max_length=64)] = None,
    assignee: Annotated[str | None, Query(max_length=128)] = None,
    channel: Literal[
        "call_centre_115",
        "electronic_portal",
        "written",
        "personal_reception",
        "law_enforcement_center",
    ]
    | None = None,
    received_from: Day | None = None,
    received_to: Day | None = None,
    due_before: Day | None = None,
    overdue: Annotated[
        bool, Query(description="Only open appeals whose due date has passed.")
    ] = False,
    sort: Literal["received_on", "due_on", "status", "office", "region", "updated_at"] = (
        "received_on"
    ),
    order: Literal["asc", "desc"] = "desc",
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> RegisterPage:
    """Appeals by status, region, office, assignee, channel, dates and deadlines."""
    today = container.service.today()
    total, rows = container.register.search(
        RegisterFilter(
            status=status,
            region=region,
            office=office,
            assignee=assignee,
            channel=channel,
            received_from=received_from,
            received_to=received_to,
            due_before=due_before,
            overdue_on=today if overdue else None,
            within=visible_offices(principal, container.service.offices),
        ),
        sort=sort,
        descending=order == "desc",
        limit=limit,
        offset=offset,
        today=today,
    )
    items = [RegisterRow(**row) for row in rows]
    return RegisterPage(
        total=total.count, total_exact=total.exact, limit=limit, offset=offset, items=items
    )
