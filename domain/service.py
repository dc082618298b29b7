"""The application: the event store, receiving appeals, and load-act-save for the
command bus (domain/commands), which every change of an appeal goes through."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid4, uuid5

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, Transcoding

from domain.appeal import Appeal
from domain.appeal_terms import unsealed
from domain.applicants import (
    ERASED_TEXT,
    Applicant,
    ApplicantRegistry,
    EnrolmentRaced,
    InMemoryApplicants,
    check_applicant,
    is_sealed,
)
from domain.calendar import WorkingCalendar
from domain.clock import Clock, kazakhstan_date, on_the_clock
from domain.commands.appeals import ReceiveAppeal
from domain.commands.base import CommandLog, Outcome
from domain.commands.bus import CommandBus
from domain.errors import (
    AppealNotFound,
    IdempotencyKeyReused,
    InvalidCommand,
    VersionConflict,
)
from domain.offices import OfficeDirectory
from domain.rules import RuleBook, RuleSet
from domain.versions import check_expected_version as check_version

_IDEMPOTENCY_NAMESPACE = uuid5(NAMESPACE_URL, "urn:appeals:idempotency-key")

Guard = Callable[[Appeal], None]


class DateAsISO(Transcoding):
    """Stores ``date`` values (received_on, due_on, ...) as ISO strings."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class AppealsService(Application[UUID]):
    """Commands on appeals. Each loads, acts and saves within one call.

    The application is also the event store that other services (reception,
    instructions) save their aggregates in, so that one notification log orders them all.
    """

    name = "Appeals"

    def __init__(
        self,
        env: dict[str, Any] | None = None,
        *,
        calendar: WorkingCalendar,
        clock: Clock,
        offices: OfficeDirectory | None = None,
        rules: RuleBook | None = None,
        applicants: ApplicantRegistry | None = None,
        command_log: CommandLog | None = None,
    ) -> None:
        super().__init__(env)
        self.calendar: WorkingCalendar = calendar
        self.offices = offices or OfficeDirectory.default()
        self.rules = rules or RuleBook.default()
        self.applicants: ApplicantRegistry = applicants or InMemoryApplicants()
        self.clock = clock
        # Every command on appeals goes through this bus (domain/commands).
        self.bus = CommandBus(self, command_log)

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())

    def today(self) -> date:
        return kazakhstan_date(self.clock())

    # --- commands --------------------------------------------------------------

    @on_the_clock
    def receive(
        self, new: ReceiveAppeal, actor: str, idempotency_key: str | None = None
    ) -> Outcome:
        """Record a new appeal. Retrying with the same idempotency key returns the
        appeal that the first call created and records nothing new.

        An anonymous appeal is set aside unconsidered, unless it reports a crime or a
        threat to security, which is redirected at once to ``redirect_to``.
        """
        appeal_id = self.appeal_id_for(idempotency_key) if idempotency_key else uuid4()
        today = self.today()
        received_on = new.received_on or today
        if received_on > today:
            raise InvalidCommand(
                "received_on cannot be in the future.", field="received_on", rule="date-in-future"
            )
        rules = self.rules.on(received_on)
        if new.applicant is not None:
            check_applicant(new.applicant, today=today)
        elif new.reports_crime and not (new.redirect_to and new.redirect_to.strip()):
            raise InvalidCommand(
                "An anonymous report of a crime or a threat is redirected at once: "
                "name the agency in redirect_to.",
                field="redirect_to",
                rule="crime-report-needs-agency",
            )
        if new.redirect_to and not (new.applicant is None and new.reports_crime):
            raise InvalidCommand(
                "redirect_to is only for an anonymous report of a crime or a threat; redirect "
                "other appeals with POST /appeals/{id}/redirection.",
                field="redirect_to",
                rule="redirect-to-not-applicable",
            )
        if new.repeat_of is not None:
            self.check_repeat(new.repeat_of, new.applicant)
        try:
            return self._record_received(new, appeal_id, received_on, rules, actor)
        except EnrolmentRaced:
            # The same person was registered by another command meanwhile: nothing of
            # this one was written; the second lookup finds them.
            return self._record_received(new, appeal_id, received_on, rules, actor)

    def _record_received(
        self, new: ReceiveAppeal, appeal_id: UUID, received_on: date, rules: RuleSet, actor: str
    ) -> Outcome:
        """Build the appeal once and save it with its applicant's identity, in one
        transaction: a refused appeal registers nobody."""
        today = self.today()
        enrolment = self.applicants.enrol(new.applicant) if new.applicant is not None else None
        appeal = Appeal.receive(
            appeal_id=appeal_id,
            channel=new.channel,
            office=new.office,
            summary=new.summary,
            actor=actor,
            received_on=received_on,
            rules=rules,
            calendar=self.calendar,
            offices=self.offices,
            applicant_ref=enrolment.ref if enrolment is not None else None,
            reports_crime=new.reports_crime,
            repeat_of=new.repeat_of,
            kind=new.kind,
            language=new.language,
            seal=enrolment.seal if enrolment is not None else unsealed,
        )
        if appeal.anonymous:
            if new.reports_crime:
                assert new.redirect_to is not None
                appeal.redirect(
                    agency=new.redirect_to,
                    egov_reference=None,
                    applicant_notified=True,
                    today=today,
                    calendar=self.calendar,
                    rules=rules,
                    actor=actor,
                    urgent=True,
                )
            else:
                appeal.set_aside_anonymous(actor=actor)
        try:
            if enrolment is None:
                recordings = self.save(appeal)
            else:
                recordings = self.save(appeal, enrolment=enrolment)
                enrolment.recorded()
        except IntegrityError:
            existing = self.get_appeal(appeal_id)
            same = (
                existing.channel == appeal.channel
                and existing.received_by == appeal.received_by
                and existing.applicant_ref == appeal.applicant_ref
                and self.reveal(existing.summary) == new.summary.strip()
            )
            if not same:
                raise IdempotencyKeyReused(
                    "This Idempotency-Key was already used for a different appeal.",
                    field="Idempotency-Key",
                ) from None
            return Outcome(appeal_id, existing.version, None, created=False)
        return Outcome(appeal_id, appeal.version, recordings[-1].notification.id)

    def check_repeat(self, earlier_id: UUID, applicant: Applicant | None) -> None:
        """A repeated appeal comes from the same person and disputes an earlier decision."""
        try:
            earlier = self.get_appeal(earlier_id)
        except AppealNotFound:
            raise InvalidCommand(
                f"repeat_of: no appeal has id {earlier_id}.",
                field="repeat_of",
                rule="repeat-of-unknown",
            ) from None
        if applicant is None or earlier.applicant_ref is None:
            raise InvalidCommand(
                "A repeated appeal needs an identified applicant on both appeals.",
                field="repeat_of",
                rule="repeat-needs-applicant",
            )
        earlier_person = self.applicants.lookup(earlier.applicant_ref)
        if earlier_person is None or earlier_person.identity != applicant.identity:
            raise InvalidCommand(
                "A repeated appeal comes from the same person as the earlier one.",
                field="repeat_of",
                rule="repeat-other-person",
            )
        if not earlier.answered:
            raise InvalidCommand(
                "The earlier appeal has not been answered yet, so there is nothing to dispute.",
                field="repeat_of",
                rule="repeat-nothing-to-dispute",
            )

    @on_the_clock
    def deem_refused_if_overdue(self, appeal_ids: Iterable[UUID]) -> int:
        """Record deemed refusals for the given appeals whose deadline has passed.

        Idempotent and safe to run from several processes at once: the event is the
        same whoever records it, and a concurrent duplicate loses the version race.
        """
        recorded = 0
        today = self.today()
        for appeal_id in appeal_ids:
            try:
                appeal = self.get_appeal(appeal_id)
            except AppealNotFound:
                continue
            rules = self.rules_of(appeal)
            if appeal.deem_refused_if_overdue(today=today, rules=rules, calendar=self.calendar):
                try:
                    self.save(appeal)
                    recorded += 1
                except IntegrityError:
                    continue  # another watcher (or a decision) got there first
        return recorded

    @on_the_clock
    def mark_overdue_notices(self, appeal_ids: Iterable[UUID]) -> int:
        """Mark the notices to the applicant not sent by their day (idempotent)."""
        marked = 0
        today = self.today()
        for appeal_id in appeal_ids:
            try:
                appeal = self.get_appeal(appeal_id)
            except AppealNotFound:
                continue
            found = appeal.mark_overdue_notices(
                today=today, rules=self.rules_of(appeal), calendar=self.calendar
            )
            if found:
                try:
                    self.save(appeal)
                    marked += found
                except IntegrityError:
                    continue  # another watcher (or a notice) got there first
        return marked

    # --- helpers ----------------------------------------------------------------

    @on_the_clock
    def act(
        self,
        appeal_id: UUID,
        expected_version: int | None,
        action: Callable[[Appeal], None],
        *,
        guard: Guard | None = None,
    ) -> Outcome:
        """Load, check, act, save. ``guard`` sees the loaded appeal first (the API's
        office scope: it raises AppealNotFound for an appeal the caller may not see)."""
        appeal = self.get_appeal(appeal_id)
        if guard is not None:
            guard(appeal)
        self.check_expected_version(appeal, expected_version)
        action(appeal)
        return self.save_changes(appeal)

    def appeal_as_of(
        self, appeal_id: UUID, *, as_of: date | None = None, known_at: datetime | None = None
    ) -> Appeal:
        """The appeal as it stood in law at the end of ``as_of`` (its steps in legal effect
        by then) and as its file stood at ``known_at`` (its steps recorded by then).

        The state is a replay of the longest run of the appeal's events, from the first,
        that meets both: a step dated later in law stops the run even if a later one is
        dated earlier (a refusal explained on a day before it was recorded)."""
        version = None
        for stored in self.events.get(appeal_id):
            if not isinstance(stored, Appeal.Event):
                break
            if known_at is not None and stored.timestamp > known_at:
                break
            if as_of is not None and stored.effective_on > as_of:  # type: ignore[attr-defined]
                break
            version = stored.originator_version
        if version is None:
            when = as_of.isoformat() if as_of is not None else str(known_at)
            raise AppealNotFound(f"Appeal {appeal_id} did not exist on {when}.")
        appeal: Appeal = self.repository.get(appeal_id, version=version)
        return appeal

    def sealer(self, applicant_ref: str | None) -> Callable[[str], str]:
        """Free text about an identified person is sealed with that person's key."""
        if applicant_ref is None:
            return unsealed
        ref = applicant_ref
        return lambda text: self.applicants.seal(ref, text)

    def reveal(self, text: str) -> str:
        """The readable form of a stored text: unsealed, or a marker once erased."""
        if not is_sealed(text):
            return text
        plain = self.applicants.unseal(text)
        return ERASED_TEXT if plain is None else plain

    def rules_of(self, appeal: Appeal) -> RuleSet:
        return self.rules.by_id(appeal.rule_set)

    def get_appeal(self, appeal_id: UUID) -> Appeal:
        try:
            appeal: Appeal = self.repository.get(appeal_id)
        except AggregateNotFoundError:
            raise AppealNotFound(f"No appeal has id {appeal_id}.") from None
        if not isinstance(appeal, Appeal):
            raise AppealNotFound(f"No appeal has id {appeal_id}.")
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
        check_version("appeal", appeal.version, expected_version)

    @staticmethod
    def appeal_id_for(idempotency_key: str) -> UUID:
        if not idempotency_key.strip() or len(idempotency_key) > 200:
            raise InvalidCommand(
                "Idempotency-Key must be 1 to 200 characters.",
                field="Idempotency-Key",
                rule="idempotency-key-invalid",
            )
        return uuid5(_IDEMPOTENCY_NAMESPACE, idempotency_key)
