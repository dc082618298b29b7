"""The Appeal's state machine (tests/unit/test_appeal_lifecycle.py), part two: the steps that
receive and work an appeal (assign, consult, add materials, redirect, extend), each
predicted to succeed or to be refused."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from hypothesis import strategies as st
from hypothesis.stateful import multiple, precondition, rule

from domain.appeal_terms import Status
from domain.applicants import Applicant
from domain.commands import AddMaterials, AssignAppeal, Consult, Extend, ReceiveAppeal, Redirect
from tests.support import send
from tests.unit.appeal_lifecycle_model import (
    BAD_IIN,
    CHANNELS,
    CONSIDERATION_WORKING_DAYS,
    EXTENSION_MAX_MONTHS,
    OFFICE_CODES,
    OPEN,
    PEOPLE,
    AppealMachine,
    Model,
    months_later,
    within,
    working_days_later,
)


class WorkingSteps(AppealMachine):
    """Receiving and working an appeal."""

    appeals = AppealMachine.appeals  # the one bundle, named in the rules below

    # --- receiving -----------------------------------------------------------------

    @precondition(lambda self: len(self.models) < 2)
    @rule(
        target=appeals,
        kind=st.sampled_from(["identified"] * 3 + ["anonymous", "crime report"]),
        channel=CHANNELS,
        office=st.sampled_from(OFFICE_CODES),
        person=st.integers(0, len(PEOPLE) - 1),
        back=st.integers(0, 30),
        broken=st.sampled_from([None] * 6 + ["office", "future", "summary", "iin", "agency"]),
    )
    def receive(
        self, kind: str, channel: str, office: str, person: int, back: int, broken: str | None
    ) -> Any:
        received_on = self.today - timedelta(days=back)
        applicant: Applicant | None = PEOPLE[person] if kind == "identified" else None
        if broken == "office":
            office = "REG-NOWHERE"
        elif broken == "future":
            received_on = self.today + timedelta(days=1)
        elif broken == "iin" and applicant is not None:
            applicant = Applicant(iin=BAD_IIN, name=applicant.name)
        new = ReceiveAppeal(
            channel=channel,
            office=office,
            summary=" " if broken == "summary" else "No answer to my complaint",
            applicant=applicant,
            reports_crime=kind == "crime report",
            # An anonymous crime report names the agency it is sent to at once; no other
            # appeal may name one ("agency" breaks that both ways).
            redirect_to=(
                "Police of Almaty" if (kind == "crime report") != (broken == "agency") else None
            ),
            received_on=received_on,
        )
        # The IIN matters only to a named applicant.
        predicted = broken is None or (broken == "iin" and kind != "identified")
        appeal_id = self.attempt(None, predicted, lambda: send(self.service, new, "reg.1"))
        if appeal_id is None:
            return multiple()
        due = working_days_later(received_on, CONSIDERATION_WORKING_DAYS)
        status = {
            "identified": Status.RECEIVED,
            "anonymous": Status.NOT_CONSIDERED,  # set aside at once
            "crime report": Status.REDIRECTED,  # sent on at once
        }[kind]
        self.models[appeal_id] = Model(
            channel=channel,
            receiving_office=office,
            office=office,
            anonymous=applicant is None,
            status=status,
            due_on=due,
            original_due_on=due,
            version=1 if status == Status.RECEIVED else 2,
            received_on=received_on,
        )
        return appeal_id

    # --- working the appeal ------------------------------------------------------

    @rule(
        appeal=appeals,
        assignee=st.sampled_from(["pros.1", "pros.2"]),
        office_kind=st.sampled_from(["receiving", "competent", "competent", "any", "same again"]),
        pick=st.integers(0, len(OFFICE_CODES) - 1),
        fresh=st.booleans(),
    )
    def assign(self, appeal: UUID, assignee: str, office_kind: str, pick: int, fresh: bool) -> None:
        model = self.models[appeal]
        if office_kind == "receiving":
            office = model.receiving_office
        elif office_kind == "competent":  # the receiving office or one below it
            subtree = [o for o in OFFICE_CODES if within(o, model.receiving_office)]
            office = subtree[pick % len(subtree)]
        elif office_kind == "any":
            office = OFFICE_CODES[pick]
        else:  # the same prosecutor of the same office again, once there is one
            assignee, office = model.assignee or assignee, model.office
        predicted = (
            model.status in OPEN
            and within(office, model.receiving_office)
            and (model.assignee, model.office) != (assignee, office)
        )
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                AssignAppeal(appeal_id=appeal, assignee=assignee, office=office),
                "head.1",
                expected_version=self.expected(model, fresh),
            ),
        )
        if done:
            model.assignee, model.office, model.status = assignee, office, Status.IN_PROGRESS

    @rule(
        appeal=appeals,
        role=st.sampled_from(["lawyer", "psychologist", "mediator", "astrologer"]),
        help=st.sampled_from(
            [["legal_help"], ["legal_help", "drafting_help"], [], ["legal_help", "legal_help"]]
        ),
        note=st.sampled_from([None, "Helped draft the complaint"]),
    )
    def consult(self, appeal: UUID, role: str, help: list[str], note: str | None) -> None:
        model = self.models[appeal]
        predicted = (
            model.status in OPEN
            and role != "astrologer"
            and bool(help)
            and len(set(help)) == len(help)
        )
        self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                Consult(
                    appeal_id=appeal,
                    specialist_role=role,
                    specialist="specialist.1",
                    help=help,
                    note=note,
                ),
                "reg.1",
            ),
        )

    @rule(
        appeal=appeals,
        documents=st.sampled_from([["doc-1"], ["doc-1", "doc-2"], [], [" "]]),
        by_applicant=st.booleans(),
        fresh=st.booleans(),
    )
    def add_materials(
        self, appeal: UUID, documents: list[str], by_applicant: bool, fresh: bool
    ) -> None:
        model = self.models[appeal]
        predicted = model.status in OPEN and bool(documents) and all(d.strip() for d in documents)
        self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                AddMaterials(appeal_id=appeal, documents=documents, by_applicant=by_applicant),
                "reg.1",
                expected_version=self.expected(model, fresh),
            ),
        )

    @rule(
        appeal=appeals,
        notified=st.sampled_from([True, False, False]),
        egov_reference=st.sampled_from([None, "EGOV-1"]),
    )
    def redirect(self, appeal: UUID, notified: bool, egov_reference: str | None) -> None:
        model = self.models[appeal]
        predicted = model.status in OPEN and notified
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                Redirect(
                    appeal_id=appeal,
                    agency="Ministry of Labour",
                    egov_reference=egov_reference,
                    applicant_notified=notified,
                ),
                "pros.1",
            ),
        )
        if done:
            model.status = Status.REDIRECTED

    @rule(
        appeal=appeals,
        to=st.sampled_from(["some days later", "some days later", "the limit", "past the limit"]),
        later_by=st.integers(-5, 75),
        role=st.sampled_from(["head", "deputy_head", "head", "prosecutor"]),
        notice=st.one_of(st.none(), st.integers(-2, 10)),
        fresh=st.booleans(),
    )
    def extend(
        self,
        appeal: UUID,
        to: str,
        later_by: int,
        role: str,
        notice: int | None,
        fresh: bool,
    ) -> None:
        model = self.models[appeal]
        limit = months_later(model.original_due_on, EXTENSION_MAX_MONTHS)
        new_due_on = {
            "some days later": model.due_on + timedelta(days=later_by),
            "the limit": limit,
            "past the limit": limit + timedelta(days=1),
        }[to]
        notified_on = None if notice is None else self.today + timedelta(days=notice)
        predicted = (
            model.status in OPEN
            and role in ("head", "deputy_head")
            and self.today <= model.due_on
            and new_due_on > model.due_on
            and new_due_on <= limit
            and (notified_on is None or notified_on >= self.today)
        )
        done = self.attempt(
            appeal,
            predicted,
            lambda: send(
                self.service,
                Extend(
                    appeal_id=appeal,
                    new_due_on=new_due_on,
                    reasons="Expert opinion awaited",
                    approver_role=role,
                    approver="head.1",
                    applicant_notified_on=notified_on,
                ),
                "pros.1",
                expected_version=self.expected(model, fresh),
            ),
        )
        if done:
            model.due_on = new_due_on
