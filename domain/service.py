"""The application service: load an appeal, act on it, save its new events."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError

from domain.appeal import Appeal
from domain.errors import AppealNotFound, IdempotencyKeyReused, InvalidCommand, VersionConflict

_IDEMPOTENCY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:appeals:idempotency-key")


@dataclass(frozen=True)
class Outcome:
    """What a command did: the appeal's id and version after it, and the position
    of its last event in the application sequence (for read-your-writes)."""

    appeal_id: UUID
    version: int
    position: int | None
    created: bool = True


class AppealsService(Application[UUID]):
    """Commands on appeals. Each loads, acts and saves within one call."""

    name = "Appeals"

    def receive_appeal(
        self,
        *,
        channel: str,
        office: str,
        summary: str,
        actor: str,
        idempotency_key: str | None = None,
    ) -> Outcome:
        """Record a new appeal. Retrying with the same idempotency key returns the
        appeal that the first call created and records nothing new."""
        appeal_id = self.appeal_id_for(idempotency_key) if idempotency_key else uuid4()
        appeal = Appeal.receive(
            appeal_id=appeal_id, channel=channel, office=office, summary=summary, actor=actor
        )
        try:
            recordings = self.save(appeal)
        except IntegrityError:
            existing = self.get_appeal(appeal_id)
            if (existing.channel, existing.summary) != (appeal.channel, appeal.summary) or (
                existing.received_by != appeal.received_by
            ):
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was already used for a different appeal.",
                    field="Idempotency-Key",
                ) from None
            return Outcome(appeal_id, existing.version, None, created=False)
        return Outcome(appeal_id, appeal.version, recordings[-1].notification.id)

    def assign_appeal(
        self,
        appeal_id: UUID,
        *,
        assignee: str,
        office: str,
        actor: str,
        expected_version: int | None = None,
    ) -> Outcome:
        appeal = self.get_appeal(appeal_id)
        self.check_expected_version(appeal, expected_version)
        appeal.assign(assignee=assignee, office=office, actor=actor)
        return self.save_changes(appeal)

    def get_appeal(self, appeal_id: UUID) -> Appeal:
        try:
            appeal: Appeal = self.repository.get(appeal_id)
        except AggregateNotFoundError:
            raise AppealNotFound(f"No appeal has id {appeal_id}.") from None
        return appeal

    def save_changes(self, appeal: Appeal) -> Outcome:
        try:
            recordings = self.save(appeal)
        except IntegrityError:
            raise VersionConflict(
                "The appeal was changed by someone else at the same time; reload and retry."
            ) from None
        position = recordings[-1].notification.id if recordings else None
        return Outcome(appeal.id, appeal.version, position, created=False)

    @staticmethod
    def check_expected_version(appeal: Appeal, expected_version: int | None) -> None:
        if expected_version is None:
            return
        if expected_version < 1:
            raise InvalidCommand("expected version must be 1 or more.", field="If-Match")
        if appeal.version != expected_version:
            raise VersionConflict(
                f"The appeal is at version {appeal.version}, not {expected_version}; "
                "reload it and retry."
            )

    @staticmethod
    def appeal_id_for(idempotency_key: str) -> UUID:
        if not idempotency_key.strip() or len(idempotency_key) > 200:
            raise InvalidCommand(
                "Idempotency-Key must be 1 to 200 characters.", field="Idempotency-Key"
            )
        return uuid5(_IDEMPOTENCY_NAMESPACE, idempotency_key)
