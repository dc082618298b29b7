"""The Center for Law Enforcement Services at the GPO, and instructions to the
regions in every state."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from domain.calendar import add_working_days
from domain.commands import (
    AcknowledgeInstruction,
    AssignAppeal,
    CloseAppeal,
    ExecuteInstruction,
    IssueInstruction,
    ReceiveAppeal,
    ReceiveInstruction,
)
from infra.demo.base import (
    DemoBase,
)
from infra.demo.plan import (
    CENTER_CHANNEL,
    CENTER_OFFICE,
    CENTER_SUMMARIES,
    OUTCOMES_ANSWERED,
    REGIONS,
)
from infra.demo.support import (
    _registrar,
    _staff,
    slug,
)


class CenterAndInstructions(DemoBase):
    # --- the Center for Law Enforcement Services ------------------------------------

    def center_part(self) -> None:
        targets = self.summary.center_targets
        rng = self.rng
        visits = list(range(targets["received"]))
        legal = set(rng.sample(visits, targets["legal_help"]))
        lawyers = set(rng.sample(sorted(legal), targets["lawyers"]))
        psychologist = set(rng.sample(visits, targets["psychologist"]))
        accepted = set(rng.sample(visits, targets["accepted_with_instructions"]))
        start = self.today - timedelta(days=61)
        days = [
            start + timedelta(days=d)
            for d in range(1, 62)
            if self.calendar.is_working_day(start + timedelta(days=d))
            and start + timedelta(days=d) <= self.today
        ]
        when = sorted(rng.choice(days) for _ in visits)
        for done, (visit, day) in enumerate(zip(visits, when, strict=True), start=1):
            self.center_visit(
                day, visit in legal, visit in lawyers, visit in psychologist, visit in accepted
            )
            self.progress(done, len(visits), "Center visits")
        self.clock.now()

    def center_visit(
        self, day: date, legal: bool, lawyer: bool, psychologist: bool, accepted: bool
    ) -> None:
        rng = self.rng
        appeal_id = self.bus.send(
            ReceiveAppeal(
                channel=CENTER_CHANNEL,
                office=CENTER_OFFICE,
                summary=rng.choice(CENTER_SUMMARIES),
                applicant=self.person(),
                received_on=day,
                # Only an accepted application is an appeal under consideration; a
                # visit for legal help alone is an enquiry answered on the spot.
                kind="statement" if accepted else "enquiry",
                language=rng.choice(["kk", "ru"]),
            ),
            _registrar(self.named(f"reg.gpo.center.{rng.randint(1, 3)}"), CENTER_OFFICE),
            idempotency_key=self.key("center"),
        ).appeal_id
        self.summary.appeal_ids.append(appeal_id)
        self.summary.center_ids.append(appeal_id)
        prosecutor = self.staff(CENTER_OFFICE)
        self.bus.send(
            AssignAppeal(appeal_id=appeal_id, assignee=prosecutor, office=CENTER_OFFICE),
            _staff(self.named("head.gpo.center")),
        )
        if lawyer:
            help = ["legal_help", "drafting_help"] if rng.random() < 0.4 else ["legal_help"]
            self.consult(appeal_id, "lawyer", f"lawyer.gpo.{rng.randint(1, 4)}", help)
        if legal and (not lawyer or rng.random() < 0.25):
            help = ["legal_help", "drafting_help"] if accepted else ["legal_help"]
            self.consult(appeal_id, "prosecutor", prosecutor, help)
        if psychologist:
            self.consult(appeal_id, "psychologist", "psych.gpo.1", ["psychological_help"])
        if not legal and not psychologist:
            if accepted:
                self.consult(appeal_id, "prosecutor", prosecutor, ["drafting_help"])
            elif rng.random() < 0.25:
                role, who, help = rng.choice(
                    [
                        ("mediator", "mediator.gpo.1", ["mediation"]),
                        ("probation_officer", "probation.gpo.1", ["drafting_help"]),
                        ("other_body_representative", "mvd-officer.gpo.1", ["drafting_help"]),
                    ]
                )
                self.consult(appeal_id, role, who, help)
        if accepted:
            region = rng.choice(self.regions_all)
            executed = self.center_instruction(appeal_id, region, day, prosecutor)
            regional, _ = self.assign(appeal_id, office=region)
            if executed:
                self.decide(appeal_id, rng.choice(OUTCOMES_ANSWERED), regional)
        else:
            # Answered on the spot: the enquiry is closed with the visit.
            self.bus.send(CloseAppeal(appeal_id=appeal_id), self.worker(appeal_id))

    # --- instructions ----------------------------------------------------------------

    def center_instruction(self, appeal_id: UUID, region: str, day: date, actor: str) -> bool:
        return self.instruction(
            issuing=CENTER_OFFICE,
            addressee=region,
            day=day,
            actor=actor,
            appeal_id=appeal_id,
            subject="Check an application accepted at the Center for Law Enforcement Services",
            body=(
                "Check the arguments of the application, take measures of prosecutorial "
                "response where the law was broken, and report to the GPO and the applicant."
            ),
        )

    def extra_instructions(self) -> None:
        """Regional offices instruct their districts; the first six reach one state
        each (so every state appears at any scale), the rest whatever their dates allow."""
        targets: list[tuple[str | None, int]] = [
            ("issued", 0),
            ("received", 1),
            ("acknowledged", 2),
            ("executed", 12),
            ("executed_late", 25),
            ("overdue", 25),
        ]
        total = max(len(targets), self.n(12))
        for done in range(1, total + 1):
            target, age = targets[done - 1] if done <= len(targets) else (None, -1)
            region = self.rng.choice(REGIONS)
            below = [o.code for o in self.offices.subtree(region) if o.code != region]
            self.instruction(
                issuing=region,
                addressee=self.rng.choice(below),
                day=self.back(age if age >= 0 else self.rng.randint(0, 40)),
                actor=self.staff(region),
                appeal_id=None,
                subject="Check the registration of crime reports in the district",
                body="Check that every crime report of the last quarter was registered in the "
                "Unified Register of Pre-trial Investigations; report the violations found.",
                target=target,
            )
            self.progress(done, total, "instructions")
        self.clock.now()
        self.instructions.mark_overdue(self.today, self.summary.instruction_ids)

    def instruction(
        self,
        *,
        issuing: str,
        addressee: str,
        day: date,
        actor: str,
        appeal_id: UUID | None,
        subject: str,
        body: str,
        target: str | None = None,
    ) -> bool:
        """Issue on ``day`` and take it to ``target`` (default: as far as the days since
        allow): issued, received, acknowledged, executed on time or late, or left
        overdue (marked at the end). Returns whether it was executed."""
        rng = self.rng
        cal = self.calendar
        due = add_working_days(cal, day, rng.randint(5, 10))
        self.clock.at(day, 16, rng.randint(0, 59))
        instruction_id = self.bus.send(
            IssueInstruction(
                issuing_office=issuing,
                addressee_office=addressee,
                subject=subject,
                body=body,
                due_on=due,
                appeal_id=appeal_id,
            ),
            _staff(actor, issuing),
            idempotency_key=self.key("instruction"),
        ).instruction_id
        self.summary.instruction_ids.append(instruction_id)
        received = add_working_days(cal, day, 1)
        on_time = self.working_days(add_working_days(cal, received, 1), min(due, self.today))
        late = self.working_days(add_working_days(cal, due, 1), self.today)
        if target is None:
            target = self.instruction_target(due, on_time, late)
        if received > self.today or target == "issued":
            return False
        self.clock.at(received, 9, rng.randint(0, 59))
        self.bus.send(
            ReceiveInstruction(instruction_id=instruction_id, office=addressee),
            _staff(self.staff(addressee, "reg", 2), addressee),
        )
        if target == "received":
            return False
        self.clock.at(received, 11, rng.randint(0, 59))
        self.bus.send(
            AcknowledgeInstruction(instruction_id=instruction_id, office=addressee),
            _staff(self.named(f"head.{slug(addressee)}"), addressee),
        )
        finish_days = on_time if target == "executed" else late
        if target not in ("executed", "executed_late") or not finish_days:
            return False  # still being worked, or left to be marked overdue
        finish = rng.choice(finish_days)
        if finish > due:
            self.instructions.mark_overdue(add_working_days(cal, due, 1), [instruction_id])
        self.clock.at(finish, 17, rng.randint(0, 29))
        self.bus.send(
            ExecuteInstruction(
                instruction_id=instruction_id,
                office=addressee,
                report="Checked; the violations found were remedied and those responsible "
                "were brought to disciplinary responsibility.",
            ),
            _staff(self.staff(addressee), addressee),
        )
        return True

    def instruction_target(self, due: date, on_time: list[date], late: list[date]) -> str:
        """What usually happens to an instruction by now, given its dates."""
        roll = self.rng.random()
        if due >= self.today:
            if roll < 0.1:
                return "received"
            return "executed" if on_time and roll < 0.6 else "acknowledged"
        if roll < 0.72:
            return "executed"
        if roll < 0.87 and late:
            return "executed_late"
        return "overdue" if roll < 0.95 else "received"

    def working_days(self, first: date, last: date) -> list[date]:
        days = [first + timedelta(days=d) for d in range((last - first).days + 1)]
        return [d for d in days if self.calendar.is_working_day(d)]
