"""The office hierarchy and the reception schedules of each office's officials."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Response, status

from api.auth import ReferenceReader, may_send
from api.deps import ExpectedVersionDep, ServiceDep
from api.reception_schemas import (
    ApproveSchedule,
    DelegateSession,
    OfficeDetail,
    OfficeOut,
    ReceptionDep,
    ReceptionResult,
    ScheduleOut,
)
from api.schemas import AUTH_PROBLEMS, Problem
from domain import commands
from domain.access import Principal
from domain.reception_errors import OfficeNotFound
from domain.reception_service import ReceptionService

router = APIRouter(prefix="/offices", tags=["offices"], responses=AUTH_PROBLEMS)

PROBLEMS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such office or schedule."},
    409: {"model": Problem, "description": "The command conflicts with the current state."},
    422: {"model": Problem, "description": "The input breaks a rule; nothing was recorded."},
}


def visible_office(reception: ReceptionService, principal: Principal, code: str) -> str:
    """An office whose schedules the user may address: their own or one below it. The
    directory itself is public; another region's reception answers 404."""
    office = reception.office(code).code
    if not principal.sees(office, reception.offices):
        raise OfficeNotFound(
            f"{code} is outside your office ({principal.office}) and the offices below it."
        )
    return office


MayApprove = Annotated[Principal, Depends(may_send(commands.ApproveSchedule))]
MayDelegate = Annotated[Principal, Depends(may_send(commands.DelegateSession))]


@router.get("", responses=PROBLEMS)
def list_offices(
    _principal: ReferenceReader,
    reception: ReceptionDep,
    under: Annotated[
        str | None, Query(max_length=64, description="Only this office and those below it.")
    ] = None,
) -> list[OfficeOut]:
    offices = reception.offices
    if under is None:
        return [OfficeOut.of(o) for o in offices]
    offices.get(under, field="under")
    return [OfficeOut.of(o) for o in offices.subtree(under)]


@router.get("/{code}", responses=PROBLEMS)
def get_office(code: str, reception: ReceptionDep, _principal: ReferenceReader) -> OfficeDetail:
    office = reception.office(code)
    parent = reception.offices.get(office.parent) if office.parent else None
    return OfficeDetail(
        office=OfficeOut.of(office),
        parent=OfficeOut.of(parent) if parent else None,
        children=[OfficeOut.of(o) for o in reception.offices if o.parent == code],
    )


@router.post("/{code}/schedules", status_code=status.HTTP_201_CREATED, responses=PROBLEMS)
def approve_schedule(
    code: str,
    body: ApproveSchedule,
    response: Response,
    service: ServiceDep,
    caller: MayApprove,
) -> ReceptionResult:
    command = commands.ApproveSchedule(
        office=code,
        official=body.official,
        role=body.role.value,
        kind=body.kind.value,
        facility_type=body.facility_type.value if body.facility_type else None,
        facility_name=body.facility_name,
        period_from=body.period_from,
        period_to=body.period_to,
        slot_minutes=body.slot_minutes,
        sessions=[(s.start, s.end) for s in body.sessions],
    )
    outcome = service.bus.send(command, caller)
    response.headers["ETag"] = f'"{outcome.version}"'
    response.headers["Location"] = f"/offices/{code}/schedules/{outcome.id}"
    return ReceptionResult.of(outcome)


@router.get("/{code}/schedules", responses=PROBLEMS)
def list_schedules(
    code: str, reception: ReceptionDep, principal: ReferenceReader
) -> list[ScheduleOut]:
    office = visible_office(reception, principal, code)
    return [ScheduleOut.of(s) for s in reception.schedules(office=office)]


@router.get("/{code}/schedules/{schedule_id}", responses=PROBLEMS)
def get_schedule(
    principal: ReferenceReader,
    code: str,
    schedule_id: UUID,
    response: Response,
    reception: ReceptionDep,
) -> ScheduleOut:
    office = visible_office(reception, principal, code)
    schedule = reception.get_schedule(schedule_id, office=office)
    response.headers["ETag"] = f'"{schedule.version}"'
    return ScheduleOut.of(schedule)


@router.post("/{code}/schedules/{schedule_id}/delegation", responses=PROBLEMS)
def delegate_session(
    code: str,
    schedule_id: UUID,
    body: DelegateSession,
    response: Response,
    service: ServiceDep,
    caller: MayDelegate,
    expected_version: ExpectedVersionDep,
) -> ReceptionResult:
    command = commands.DelegateSession(
        office=code, schedule_id=schedule_id, session=body.session, deputy=body.deputy
    )
    outcome = service.bus.send(command, caller, expected_version=expected_version)
    response.headers["ETag"] = f'"{outcome.version}"'
    return ReceptionResult.of(outcome)
