"""The demo's state and the steps every part of it is made of: people, staff, dates
and the appeal commands, all sent through the demo's command bus."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from random import Random
from uuid import UUID

from domain.access import Principal, Role
from domain.applicants import Applicant, IdentityDocument, Representative
from domain.bin import generate_bin
from domain.commands import (
    AssignAppeal,
    CommandBus,
    Consult,
    Decide,
    ExplainRefusal,
    HearApplicant,
    ReceiveAppeal,
    RecordNotice,
    Redirect,
)
from domain.iin import generate_iin
from domain.instruction_service import InstructionService
from domain.offices import Level
from domain.reception_service import ReceptionService
from domain.service import AppealsService
from infra.bootstrap import Container
from infra.demo.plan import (
    AGENCIES,
    CHANNEL_WEIGHTS,
    CHANNELS,
    COMPANY_KINDS,
    FEMALE,
    MALE,
    OUTCOMES_ANSWERED,
    REGIONS,
    SUMMARIES,
    SURNAMES,
)
from infra.demo.support import (
    DemoClock,
    DemoSummary,
    ProgressReport,
    _registrar,
    _staff,
    center_targets,
    scaled,
    slug,
)


class DemoBase:
    def __init__(
        self,
        container: Container,
        today: date,
        now: Callable[[], datetime],
        scale: float,
        seed: int,
        progress: ProgressReport,
    ) -> None:
        self.svc: AppealsService = container.service
        self.scale = scale
        self.seed = seed
        self.progress = progress
        self.rng = Random(seed)
        self.calendar = self.svc.calendar
        self.offices = self.svc.offices
        self.clock = DemoClock(now)
        # The appeal service's own: only decide() moves it, and puts it back at once.
        self.appeal_clock = DemoClock(now)
        self.reception = ReceptionService(
            self.svc, self.offices, self.svc.rules, self.clock, self.calendar
        )
        self.instructions = InstructionService(self.svc, self.offices, self.calendar, self.clock)
        # The demo's own bus: its reception and instructions run on the demo's clock.
        self.bus = CommandBus(self.svc, instructions=self.instructions, reception=self.reception)
        self.today = today
        self.summary = DemoSummary(seed=seed, scale=scale, center_targets=center_targets(scale))
        self.numbers: Iterator[int] = itertools.count()
        self.sample = [o.code for r in REGIONS for o in self.offices.subtree(r)]
        self.districts = [c for c in self.sample if self.offices.get(c).level is Level.DISTRICT]
        self.regions_all = [
            o.code for o in self.offices if o.level is Level.REGIONAL and o.kind == "territorial"
        ]

    def n(self, count: int) -> int:
        return scaled(count, self.scale)

    def key(self, kind: str) -> str:
        return f"demo:{self.seed}:{self.scale}:{kind}:{next(self.numbers)}"

    # --- people, staff, dates ------------------------------------------------------

    def person(self, rng: Random | None = None) -> Applicant:
        rng = rng or self.rng
        female = rng.random() < 0.5
        born = date(rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))
        first = rng.choice(FEMALE if female else MALE)
        father = rng.choice(MALE)
        surname = rng.choice(SURNAMES) + ("a" if female else "")
        patronymic = father + ("ovna" if female else "ovich")
        phone = f"+7 7{rng.choice(['01', '05', '07', '47', '77'])} {rng.randint(100, 999)} "
        phone += f"{rng.randint(1000, 9999)}"
        return Applicant(
            iin=generate_iin(rng, born, female=female),
            name=f"{first} {patronymic} {surname}",
            phone=phone,
        )

    def applicant(self) -> Applicant:
        """Mostly a resident by IIN; now and then a legal entity, a foreigner or a
        stateless person, someone acting through a representative, or several people
        together."""
        rng, draw = self.rng, self.rng.random()
        if draw < 0.08:
            registered = date(rng.randint(1998, 2024), rng.randint(1, 12), 1)
            return Applicant(
                kind="legal_entity",
                bin=generate_bin(rng, registered, kind=4, attribute=rng.choice([0, 0, 1])),
                name=f"{rng.choice(SURNAMES)} {rng.choice(COMPANY_KINDS)}",
                representative=Representative(name=self.person(rng).name, position="director"),
            )
        if draw < 0.13:
            stateless = rng.random() < 0.2
            return Applicant(
                kind="foreigner",
                name=self.person(rng).name,
                document=IdentityDocument(
                    type="stateless_certificate" if stateless else "passport",
                    number=f"{rng.randint(10, 99)} {rng.randint(1_000_000, 9_999_999)}",
                    country="XX" if stateless else rng.choice(["RU", "UZ", "KG", "CN", "TR"]),
                ),
            )
        if draw < 0.18:
            others = tuple(self.person(rng) for _ in range(rng.randint(1, 4)))
            return replace(self.person(rng), co_applicants=others)
        if draw < 0.23:
            lawyer = Representative(
                name=self.person(rng).name,
                power_of_attorney=f"No. {rng.randint(1, 999)}",
            )
            return replace(self.person(rng), representative=lawyer)
        return self.person(rng)

    def staff(self, office: str, kind: str = "pros", count: int | None = None) -> str:
        if count is None:
            count = {Level.GPO: 6, Level.REGIONAL: 4, Level.DISTRICT: 3}[
                self.offices.get(office).level
            ]
        who = f"{kind}.{slug(office)}.{self.rng.randint(1, count)}"
        self.summary.staff.add(who)
        return who

    def named(self, who: str) -> str:
        self.summary.staff.add(who)
        return who

    def back(self, working_days: int) -> date:
        """The day ``working_days`` working days before today (0: the last working day)."""
        day = self.today
        while not self.calendar.is_working_day(day):
            day -= timedelta(days=1)
        for _ in range(working_days):
            day -= timedelta(days=1)
            while not self.calendar.is_working_day(day):
                day -= timedelta(days=1)
        return day

    def egov(self) -> str:
        return f"EGOV-{self.today.year}-{self.rng.randint(100000, 999999)}"

    # --- the appeal steps ----------------------------------------------------------

    def receive(
        self,
        *,
        age: tuple[int, int],
        office: str | None = None,
        channel: str | None = None,
        applicant: Applicant | None = None,
        anonymous: bool = False,
        reports_crime: bool = False,
        redirect_to: str | None = None,
        repeat_of: UUID | None = None,
        summary: str | None = None,
    ) -> UUID:
        rng = self.rng
        office = office or rng.choice(self.sample)
        channel = channel or rng.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        if not anonymous and applicant is None:
            applicant = self.applicant()
        outcome = self.bus.send(
            ReceiveAppeal(
                channel=channel,
                office=office,
                summary=summary or rng.choice(SUMMARIES),
                applicant=applicant,
                reports_crime=reports_crime,
                redirect_to=redirect_to,
                repeat_of=repeat_of,
                received_on=self.back(rng.randint(*age)),
            ),
            _registrar(self.staff(office, "reg", 2), office),
            idempotency_key=self.key("appeal"),
        )
        self.summary.appeal_ids.append(outcome.appeal_id)
        if applicant is not None and rng.random() < 0.85:
            # Most applicants are told of the receipt within days; some only late.
            self.notify(outcome.appeal_id, "receipt", office, rng.choice([0, 1, 2, 3, 6]))
        return outcome.appeal_id

    def assign(self, appeal_id: UUID, office: str | None = None) -> tuple[str, str]:
        """Assign to a prosecutor of ``office`` (default: the receiving office, or now
        and then a district office below it); returns (assignee, office)."""
        receiving = self.svc.get_appeal(appeal_id).receiving_office
        if office is None:
            office = receiving
            below = [o.code for o in self.offices.subtree(receiving) if o.code != receiving]
            if below and self.rng.random() < 0.3:
                office = self.rng.choice(below)
        assignee = self.staff(office)
        self.bus.send(
            AssignAppeal(appeal_id=appeal_id, assignee=assignee, office=office),
            _staff(self.named(f"head.{slug(receiving)}"), receiving),
        )
        return assignee, office

    def notify(self, appeal_id: UUID, kind: str, office: str, days_after: int) -> None:
        """The registry tells the applicant of a step, ``days_after`` it (not after today)."""
        since = self.svc.get_appeal(appeal_id).notices_pending.get(kind)
        if since is None:
            return
        self.bus.send(
            RecordNotice(
                appeal_id=appeal_id,
                kind=kind,
                channel=self.rng.choice(["post", "email", "sms", "egov_portal"]),
                sent_on=min(since + timedelta(days=days_after), self.today),
            ),
            _registrar(self.staff(office, "reg", 2), office),
        )

    def worker(self, appeal_id: UUID) -> Principal:
        """Who works the appeal: its assignee, or the head of its office before it has one."""
        appeal = self.svc.get_appeal(appeal_id)
        if appeal.assignee is not None:
            return Principal(sub=appeal.assignee, role=Role.PROSECUTOR, office=appeal.office)
        return _staff(self.named(f"head.{slug(appeal.office)}"), appeal.office)

    def consult(self, appeal_id: UUID, role: str, who: str, help: list[str]) -> None:
        notes = {
            "legal_help": "Explained the applicant's rights and the procedure",
            "drafting_help": "Helped draft the application",
            "psychological_help": "Psychological support during the visit",
            "mediation": "Mediation between the parties offered",
        }
        self.bus.send(
            Consult(
                appeal_id=appeal_id,
                specialist_role=role,
                specialist=self.named(who),
                help=help,
                note="; ".join(notes[h] for h in help),
            ),
            self.worker(appeal_id),
        )

    def decide(self, appeal_id: UUID, outcome: str, actor: str, ground: str | None = None) -> None:
        reasons = {
            "satisfied": "The arguments were confirmed; measures of prosecutorial response taken",
            "partially_satisfied": "The arguments were partly confirmed; a representation issued",
            "explained": "The applicant was given an explanation of the law",
            "refused": "The arguments of the appeal were not confirmed by the check",
        }[outcome]
        if outcome == "refused" and ground is None:
            ground = self.rng.choice(sorted(self.svc.rules.decision_refusal_grounds))
        appeal = self.svc.get_appeal(appeal_id)
        if appeal.status.value != "deemed_refused" and appeal.due_on < self.today:
            # An appeal received long ago was decided in time, on a working day of its period.
            span = (appeal.due_on - appeal.received_on).days
            day = appeal.received_on + timedelta(days=self.rng.randint(1, max(1, span)))
            while not self.calendar.is_working_day(day) and day < appeal.due_on:
                day += timedelta(days=1)
            self.clock.at(day, 15, self.rng.randint(0, 59))
        try:
            if outcome in ("refused", "partially_satisfied") and not appeal.heard:
                # APPK art. 73: the applicant is heard before an adverse decision.
                self.bus.send(
                    HearApplicant(
                        appeal_id=appeal_id,
                        form=self.rng.choice(["in_person", "written", "declined"]),
                        note="The applicant maintained the arguments of the appeal",
                    ),
                    self.worker(appeal_id),
                )
            self.bus.send(
                Decide(appeal_id=appeal_id, outcome=outcome, reasons=reasons, ground=ground),
                self.worker(appeal_id),
            )
        finally:
            self.clock.now()
        if self.rng.random() < 0.8:
            office = self.svc.get_appeal(appeal_id).office
            self.notify(appeal_id, "answer", office, self.rng.choice([0, 1, 2, 5]))

    def redirect(self, appeal_id: UUID) -> None:
        office = self.svc.get_appeal(appeal_id).office
        self.bus.send(
            Redirect(
                appeal_id=appeal_id,
                agency=self.rng.choice(AGENCIES),
                egov_reference=self.egov(),
                applicant_notified=True,
            ),
            _registrar(self.staff(office, "reg", 2), office),
        )

    def worked(
        self,
        age: tuple[int, int] = (1, 12),
        *,
        office: str | None = None,
        channel: str | None = None,
        applicant: Applicant | None = None,
    ) -> tuple[UUID, str, str]:
        """Received and assigned; returns (id, assignee, office)."""
        appeal_id = self.receive(age=age, office=office, channel=channel, applicant=applicant)
        assignee, office = self.assign(appeal_id)
        return appeal_id, assignee, office

    def not_in_person(self) -> str:
        """A channel whose refusal needs no personal explanation."""
        return self.rng.choice(["written", "electronic_portal", "call_centre_115"])

    def answered(self, outcome: str | None = None) -> tuple[UUID, str]:
        """A worked appeal decided on time (now and then late); returns (id, assignee)."""
        late = self.rng.random() < 0.15
        channel = self.not_in_person() if outcome == "refused" else None
        appeal_id, assignee, _ = self.worked(age=(17, 45) if late else (2, 13), channel=channel)
        if self.rng.random() < 0.3:
            self.consult(appeal_id, "prosecutor", assignee, ["legal_help"])
        self.decide(appeal_id, outcome or self.rng.choice(OUTCOMES_ANSWERED), assignee)
        if self.svc.get_appeal(appeal_id).status.value == "refusal_pending_explanation":
            # Partly satisfied after a personal reception: the reasons are given in person.
            self.explain(appeal_id, assignee)
        return appeal_id, assignee

    def personal_refusal(self) -> tuple[UUID, str]:
        office = self.rng.choice(self.sample)
        appeal_id, assignee, _ = self.worked(
            age=(2, 12), office=office, channel="personal_reception"
        )
        self.decide(appeal_id, "refused", assignee)
        return appeal_id, assignee

    def explain(self, appeal_id: UUID, assignee: str) -> None:
        self.bus.send(
            ExplainRefusal(
                appeal_id=appeal_id,
                explained_on=None,
                note="The reasons for the refusal were explained to the applicant in person",
            ),
            self.worker(appeal_id),
        )

    def deemed(self) -> UUID:
        appeal_id = self.receive(age=(17, 60))
        if self.rng.random() < 0.7:
            self.assign(appeal_id)
        self.svc.deem_refused_if_overdue([appeal_id])
        return appeal_id

    def district_decision(self, outcome: str) -> tuple[UUID, str, str]:
        office = self.rng.choice(self.districts)
        appeal_id, assignee, _ = self.worked(
            age=(3, 12), office=office, channel=self.not_in_person()
        )
        self.decide(appeal_id, outcome, assignee)
        return appeal_id, assignee, office
