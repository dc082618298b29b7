"""The staff list of each office: who holds which position there. Delegations of a
reception session name a deputy from it (docs/reception.md, "Staff")."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from pydantic import BaseModel, ConfigDict, Field

from api.auth import ReferenceReader, may_send
from api.deps import ServiceDep
from api.reception_schemas import ReceptionDep, ReceptionResult
from api.routes.offices import PROBLEMS, visible_office
from api.schemas import AUTH_PROBLEMS
from domain import commands
from domain.access import Principal
from domain.reception_terms import Role

router = APIRouter(prefix="/offices", tags=["offices"], responses=AUTH_PROBLEMS)

StaffIdPath = Annotated[
    str, Path(min_length=1, max_length=128, description="The staff member's id.")
]
MayManageStaff = Annotated[Principal, Depends(may_send(commands.AppointStaff))]


class StaffMemberOut(BaseModel):
    staff_id: str
    position: str


class AppointIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: Role = Field(
        description="The position held at this office; a regional or deputy regional "
        "prosecutor only at a regional office, and so on. One head per office."
    )


@router.get("/{code}/staff", responses=PROBLEMS)
def list_staff(
    code: str, reception: ReceptionDep, principal: ReferenceReader
) -> list[StaffMemberOut]:
    """Who is on the office's staff list, by staff id."""
    office = visible_office(reception, principal, code)
    staff = reception.staff_of(office)
    members = sorted(staff.members.items()) if staff else []
    return [StaffMemberOut(staff_id=s, position=r.value) for s, r in members]


@router.put("/{code}/staff/{staff_id}", responses=PROBLEMS)
def appoint_staff(
    code: str,
    staff_id: StaffIdPath,
    body: AppointIn,
    response: Response,
    service: ServiceDep,
    caller: MayManageStaff,
) -> ReceptionResult:
    """Record that ``staff_id`` holds ``position`` at the office. Sending the same again
    records nothing (``Idempotent-Replayed: true``)."""
    command = commands.AppointStaff(office=code, staff_id=staff_id, position=body.position.value)
    outcome = service.bus.send(command, caller)
    if outcome.position is None:
        response.headers["Idempotent-Replayed"] = "true"
    response.headers["ETag"] = f'"{outcome.version}"'
    return ReceptionResult.of(outcome)


@router.delete("/{code}/staff/{staff_id}", responses=PROBLEMS)
def release_staff(
    code: str,
    staff_id: StaffIdPath,
    response: Response,
    service: ServiceDep,
    caller: MayManageStaff,
) -> ReceptionResult:
    """Record that ``staff_id`` left the office's staff."""
    outcome = service.bus.send(commands.ReleaseStaff(office=code, staff_id=staff_id), caller)
    response.headers["ETag"] = f'"{outcome.version}"'
    return ReceptionResult.of(outcome)
