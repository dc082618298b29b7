"""Commands on appeals and the history query."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Response, status

from api.consistency import MinPositionDep
from api.deps import ActorDep, ContainerDep, ExpectedVersionDep, ServiceDep
from api.schemas import (
    AppealHistoryOut,
    AppealState,
    AssignAppeal,
    CommandResult,
    HistoryEntry,
    Problem,
    ReceiveAppeal,
)
from domain.errors import AppealNotFound
from domain.service import Outcome

router = APIRouter(prefix="/appeals", tags=["appeals"])

PROBLEMS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such appeal."},
    409: {"model": Problem, "description": "The command conflicts with the appeal's state."},
    422: {"model": Problem, "description": "The input breaks a rule; nothing was recorded."},
}


def _result(outcome: Outcome, response: Response) -> CommandResult:
    response.headers["ETag"] = f'"{outcome.version}"'
    response.headers["Location"] = f"/appeals/{outcome.appeal_id}"
    return CommandResult(
        appeal_id=outcome.appeal_id, version=outcome.version, position=outcome.position
    )


@router.post("", status_code=status.HTTP_201_CREATED, responses=PROBLEMS)
def receive_appeal(
    body: ReceiveAppeal,
    response: Response,
    service: ServiceDep,
    actor: ActorDep,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Retrying with the same key creates nothing new."),
    ] = None,
) -> CommandResult:
    outcome = service.receive_appeal(
        channel=body.channel.value,
        office=body.office,
        summary=body.summary,
        actor=actor,
        idempotency_key=idempotency_key,
    )
    if not outcome.created:
        response.headers["Idempotent-Replayed"] = "true"
    return _result(outcome, response)


@router.post("/{appeal_id}/assignment", responses=PROBLEMS)
def assign_appeal(
    appeal_id: UUID,
    body: AssignAppeal,
    response: Response,
    service: ServiceDep,
    actor: ActorDep,
    expected_version: ExpectedVersionDep,
) -> CommandResult:
    outcome = service.assign_appeal(
        appeal_id,
        assignee=body.assignee,
        office=body.office,
        actor=actor,
        expected_version=expected_version,
    )
    return _result(outcome, response)


@router.get("/{appeal_id}", responses=PROBLEMS)
def get_appeal(appeal_id: UUID, response: Response, service: ServiceDep) -> AppealState:
    appeal = service.get_appeal(appeal_id)
    response.headers["ETag"] = f'"{appeal.version}"'
    return AppealState(
        appeal_id=appeal.id,
        version=appeal.version,
        channel=appeal.channel,
        office=appeal.office,
        summary=appeal.summary,
        received_at=appeal.received_at,
        received_by=appeal.received_by,
        assignee=appeal.assignee,
        closed=appeal.closed,
    )


@router.get(
    "/{appeal_id}/history",
    responses={
        **PROBLEMS,
        503: {"model": Problem, "description": "Not at `min_position` in time; see Retry-After."},
    },
)
def appeal_history(
    appeal_id: UUID, container: ContainerDep, _: MinPositionDep = None
) -> AppealHistoryOut:
    rows = container.history.history(appeal_id)
    if not rows:
        raise AppealNotFound(
            f"No history for appeal {appeal_id} yet; if it was just received, retry shortly."
        )
    return AppealHistoryOut(appeal_id=appeal_id, events=[HistoryEntry(**row) for row in rows])
