"""The Appeal's state machine (tests/unit/test_appeal_lifecycle.py), part three: the steps that
decide, oversee, close and reopen an appeal, and commands sent with a stale expected
version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from itertools import pairwise
from typing import Any
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import rule

from domain.appeal_terms import Status
from domain.calendar import add_working_days
from domain.channels import Channel
from domain.commands import (
    AddMaterials,
    AssignAppeal,
    CloseAppeal,
    Decide,
    ExplainRefusal,
    HearApplicant,
    ReceiveCaseFile,
    ReopenAppeal,
    RequestCaseFile,
    ReviewDecision,
)
from tests.support import send, staff
from tests.unit.appeal_lifecycle_model import (
    CALENDAR,
    CLOSABLE,
    CONSIDERATION_WORKING_DAYS,
    DECIDABLE,
    EXPLAINING_LEVELS,
    OFFICE_CODES,
    OPEN,
    REFUSAL_GROUNDS,
    REOPENABLE,
    above,
    level,
    within,
    working_days_later,
)
from tests.unit.appeal_lifecycle_working import WorkingSteps


class DecidingSteps(WorkingSteps):
    """Deciding, oversight, closing and reopening, and stale expected versions."""

    appeals = WorkingSteps.appeals  # the one bundle, named in the rules below

    # --- deciding --------------------------------------------------------------------

    @rule(
        appeal=appeals,
        outcome=st.sampled_from(
            ["satisfied", "partially_satisfied", "explained", "refused", "refused", "dismissed"]
        ),
        ground=st.sampled_from(["fitting"] * 6 + ["missing", "invalid", "valid"]),
        pick=st.integers(0, len(REFUSAL_GROUNDS) - 1),
        reasons=st.sampled_from(["The check found"] * 4 + [" "]),
        fresh=st.booleans(),
    )
    def decide(
        self, appeal: UUID, outcome: str, ground: str, pick: int, reasons: str, fresh: bool
    ) -> None:
        model = self.models[appeal]
        refusal = outcome == "refused"
        chosen = {
            "fitting": REFUSAL_GROUNDS[pick] if refusal else None,
            "missing": None,
            "invalid": "dislike",
            "valid": REFUSAL_GROUNDS[pick],
        }[ground]
        ground_ok = chosen in REFUSAL_GROUNDS if refusal else chosen is None
        adverse = outcome in ("refused", "partially_satisfied")
        predicted = (
            model.status in DECIDABLE
            and model.assignee is not None
            and outcome != "dismissed"
            and bool(reasons.strip())
            and ground_ok
            and (model.heard or model.anonymous or not adverse)  # APPK art. 73
        )
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                Decide(appeal_id=appeal, outcome=outcome, reasons=reasons, ground=chosen),
                "pros.1",
                hear=False,
                expected_version=self.expected(model, fresh),
            ),
        )
        if done:
            model.outcome = outcome
            model.decided_by = model.office
            # Left without satisfaction, wholly or in part, after a personal reception at
            # regional or district level: the reasons are explained in person first.
            unsatisfied = outcome in ("refused", "partially_satisfied")
            if (
                unsatisfied
                and model.channel == Channel.PERSONAL_RECEPTION
                and level(model.office) in EXPLAINING_LEVELS
            ):
                model.status = Status.REFUSAL_PENDING_EXPLANATION
            elif refusal:
                model.status = Status.REFUSED
            else:
                model.status = Status.DECIDED

    @rule(appeal=appeals, form=st.sampled_from(["in_person", "written", "shouted"]))
    def hear(self, appeal: UUID, form: str) -> None:
        model = self.models[appeal]
        predicted = model.status in DECIDABLE and not model.anonymous and form != "shouted"
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                HearApplicant(appeal_id=appeal, form=form, note="The applicant maintains it"),
                "pros.1",
            ),
        )
        if done:
            model.heard = True

    @rule(appeal=appeals, days_ago=st.one_of(st.none(), st.integers(-2, 10)))
    def explain_refusal(self, appeal: UUID, days_ago: int | None) -> None:
        model = self.models[appeal]
        explained_on = None if days_ago is None else self.today - timedelta(days=days_ago)
        predicted = model.status == Status.REFUSAL_PENDING_EXPLANATION and (
            explained_on is None or model.received_on <= explained_on <= self.today
        )
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                ExplainRefusal(
                    appeal_id=appeal, explained_on=explained_on, note="Explained in person"
                ),
                "pros.1",
            ),
        )
        if done:
            model.status = Status.REFUSED if model.outcome == "refused" else Status.DECIDED

    @rule(appeal=appeals)
    def deem_refused(self, appeal: UUID) -> None:
        self.watch_deadlines([appeal])

    def watch_deadlines(self, appeal_ids: list[UUID]) -> None:
        """The deadline watcher: a deemed refusal for each open appeal past its due date,
        nothing for any other."""
        due = [a for a in appeal_ids if self.models[a].status in OPEN]
        # A deemed refusal takes effect on the working day after the last day of the term.
        due = [a for a in due if self.today >= add_working_days(CALENDAR, self.models[a].due_on, 1)]
        head = self.head()
        recorded = self.service.deem_refused_if_overdue(appeal_ids)
        states = [(self.models[a].status, self.models[a].due_on) for a in appeal_ids]
        assert recorded == len(due), (self.today, states)
        new = list(self.service.recorder.select_notifications(start=head + 1, limit=10))
        assert [n.originator_id for n in new] == due
        positions = [n.id for n in new]
        assert all(a < b for a, b in pairwise([head, *positions])), positions
        for appeal, notification in zip(due, new, strict=True):
            model = self.models[appeal]
            assert notification.originator_version == model.version + 1
            model.version += 1
            self.recorded_on[(appeal, model.version)] = self.today
            model.status = Status.DEEMED_REFUSED
            model.decided_by = model.office

    # --- oversight ---------------------------------------------------------------------

    @rule(
        appeal=appeals,
        requesting=st.sampled_from(OFFICE_CODES),
        case_ref=st.sampled_from(["CASE-7", "CASE-7", " "]),
    )
    def request_case_file(self, appeal: UUID, requesting: str, case_ref: str) -> None:
        model = self.models[appeal]
        # The file is demanded from whoever holds it: the appeal's office, or the office
        # it moved to when an earlier demand was received.
        holder = model.file_holder or model.office
        predicted = above(requesting, holder) and bool(case_ref.strip())
        result: list[str] = []

        def command() -> None:
            request_id = self.service.bus.send(
                RequestCaseFile(appeal_id=appeal, requesting_office=requesting, case_ref=case_ref),
                staff("sup.1", requesting),
            ).result
            result.append(request_id)

        if self.attempt(appeal, predicted, command):
            model.requests[result[0]] = False
            model.requesters[result[0]] = requesting

    @rule(appeal=appeals, pick=st.integers(0, 3), unknown=st.sampled_from([False, False, True]))
    def receive_case_file(self, appeal: UUID, pick: int, unknown: bool) -> None:
        model = self.models[appeal]
        known = sorted(model.requests)
        request_id = "cfr-unknown" if unknown or not known else known[pick % len(known)]
        predicted = request_id in model.requests and not model.requests[request_id]
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service, ReceiveCaseFile(appeal_id=appeal, request_id=request_id), "sup.1"
            ),
        )
        if done:
            model.requests[request_id] = True
            model.file_holder = model.requesters[request_id]

    @rule(
        appeal=appeals,
        reviewing=st.sampled_from([*OFFICE_CODES, "REG-NOWHERE"]),
        result=st.sampled_from(["upheld", "overturned", "annulled"]),
    )
    def review(self, appeal: UUID, reviewing: str, result: str) -> None:
        model = self.models[appeal]
        # The reviewing office must see the appeal (held or received at or below it), and
        # be above the office whose decision is on record; with none, nothing is reviewed.
        sees = within(model.office, reviewing) or within(model.receiving_office, reviewing)
        decider = model.decided_by
        predicted = (
            sees
            and decider is not None
            and above(reviewing, decider)
            and result in ("upheld", "overturned")
        )
        self.attempt(
            appeal,
            predicted,
            lambda: self.service.bus.send(
                ReviewDecision(
                    appeal_id=appeal,
                    reviewing_office=reviewing,
                    decision_ref="Refusal to open a case",
                    result=result,
                    reasons="Evidence ignored",
                ),
                staff("sup.1", reviewing),
            ),
        )

    # --- closing and reopening -------------------------------------------------------

    @rule(appeal=appeals, fresh=st.booleans())
    def close(self, appeal: UUID, fresh: bool) -> None:
        model = self.models[appeal]
        predicted = model.status in CLOSABLE
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                CloseAppeal(appeal_id=appeal),
                "pros.1",
                expected_version=self.expected(model, fresh),
            ),
        )
        if done:
            model.closed_from, model.status = model.status, Status.CLOSED

    @rule(appeal=appeals, fresh=st.booleans())
    def reopen(self, appeal: UUID, fresh: bool) -> None:
        model = self.models[appeal]
        predicted = model.status in REOPENABLE or (
            model.status == Status.CLOSED and model.closed_from in REOPENABLE
        )
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                ReopenAppeal(appeal_id=appeal, reason="The applicant disputes the answer"),
                "reg.1",
                expected_version=self.expected(model, fresh),
            ),
        )
        if done:
            model.status = Status.IN_PROGRESS if model.assignee else Status.RECEIVED
            model.outcome = None
            model.closed_from = None
            model.heard = False
            model.due_on = working_days_later(self.today, CONSIDERATION_WORKING_DAYS)
            model.original_due_on = model.due_on

    @rule(
        appeal=appeals,
        off_by=st.sampled_from([-3, -2, -1, 1, 2]),
        command=st.sampled_from(["assign", "materials", "decide", "close", "reopen"]),
    )
    def stale_expected_version(self, appeal: UUID, off_by: int, command: str) -> None:
        model = self.models[appeal]
        stale = model.version + off_by  # below 1 it is malformed: refused all the same
        commands: dict[str, Callable[[], Any]] = {
            "assign": lambda: send(
                self.service,
                AssignAppeal(appeal_id=appeal, assignee="pros.9", office=model.office),
                "h",
                expected_version=stale,
            ),
            "materials": lambda: send(
                self.service,
                AddMaterials(appeal_id=appeal, documents=["doc-9"], by_applicant=False),
                "r",
                expected_version=stale,
            ),
            "decide": lambda: send(
                self.service,
                Decide(appeal_id=appeal, outcome="explained", reasons="r", ground=None),
                "p",
                expected_version=stale,
            ),
            "close": lambda: send(
                self.service, CloseAppeal(appeal_id=appeal), "p", expected_version=stale
            ),
            "reopen": lambda: send(
                self.service,
                ReopenAppeal(appeal_id=appeal, reason="r"),
                "p",
                expected_version=stale,
            ),
        }
        self.attempt(appeal, False, commands[command])
