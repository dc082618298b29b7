"""Erasing a person: the crypto-shredding of their identity and of every text sealed
for them. The appeals, their events and decisions remain."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from pydantic import BaseModel

from api.auth import Eraser
from api.deps import ContainerDep
from api.schemas import AUTH_PROBLEMS, Problem
from domain.errors import NotFound

router = APIRouter(prefix="/applicants", tags=["personal data"], responses=AUTH_PROBLEMS)


class ApplicantNotFound(NotFound):
    rule = "applicant-not-found"


class Erased(BaseModel):
    applicant_ref: str
    erased: bool
    erased_by: str
    at: datetime


@router.post("/{applicant_ref}/erasure", responses={404: {"model": Problem}})
def erase_applicant(applicant_ref: str, container: ContainerDep, principal: Eraser) -> Erased:
    """Destroy the person's key and identity. Afterwards no API, read model, rebuild,
    database file or Kafka message can show their IIN, name or the texts of their
    appeals; the appeals' history still shows what happened and what was decided."""
    registry = container.service.applicants
    if not registry.erase(applicant_ref, erased_by=principal.actor):
        raise ApplicantNotFound(f"No person on record has reference {applicant_ref}.")
    return Erased(
        applicant_ref=applicant_ref,
        erased=True,
        erased_by=principal.actor,
        at=container.service.clock(),
    )
