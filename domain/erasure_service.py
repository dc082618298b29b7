"""Requesting, approving and executing erasures (``domain.erasure``), stored in the
appeals' event store so that one relay publishes them in order with everything else."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.utils import get_topic

from domain.access import Principal
from domain.applicants import ApplicantRegistry
from domain.clock import on_the_clock
from domain.commands.base import ReceptionOutcome
from domain.commands.erasure import ApproveErasure, RequestErasure
from domain.erasure import Erasure, ErasureNotFound
from domain.errors import NotFound, NotPermitted
from domain.offices import Level, OfficeDirectory
from domain.service import AppealsService


class HoldingOffices(Protocol):
    """Which offices hold a person's appeals now (the register, ``projections``)."""

    def offices_of(self, applicant_ref: str) -> list[str]: ...


class ApplicantNotFound(NotFound):
    rule = "applicant-not-found"


class ErasureOutOfScope(NotPermitted):
    rule = "erasure-out-of-scope"


class ErasureService:
    def __init__(
        self,
        app: AppealsService,
        registry: ApplicantRegistry,
        offices: OfficeDirectory,
        holding: HoldingOffices,
    ) -> None:
        self.app = app
        self.registry = registry
        self.offices = offices
        self.holding = holding
        self.clock = app.clock

    def scope_of(self, applicant_ref: str, caller: Principal) -> list[str]:
        """The offices holding the person's appeals, when ``caller`` is over all of them.
        A person none of whose appeals the caller can see is not found; one with appeals
        beyond the caller's offices is refused; a person with no appeal on record is the
        GPO's."""
        if not self.registry.known(applicant_ref):
            raise ApplicantNotFound(f"No person on record has reference {applicant_ref}.")
        held = self.holding.offices_of(applicant_ref)
        seen = [code for code in held if caller.sees(code, self.offices)]
        if held and not seen:
            raise ApplicantNotFound(f"No person on record has reference {applicant_ref}.")
        if len(seen) < len(held) or (
            not held and self.offices.get(caller.office).level is not Level.GPO
        ):
            beyond = sorted(set(held) - set(seen)) or ["none on record: the GPO's"]
            raise ErasureOutOfScope(
                f"The person's appeals are also held by {', '.join(beyond)}, beyond your "
                f"office ({caller.office}); an administrator of an office above them all "
                "requests and approves this erasure."
            )
        return held

    @on_the_clock
    def request(self, c: RequestErasure, caller: Principal) -> ReceptionOutcome:
        held = self.scope_of(c.applicant_ref, caller)
        erasure = Erasure.request(
            applicant_ref=c.applicant_ref,
            ground=c.ground,
            offices=held,
            office=caller.office,
            actor=caller.actor,
        )
        return self._save(erasure, created=True)

    @on_the_clock
    def approve(self, c: ApproveErasure, caller: Principal) -> ReceptionOutcome:
        erasure = self.get(c.erasure_id, caller)
        erasure.approve(office=caller.office, actor=caller.actor)
        self._save(erasure)
        # The approval is on record before the key goes; should destroying it fail, a
        # retry of the approval executes it.
        self.registry.erase(erasure.applicant_ref, erased_by=caller.actor)
        erasure.executed(office=caller.office, actor=caller.actor)
        return self._save(erasure)

    def get(self, erasure_id: UUID, caller: Principal) -> Erasure:
        erasure: object
        try:
            erasure = self.app.repository.get(erasure_id)
        except AggregateNotFoundError:
            erasure = None
        if not isinstance(erasure, Erasure) or not all(
            caller.sees(code, self.offices) for code in [erasure.office, *erasure.offices]
        ):
            raise ErasureNotFound(f"No erasure request has id {erasure_id}.")
        return erasure

    def visible(self, caller: Principal) -> list[Erasure]:
        """Every erasure request ``caller`` may see, oldest first, read from the event
        store itself (they are few)."""
        topic = get_topic(Erasure.Requested)
        found: list[Erasure] = []
        start = 1
        while True:
            batch = self.app.recorder.select_notifications(start=start, limit=500, topics=[topic])
            for notification in batch:
                try:
                    found.append(self.get(UUID(str(notification.originator_id)), caller))
                except ErasureNotFound:
                    continue
            if len(batch) < 500:
                return found
            start = batch[-1].id + 1

    def _save(self, erasure: Erasure, *, created: bool = False) -> ReceptionOutcome:
        recordings = self.app.save(erasure)
        position = recordings[-1].notification.id if recordings else None
        return ReceptionOutcome(erasure.id, erasure.version, position, created=created)
