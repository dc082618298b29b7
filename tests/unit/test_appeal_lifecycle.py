"""Property-based tests of the Appeal: hypothesis drives random sequences of commands through
the application service (in-memory store, Kazakhstan's calendar, a clock that moves forward
by whole days) and checks the invariants after every step."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, rule

from domain.appeal import Appeal
from domain.appeal_terms import Status
from domain.channels import Channel
from tests.unit.appeal_lifecycle_deciding import DecidingSteps
from tests.unit.appeal_lifecycle_model import (
    CHANNELS,
    CLOSABLE,
    DECIDABLE,
    EVERY_STATUS,
    EXPLAINING_LEVELS,
    EXTENSION_MAX_MONTHS,
    OFFICE_CODES,
    OPEN,
    PERSONAL,
    REOPENABLE,
    STAGES,
    level,
    months_later,
    within,
    working_days_later,
)


class AppealLifecycle(DecidingSteps):
    """The state machine keeps its own model of each appeal, written from the rules rather
    than from the code: which status each command needs, what it leads to, which office is
    above which. Every command is predicted to succeed or to be refused, and the prediction
    is asserted. A refusal must be a ``DomainError``; anything else fails the test."""

    appeals = DecidingSteps.appeals  # the one bundle, named in the rules below

    # --- time ----------------------------------------------------------------------

    @initialize(
        target=appeals,
        start=st.dates(date(2024, 1, 1), date(2027, 6, 30)),
        channel=CHANNELS,
        office=st.sampled_from(OFFICE_CODES),
        stage=st.sampled_from(STAGES),
    )
    def first_appeal(self, start: date, channel: str, office: str, stage: str) -> Any:
        """An identified appeal brought to some stage of its life by the ordinary
        commands (their predictions checked too), so that every example starts from a
        different place and the deeper states are explored, not only reached by luck."""
        self.clock.set_day(start)
        if stage == "set aside":  # anonymous: a dead end unless closing reopens it
            return self.receive(
                kind="anonymous", channel=channel, office=office, person=0, back=0, broken=None
            )
        if stage.startswith("refused in person"):
            channel = Channel.PERSONAL_RECEPTION.value
            office = "DIS-ALA-MEDEU" if office == "GPO" else office
        if stage == "refused in person at the GPO":
            office = "GPO"
        # An overdue appeal was received 30 days ago: past its due date, not yet deemed refused.
        back = 30 if stage == "overdue" else 0
        appeal = self.receive(
            kind="identified", channel=channel, office=office, person=0, back=back, broken=None
        )
        if stage == "received":
            return appeal
        if stage == "redirected":
            self.redirect(appeal, notified=True, egov_reference=None)
            return appeal
        self.assign(appeal, assignee="pros.1", office_kind="receiving", pick=0, fresh=True)
        if stage == "deemed refused":
            self.time_passes_to_due_date(appeal, offset=1, watch=True)
        elif stage not in ("assigned", "overdue"):
            refusal = stage.startswith("refused")
            self.decide(
                appeal,
                outcome="refused" if refusal else "explained",
                ground="fitting",
                pick=0,
                reasons="The check found",
                fresh=True,
            )
        if stage in ("closed", "reopened"):
            self.close(appeal, fresh=True)
        if stage == "reopened":
            self.reopen(appeal, fresh=True)
        return appeal

    @rule(days=st.one_of(st.integers(1, 3), st.integers(4, 40)), watch=st.booleans())
    def time_passes(self, days: int, watch: bool) -> None:
        """Days pass, and the deadline watcher may run over every appeal."""
        self.clock.set_day(self.today + timedelta(days=days))
        if watch:
            self.watch_deadlines(list(self.models))

    @rule(appeal=appeals, offset=st.sampled_from([0, 0, 1, 2]), watch=st.booleans())
    def time_passes_to_due_date(self, appeal: UUID, offset: int, watch: bool) -> None:
        """To the appeal's due date or just past it: the edge of a deemed refusal."""
        day = self.models[appeal].due_on + timedelta(days=offset)
        if day > self.today:
            self.clock.set_day(day)
        if watch:
            self.watch_deadlines(list(self.models))

    # --- invariants ------------------------------------------------------------------

    @invariant()
    def every_appeal_replays_to_the_model(self) -> None:
        """Replaying the stored events, one by one and through the repository, gives the
        model's appeal, and every transition on the way is an allowed one."""
        for appeal_id, model in self.models.items():
            wanted = (
                model.status,
                model.assignee,
                model.office,
                model.due_on,
                model.outcome,
                model.version,
            )
            version = self.stored_version(appeal_id)
            cached = self.replayed.get(appeal_id)
            if cached is not None and cached[0] == version:
                # Nothing stored since the last replay: the same events give the same state.
                assert cached[1] == wanted, (cached[1], wanted)
                continue
            replayed = self.replay_checking_each_step(appeal_id)
            loaded = self.service.get_appeal(appeal_id)
            for appeal in (replayed, loaded):
                actual = (
                    appeal.status,
                    appeal.assignee,
                    appeal.office,
                    appeal.due_on,
                    appeal.outcome,
                    appeal.version,
                )
                assert actual == wanted, (actual, wanted)
            self.replayed[appeal_id] = (version, wanted)

    def replay_checking_each_step(self, appeal_id: UUID) -> Appeal:
        """Fold the stored events one by one, checking each transition they make."""
        stored = self.service.recorder.select_events(appeal_id)
        versions = [s.originator_version for s in stored]
        assert versions == list(range(1, len(stored) + 1)), versions
        appeal: Appeal | None = None
        period_due: date | None = None  # the due date the consideration period began with
        answered_in_period = False  # decided or deemed refused since received or reopened
        deemed_in_period = 0
        closed_from: Status | None = None
        for record in stored:
            for secret in PERSONAL:
                assert secret.encode() not in record.state, (type(record), record.topic)
            event = self.service.mapper.to_domain_event(record)
            day = self.recorded_on[(appeal_id, record.originator_version)]
            # A step takes legal effect no later than the day it was recorded, and never
            # before the appeal was received.
            effective_on: date = event.effective_on  # type: ignore[attr-defined]
            assert effective_on <= day, (type(event).__name__, effective_on, day)
            if appeal is not None:
                assert effective_on >= appeal.received_on, (type(event).__name__, effective_on)
            if isinstance(event, Appeal.DeemedRefused):
                assert effective_on == working_days_later(event.due_on, 1), effective_on
            if appeal is None:
                assert isinstance(event, Appeal.Received)
                assert event.applicant_ref is None or event.applicant_ref.startswith("appl-")
                new = event.mutate(None)
                assert isinstance(new, Appeal)
                appeal = new
                assert appeal.status == Status.RECEIVED
                period_due = appeal.due_on
                continue
            assert not isinstance(event, Appeal.Received)
            status, due_on, assignee = appeal.status, appeal.due_on, appeal.assignee
            allowed_from, allowed_to = self.edge(event, status)
            event.mutate(appeal)  # type: ignore[attr-defined]
            now = appeal.status
            step = f"{type(event).__name__}: {status} -> {now}"
            assert status in allowed_from, step
            assert now in allowed_to, step
            if status == Status.CLOSED:
                assert isinstance(event, Appeal.Reopened) or now == Status.CLOSED, step
            if not isinstance(event, Appeal.Extended | Appeal.Reopened):
                assert appeal.due_on == due_on, f"{step} moved the due date"
            if isinstance(event, Appeal.NotConsidered):
                assert appeal.anonymous and not appeal.reports_crime, step
            elif isinstance(event, Appeal.Redirected) and status == Status.NOT_CONSIDERED:
                assert event.urgent and appeal.anonymous and appeal.reports_crime, step
            elif isinstance(event, Appeal.Assigned):
                assert within(appeal.office, appeal.receiving_office), step
            elif isinstance(event, Appeal.Extended):
                assert due_on < appeal.due_on, step
                assert day <= due_on, f"{step}: extended on {day}, after the period ended"
            elif isinstance(event, Appeal.Decided):
                assert assignee is not None, f"{step}: decided without an assignee"
                refused = event.outcome == "refused"
                explains = (
                    refused
                    and appeal.channel == Channel.PERSONAL_RECEPTION
                    and level(event.office) in EXPLAINING_LEVELS
                )
                assert refused == (event.ground is not None), step
                assert (now == Status.REFUSAL_PENDING_EXPLANATION) == explains, step
                assert (now == Status.DECIDED) == (not refused), step
                answered_in_period = True
            elif isinstance(event, Appeal.DeemedRefused):
                assert day > due_on, f"{step} on {day}, but the period ends on {due_on}"
                assert not answered_in_period, f"{step} after an answer in the same period"
                deemed_in_period += 1
                assert deemed_in_period == 1, f"{step}: a second deemed refusal in one period"
                answered_in_period = True
            elif isinstance(event, Appeal.Closed):
                closed_from = status
            elif isinstance(event, Appeal.Reopened):
                if status == Status.CLOSED:
                    assert closed_from in REOPENABLE, f"{step}: it had been closed {closed_from}"
                assert now == (Status.IN_PROGRESS if assignee else Status.RECEIVED), step
                assert appeal.outcome is None, step
                period_due = appeal.due_on
                answered_in_period, deemed_in_period, closed_from = False, 0, None
            assert period_due is not None
            limit = months_later(period_due, EXTENSION_MAX_MONTHS)
            assert appeal.due_on <= limit, f"{step}: due {appeal.due_on}, beyond {limit}"
        assert appeal is not None
        return appeal

    @staticmethod
    def edge(event: Any, status: Status) -> tuple[frozenset[Status], frozenset[Status]]:
        """The statuses an event may follow, and those it may lead to."""
        same = frozenset({status})
        if isinstance(event, Appeal.NotConsidered):
            return frozenset({Status.RECEIVED}), frozenset({Status.NOT_CONSIDERED})
        if isinstance(event, Appeal.Assigned):
            return OPEN, frozenset({Status.IN_PROGRESS})
        if isinstance(event, Appeal.Consulted | Appeal.MaterialsAdded | Appeal.Extended):
            return OPEN, same
        if isinstance(event, Appeal.Redirected):
            return OPEN | {Status.NOT_CONSIDERED}, frozenset({Status.REDIRECTED})
        if isinstance(event, Appeal.Decided):
            return DECIDABLE, frozenset(
                {Status.DECIDED, Status.REFUSED, Status.REFUSAL_PENDING_EXPLANATION}
            )
        if isinstance(event, Appeal.RefusalExplained):
            return frozenset({Status.REFUSAL_PENDING_EXPLANATION}), frozenset(
                {Status.REFUSED, Status.DECIDED}
            )
        if isinstance(event, Appeal.DeemedRefused):
            return OPEN, frozenset({Status.DEEMED_REFUSED})
        if isinstance(
            event, Appeal.CaseFileRequested | Appeal.CaseFileReceived | Appeal.DecisionReviewed
        ):
            return EVERY_STATUS, same
        if isinstance(event, Appeal.ApplicantHeard):
            return DECIDABLE, same
        if isinstance(event, Appeal.Closed):
            return CLOSABLE, frozenset({Status.CLOSED})
        if isinstance(event, Appeal.Reopened):
            return REOPENABLE | {Status.CLOSED}, OPEN
        raise AssertionError(f"an event the model does not know: {type(event).__name__}")


TestAppealLifecycle = AppealLifecycle.TestCase
# 100 examples of up to 50 steps, about 7 s on two cores: fewer let rare boundary cases
# (a deemed refusal on the due date itself, reopening a closed set-aside appeal) slip by.
TestAppealLifecycle.settings = settings(
    max_examples=100,
    stateful_step_count=50,
    deadline=None,
    derandomize=True,  # the same examples on every run, so CI is reproducible
    database=None,
    print_blob=True,
)
