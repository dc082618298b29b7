"""The Appeal aggregate: one citizen's appeal and everything done with it."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.channels import Channel
from domain.errors import AlreadyAssigned, AppealClosed, InvalidCommand

MAX_SUMMARY_LENGTH = 4000


class Appeal(Aggregate):
    """An appeal's state is whatever its events say; the events are the record.

    Event classes are part of the stored schema: renaming one needs
    ``register_topic`` and changing its fields needs ``class_version`` and an upcaster.
    """

    class Received(Aggregate.Created):
        """The appeal reached an office through a channel."""

        channel: str
        office: str
        summary: str
        actor: str

    class Assigned(Aggregate.Event):
        """A prosecutor of an office was made responsible for the appeal."""

        assignee: str
        office: str
        actor: str

    channel: str
    office: str
    summary: str
    received_by: str
    assignee: str | None
    closed: bool

    @classmethod
    def receive(
        cls, *, appeal_id: UUID, channel: str, office: str, summary: str, actor: str
    ) -> Appeal:
        cls.check_channel(channel)
        cls.check_text("office", office, 64)
        cls.check_text("summary", summary, MAX_SUMMARY_LENGTH)
        cls.check_text("actor", actor, 128)
        return cls._create(
            cls.Received,
            id=appeal_id,
            channel=channel,
            office=office.strip(),
            summary=summary.strip(),
            actor=actor,
        )

    @event(Received)
    def __init__(self, *, channel: str, office: str, summary: str, actor: str) -> None:
        self.channel = channel
        self.office = office
        self.summary = summary
        self.received_by = actor
        self.assignee = None
        self.closed = False

    def assign(self, *, assignee: str, office: str, actor: str) -> None:
        self.check_text("assignee", assignee, 128)
        self.check_text("office", office, 64)
        self.check_text("actor", actor, 128)
        self.check_open()
        if self.assignee == assignee.strip() and self.office == office.strip():
            raise AlreadyAssigned(
                f"The appeal is already assigned to {assignee} of {office}.", field="assignee"
            )
        self._assigned(assignee=assignee.strip(), office=office.strip(), actor=actor)

    @event(Assigned)
    def _assigned(self, *, assignee: str, office: str, actor: str) -> None:
        self.assignee = assignee
        self.office = office

    @property
    def received_at(self) -> datetime:
        return self.created_on

    @staticmethod
    def check_channel(channel: str) -> None:
        allowed = [c.value for c in Channel]
        if channel not in allowed:
            raise InvalidCommand(
                f"Unknown channel {channel!r}; use one of: {', '.join(allowed)}.",
                field="channel",
            )

    @staticmethod
    def check_text(field: str, value: str, max_length: int) -> None:
        if not value or not value.strip():
            raise InvalidCommand(f"{field} must not be blank.", field=field)
        if len(value) > max_length:
            raise InvalidCommand(f"{field} must be at most {max_length} characters.", field=field)

    def check_open(self) -> None:
        if self.closed:
            raise AppealClosed("The appeal is closed; reopen it first.")
