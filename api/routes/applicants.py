"""Erasing a person as a governed act: one administrator requests it on a legal ground,
a second approves it, and the approval destroys the person's key (crypto-shredding their
identity and every text sealed for them). The appeals, their events and decisions
remain; the requests and approvals are events of their own (docs/security.md)."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Response, status
from pydantic import BaseModel, ConfigDict, Field

from api.auth import AuditReader, may_send
from api.deps import ContainerDep, ServiceDep
from api.schemas import AUTH_PROBLEMS, Problem
from domain import commands
from domain.access import Principal
from domain.erasure import Erasure, ErasureGround

router = APIRouter(tags=["personal data"], responses=AUTH_PROBLEMS)

PROBLEMS: dict[int | str, dict[str, object]] = {
    403: {
        "model": Problem,
        "description": "Not an administrator over the person's appeals, "
        "or the approver is the requester (four eyes).",
    },
    404: {"model": Problem, "description": "No such person or erasure request."},
    409: {"model": Problem, "description": "The erasure was executed already."},
    422: {"model": Problem, "description": "The input breaks a rule; nothing was recorded."},
}

MayErase = Annotated[Principal, Depends(may_send(commands.RequestErasure))]
ApplicantRef = Annotated[
    str,
    Path(
        pattern=r"^[A-Za-z0-9._:-]{3,64}$",
        description="The person's pseudonymous reference (of an appeal or a booking).",
    ),
]


class ErasureRequestIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ground: ErasureGround = Field(
        description="The ground of the Law on personal data (art. 18) for destroying them."
    )


class ErasureOut(BaseModel):
    erasure_id: UUID
    version: int
    applicant_ref: str
    ground: str
    status: str = Field(description="requested, approved (key not yet destroyed), executed")
    offices: list[str] = Field(description="The offices holding the person's appeals.")
    office: str = Field(description="The requesting administrator's office.")
    requested_by: str
    approved_by: str | None
    position: int | None = Field(
        default=None, description="Position of the command's last event, for min_position."
    )

    @classmethod
    def of(cls, e: Erasure, position: int | None = None) -> ErasureOut:
        return cls(
            erasure_id=e.id,
            version=e.version,
            applicant_ref=e.applicant_ref,
            ground=e.ground.value,
            status=e.status.value,
            offices=e.offices,
            office=e.office,
            requested_by=e.requested_by,
            approved_by=e.approved_by,
            position=position,
        )


@router.post(
    "/applicants/{applicant_ref}/erasure-requests",
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEMS,
)
@router.post(
    "/applicants/{applicant_ref}/erasure",
    status_code=status.HTTP_201_CREATED,
    responses=PROBLEMS,
    deprecated=True,
    summary="Request erasure (the former path: it no longer erases at once)",
)
def request_erasure(
    applicant_ref: ApplicantRef,
    body: ErasureRequestIn,
    response: Response,
    service: ServiceDep,
    container: ContainerDep,
    caller: MayErase,
) -> ErasureOut:
    """Ask for the person's data to be erased. Only an administrator of an office over
    every office holding the person's appeals may; nothing is destroyed until a second
    administrator approves."""
    command = commands.RequestErasure(applicant_ref=applicant_ref, ground=body.ground.value)
    outcome = service.bus.send(command, caller)
    response.headers["Location"] = f"/erasure-requests/{outcome.id}"
    erasure = container.erasures.get(outcome.id, caller)
    return ErasureOut.of(erasure, outcome.position)


@router.post("/erasure-requests/{erasure_id}/approval", responses=PROBLEMS)
def approve_erasure(
    erasure_id: UUID, service: ServiceDep, container: ContainerDep, caller: MayErase
) -> ErasureOut:
    """Approve another administrator's request: the person's key is destroyed at once, and
    afterwards no API, read model, rebuild, database file or Kafka message shows their
    identity or the texts of their appeals."""
    outcome = service.bus.send(commands.ApproveErasure(erasure_id=erasure_id), caller)
    return ErasureOut.of(container.erasures.get(outcome.id, caller), outcome.position)


@router.get("/erasure-requests", responses=PROBLEMS)
def list_erasures(container: ContainerDep, reader: AuditReader) -> list[ErasureOut]:
    """Every erasure request over the reader's offices, oldest first (the audit trail)."""
    return [ErasureOut.of(e) for e in container.erasures.visible(reader)]


@router.get("/erasure-requests/{erasure_id}", responses=PROBLEMS)
def get_erasure(erasure_id: UUID, container: ContainerDep, reader: AuditReader) -> ErasureOut:
    """One erasure request and what became of it (the audit trail)."""
    return ErasureOut.of(container.erasures.get(erasure_id, reader))
