"""Erasure of a person's data as a governed act: requested by an administrator over the
offices that hold the person's appeals, on a legal ground, approved by a second
administrator (four eyes), then executed by destroying the person's key. Request,
approval and execution are events of their own, with no personal data in them: only the
person's pseudonymous reference, the ground, the offices and who acted.

Grounds: the Law of the Republic of Kazakhstan "On personal data and their protection"
of 21 May 2013 No. 94-V, art. 18 (personal data are destroyed when the purpose of their
collection is achieved, their storage term has expired, on the subject's withdrawn
consent where the law allows it, or on a court's decision); see docs/rules.md, where the
list is marked as this system's reading of the article.
"""

from __future__ import annotations

from enum import StrEnum

from eventsourcing.domain import Aggregate, event

from domain.clock import events_dated_by_the_clock
from domain.errors import ConflictError, InvalidCommand, NotFound, NotPermitted


class ErasureGround(StrEnum):
    PURPOSE_ACHIEVED = "purpose_achieved"
    STORAGE_TERM_EXPIRED = "storage_term_expired"
    CONSENT_WITHDRAWN = "consent_withdrawn"
    COURT_DECISION = "court_decision"


class ErasureStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"  # approved, the key not yet destroyed (a retry executes it)
    EXECUTED = "executed"


class UnknownErasureGround(InvalidCommand):
    rule = "erasure-ground"


class SameAdministrator(NotPermitted):
    """Four eyes: who requested an erasure does not approve it."""

    rule = "four-eyes"


class ErasureDone(ConflictError):
    rule = "erasure-executed"


class ErasureNotFound(NotFound):
    rule = "erasure-not-found"


class Erasure(Aggregate):
    """One request to erase one person's data, and what became of it."""

    class Requested(Aggregate.Created):
        """An administrator asked for the person's data to be erased, on a ground."""

        applicant_ref: str
        ground: str
        offices: list[str]  # the offices holding the person's appeals when asked
        office: str  # the requesting administrator's office
        actor: str

    class Approved(Aggregate.Event):
        """A second administrator approved the request."""

        office: str
        actor: str

    class Executed(Aggregate.Event):
        """The person's key and identity were destroyed."""

        office: str
        actor: str

    applicant_ref: str
    ground: ErasureGround
    offices: list[str]
    office: str
    requested_by: str
    approved_by: str | None
    status: ErasureStatus

    @classmethod
    def request(
        cls, *, applicant_ref: str, ground: str, offices: list[str], office: str, actor: str
    ) -> Erasure:
        try:
            ErasureGround(ground)
        except ValueError:
            raise UnknownErasureGround(
                f"{ground!r} is not a ground for erasure; one of "
                f"{', '.join(g.value for g in ErasureGround)}.",
                field="ground",
            ) from None
        return cls._create(
            cls.Requested,
            applicant_ref=applicant_ref,
            ground=ground,
            offices=sorted(offices),
            office=office,
            actor=actor,
        )

    @event(Requested)
    def __init__(
        self, *, applicant_ref: str, ground: str, offices: list[str], office: str, actor: str
    ) -> None:
        self.applicant_ref = applicant_ref
        self.ground = ErasureGround(ground)
        self.offices = list(offices)
        self.office = office
        self.requested_by = actor
        self.approved_by = None
        self.status = ErasureStatus.REQUESTED

    def approve(self, *, office: str, actor: str) -> None:
        if self.status is ErasureStatus.EXECUTED:
            raise ErasureDone(f"Erasure {self.id} was executed already.")
        if actor == self.requested_by:
            raise SameAdministrator(
                f"{actor} requested erasure {self.id}; a second administrator approves it."
            )
        if self.status is ErasureStatus.REQUESTED:
            self._approved(office=office, actor=actor)

    @event(Approved)
    def _approved(self, *, office: str, actor: str) -> None:
        self.approved_by = actor
        self.status = ErasureStatus.APPROVED

    def executed(self, *, office: str, actor: str) -> None:
        self._executed(office=office, actor=actor)

    @event(Executed)
    def _executed(self, *, office: str, actor: str) -> None:
        self.status = ErasureStatus.EXECUTED


events_dated_by_the_clock(Erasure)
