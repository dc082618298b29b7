"""`appeals demo`: a realistic data set, made only through the application services.

Offices come from the directory; staff are the ids the commands name (``pros.ala.1``);
appeals reach every state; the Center for Law Enforcement Services at the GPO gets two
months of visits in the shape of its published figures (1,110 citizens received, 616
given legal help, 175 helped by lawyers, 134 by the psychologist, 341 applications
accepted with instructions to the regions), scaled; reception schedules and
appointments, and instructions in every state, complete the picture.

Everything is drawn from ``random.Random(seed)`` and the appeals and instructions get
ids derived from the seed and scale (idempotency keys), so one seed gives the same data
set on any empty store. Appeals are received in the past (``received_on``). While it runs the
demo gives the services a clock of its own that walks through the past: decisions on
appeals received long ago are taken on a working day inside their period, and the
reception and instruction services book, attend and instruct on past days.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from random import Random
from typing import Protocol
from uuid import UUID

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from domain.access import Principal, Role
from domain.applicants import Applicant
from domain.calendar import add_working_days
from domain.clock import KAZAKHSTAN
from domain.commands import (
    AcknowledgeInstruction,
    AddMaterials,
    ApproveSchedule,
    AssignAppeal,
    BookAppointment,
    CancelAppointment,
    CloseAppeal,
    Consult,
    Decide,
    DelegateSession,
    ExecuteInstruction,
    ExplainRefusal,
    Extend,
    IssueInstruction,
    ReceiveAppeal,
    ReceiveCaseFile,
    ReceiveInstruction,
    RecordAttendance,
    Redirect,
    RefuseAdmission,
    ReopenAppeal,
    RequestCaseFile,
    ReviewDecision,
)
from domain.errors import AppealNotFound
from domain.iin import generate_iin
from domain.instruction_service import InstructionService
from domain.offices import Level
from domain.reception import ReceptionSchedule
from domain.reception_errors import ScheduleOverlap
from domain.reception_service import ReceptionService
from domain.service import AppealsService
from infra.adapters.settings import Settings
from infra.bootstrap import Container, build

MIN_SCALE = 0.01
IIN_LIKE = re.compile(r"\d{12}")
CENTER_OFFICE = "GPO"
CENTER_CHANNEL = "law_enforcement_center"

# The Center's two months, as the General Prosecutor's Office reported them.
CENTER_FIGURES = {
    "received": 1110,
    "legal_help": 616,
    "lawyers": 175,
    "psychologist": 134,
    "accepted_with_instructions": 341,
}

# How many appeals of each story at scale 1.0 (the Center's visits come on top).
STORIES = {
    "received": 60,
    "in_progress": 60,
    "consulted": 40,
    "materials_added": 40,
    "extended": 30,
    "redirected": 40,
    "redirected_late": 15,
    "satisfied": 60,
    "partially_satisfied": 40,
    "explained": 60,
    "refused": 50,
    "refusal_pending_explanation": 20,
    "refusal_explained": 30,
    "deemed_refused": 40,
    "closed": 80,
    "reopened": 20,
    "case_file": 30,
    "review_upheld": 20,
    "review_overturned": 15,
    "anonymous_set_aside": 25,
    "anonymous_crime_redirected": 15,
    "repeated": 30,
}

REGIONS = ["REG-ALA", "REG-AST", "REG-SHY", "REG-KAR", "REG-AKT", "REG-TUR", "REG-MIL"]
CHANNELS = ["written", "electronic_portal", "call_centre_115", "personal_reception"]
CHANNEL_WEIGHTS = [25, 35, 15, 25]

MALE = (  # noqa: SIM905
    "Nurlan Serik Yerlan Marat Bolat Kairat Daulet Askar Berik Galym Talgat Zhanat "
    "Yerzhan Arman Baurzhan Nurlybek Timur"
).split()
FEMALE = (  # noqa: SIM905
    "Aigerim Aizhan Dana Gulnara Saule Aliya Dinara Zhanar Madina Asel Kamila Ainur "
    "Gaukhar Meruert Akmaral Zarina"
).split()
SURNAMES = (  # noqa: SIM905
    "Abenov Akhmetov Baimukhanov Bekov Dzhaksybekov Ermekov Ibraimov Kassymov Mukanov "
    "Nurpeisov Omarov Sarsenbayev Tokayev Utepov Zhakupov Iskakov Amanzholov "
    "Kenzhebayev Suleimenov Zhumabayev"
).split()

SUMMARIES = [
    "Complaint about the refusal to open a criminal case on a fraud report",
    "The employer has not paid wages for three months",
    "Disagrees with a private bailiff's seizure of the only home",
    "Police did not act on a report of a stolen car",
    "Asks to check the legality of a land plot allocation by the akimat",
    "Complaint about an unlawful dismissal from a state school",
    "Alimony awarded by the court is not being collected",
    "Dispute over the calculation of an old-age pension",
    "The akimat refuses to put the family on the housing waiting list",
    "Asks to review an investigator's decision to discontinue a case",
    "Complaint about the length of a pre-trial investigation",
    "A management company raised utility charges without grounds",
    "Complaint about a bank's collection agency threatening the family",
    "Asks to check the conditions of detention of a relative",
    "The school demands unofficial payments from parents",
]
CENTER_SUMMARIES = [
    "Consultation on a refused crime report",
    "Help drafting a complaint about a court bailiff",
    "Questions about the enforcement of alimony",
    "Unpaid wages: asks how to recover them",
    "Complaint about an investigator's inaction",
    "Asks to verify a district prosecutor's procedural decision",
    "Family conflict; asks for protection from violence",
    "Consultation on inheritance rights",
    "Threatened with eviction from a rented flat",
    "Disagrees with the akimat's decision on a land plot",
]
AGENCIES = [
    "Ministry of Labour and Social Protection of the Population",
    "Ministry of Internal Affairs",
    "Anti-Corruption Agency",
    "Ministry of Health",
    "Ministry of Education",
    "Akimat of Almaty",
    "Committee for Land Management",
]
THREAT_AGENCIES = ["Ministry of Internal Affairs", "National Security Committee"]
OUTCOMES_ANSWERED = ["satisfied", "partially_satisfied", "explained"]


def _staff(actor: str, office: str = "GPO") -> Principal:
    """The demo's staff act as supervisors; at the GPO (the root) they see every office."""
    return Principal(sub=actor, role=Role.SUPERVISOR, office=office)


class ProgressReport(Protocol):
    """Told how far a stage has got: ``done`` of ``total`` steps of ``stage``."""

    def __call__(self, done: int, total: int, stage: str) -> None: ...


class DemoDataPresent(RuntimeError):
    """The store already holds the demo data of this seed and scale."""


@dataclass
class DemoSummary:
    """What was created, read back from the aggregates themselves."""

    seed: int
    scale: float
    appeal_ids: list[UUID] = field(default_factory=list)
    center_ids: list[UUID] = field(default_factory=list)
    instruction_ids: list[UUID] = field(default_factory=list)
    appointment_ids: list[UUID] = field(default_factory=list)
    schedule_ids: list[UUID] = field(default_factory=list)
    appeal_states: Counter[str] = field(default_factory=Counter)
    stories: Counter[str] = field(default_factory=Counter)
    center: dict[str, int] = field(default_factory=dict)
    center_targets: dict[str, int] = field(default_factory=dict)
    instruction_states: Counter[str] = field(default_factory=Counter)
    appointment_states: Counter[str] = field(default_factory=Counter)
    staff: set[str] = field(default_factory=set)


def scaled(count: int, scale: float) -> int:
    """``count * scale`` rounded half up (so 1,110 at 0.05 is 56)."""
    exact = Decimal(count) * Decimal(str(scale))
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def center_targets(scale: float) -> dict[str, int]:
    return {name: scaled(n, scale) for name, n in CENTER_FIGURES.items()}


def slug(office: str) -> str:
    """``REG-ALA`` -> ``ala``, ``DIS-ALA-MEDEU`` -> ``ala-medeu``, ``GPO`` -> ``gpo``."""
    if office == CENTER_OFFICE:
        return "gpo"
    return office.split("-", 1)[1].lower()


class DemoClock:
    """The reception and instruction services' clock: a chosen moment, else the demo's
    own "now" (``real``)."""

    def __init__(self, real: Callable[[], datetime]) -> None:
        self.real = real
        self.moment: datetime | None = None

    def __call__(self) -> datetime:
        return self.moment or self.real()

    def at(self, day: date, hour: int, minute: int = 0) -> None:
        """Set the clock to a moment in Kazakhstan, never later than the demo's now."""
        moment = datetime.combine(day, time(hour, minute), KAZAKHSTAN)
        self.moment = min(moment, self.real())

    def now(self) -> None:
        self.moment = None


# The demo's day ends when the reception day does (09:00-18:30 in the 2017 rules).
DEMO_DAY_ENDS = time(18, 30)


class DemoInTheFuture(ValueError):
    """The demo was asked for a day after the services' own today."""


def generate(
    container: Container,
    *,
    today: date | None = None,
    scale: float,
    seed: int,
    progress: ProgressReport,
) -> DemoSummary:
    """Create the demo data set through the services; see the module docstring.

    ``today`` (default: the services' today) is the day the data set ends on: appeals
    are received before it and the demo's "now" is 18:30 that day, or the services'
    clock if that is earlier the same day. One seed, scale and ``today`` give the same
    data set, whatever day the demo is run."""
    if scale < MIN_SCALE:
        raise ValueError(f"scale must be at least {MIN_SCALE}")
    clock = container.service.clock
    real_today = container.service.today()
    day = today or real_today
    if day > real_today:
        raise DemoInTheFuture(
            f"the demo cannot end on {day.isoformat()}, after today ({real_today.isoformat()})"
        )
    day_ends = datetime.combine(day, DEMO_DAY_ENDS, KAZAKHSTAN)

    def demo_now() -> datetime:
        return min(day_ends, clock())

    return _Demo(container, day, demo_now, scale, seed, progress).run()


class _Demo:
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
        self.today = today
        self.summary = DemoSummary(seed=seed, scale=scale, center_targets=center_targets(scale))
        self.numbers: Iterator[int] = itertools.count()
        self.sample = [o.code for r in REGIONS for o in self.offices.subtree(r)]
        self.districts = [c for c in self.sample if self.offices.get(c).level is Level.DISTRICT]
        self.regions_all = [
            o.code for o in self.offices if o.level is Level.REGIONAL and o.kind == "territorial"
        ]

    # --- the plan ------------------------------------------------------------------

    def run(self) -> DemoSummary:
        # Decisions are taken on days inside their appeals' periods (see decide()), so
        # the appeal service reads "today" from the demo's clock while it runs.
        real_clock = self.svc.clock
        self.svc.clock = self.appeal_clock
        try:
            return self._run()
        finally:
            self.svc.clock = real_clock

    def _run(self) -> DemoSummary:
        self.check_not_loaded()
        self.reception_part()
        stories = [name for name, n in STORIES.items() for _ in range(max(1, self.n(n)))]
        self.rng.shuffle(stories)
        for done, story in enumerate(stories, start=1):
            getattr(self, f"story_{story}")()
            self.summary.stories[story] += 1
            self.progress(done, len(stories), "appeals")
        self.center_part()
        self.extra_instructions()
        self.check()
        return self.summary

    def n(self, count: int) -> int:
        return scaled(count, self.scale)

    def key(self, kind: str) -> str:
        return f"demo:{self.seed}:{self.scale}:{kind}:{next(self.numbers)}"

    def check_not_loaded(self) -> None:
        first = self.svc.appeal_id_for(f"demo:{self.seed}:{self.scale}:appeal:0")
        try:
            self.svc.get_appeal(first)
        except AppealNotFound:
            return
        raise DemoDataPresent(
            f"This store already holds the demo data of seed {self.seed} at scale "
            f"{self.scale}; pass another --seed (or start from an empty store)."
        )

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
            applicant = self.person()
        outcome = self.svc.bus.send(
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
            _staff(self.staff(office, "reg", 2)),
            idempotency_key=self.key("appeal"),
        )
        self.summary.appeal_ids.append(outcome.appeal_id)
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
        self.svc.bus.send(
            AssignAppeal(appeal_id=appeal_id, assignee=assignee, office=office),
            _staff(self.named(f"head.{slug(office)}")),
        )
        return assignee, office

    def consult(self, appeal_id: UUID, role: str, who: str, help: list[str]) -> None:
        notes = {
            "legal_help": "Explained the applicant's rights and the procedure",
            "drafting_help": "Helped draft the application",
            "psychological_help": "Psychological support during the visit",
            "mediation": "Mediation between the parties offered",
        }
        self.svc.bus.send(
            Consult(
                appeal_id=appeal_id,
                specialist_role=role,
                specialist=self.named(who),
                help=help,
                note="; ".join(notes[h] for h in help),
            ),
            _staff(who),
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
            self.svc.bus.send(
                Decide(appeal_id=appeal_id, outcome=outcome, reasons=reasons, ground=ground),
                _staff(actor),
            )
        finally:
            self.clock.now()

    def redirect(self, appeal_id: UUID, actor: str) -> None:
        self.svc.bus.send(
            Redirect(
                appeal_id=appeal_id,
                agency=self.rng.choice(AGENCIES),
                egov_reference=self.egov(),
                applicant_notified=True,
            ),
            _staff(actor),
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
        return appeal_id, assignee

    def personal_refusal(self) -> tuple[UUID, str]:
        office = self.rng.choice(self.sample)
        appeal_id, assignee, _ = self.worked(
            age=(2, 12), office=office, channel="personal_reception"
        )
        self.decide(appeal_id, "refused", assignee)
        return appeal_id, assignee

    def explain(self, appeal_id: UUID, assignee: str) -> None:
        self.svc.bus.send(
            ExplainRefusal(
                appeal_id=appeal_id,
                explained_on=None,
                note="The reasons for the refusal were explained to the applicant in person",
            ),
            _staff(assignee),
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

    # --- the stories ---------------------------------------------------------------

    def story_received(self) -> None:
        self.receive(age=(0, 10))

    def story_in_progress(self) -> None:
        self.worked(age=(0, 12))

    def story_consulted(self) -> None:
        appeal_id, assignee, _ = self.worked()
        role, who, help = self.rng.choice(
            [
                ("prosecutor", assignee, ["legal_help"]),
                ("prosecutor", assignee, ["legal_help", "drafting_help"]),
                ("mediator", "mediator.ala.1", ["mediation"]),
                ("probation_officer", "probation.ala.1", ["legal_help"]),
                ("other_body_representative", "labour-inspector.ala.1", ["legal_help"]),
            ]
        )
        self.consult(appeal_id, role, who, help)

    def story_materials_added(self) -> None:
        appeal_id, assignee, _ = self.worked()
        documents = [f"scan-{self.rng.randint(1000, 9999)}.pdf"]
        if self.rng.random() < 0.4:
            documents.append(f"court-ruling-{self.rng.randint(100, 999)}.pdf")
        self.svc.bus.send(
            AddMaterials(appeal_id=appeal_id, documents=documents, by_applicant=True),
            _staff(assignee),
        )

    def story_extended(self) -> None:
        appeal_id, assignee, office = self.worked(age=(3, 12))
        due = self.svc.get_appeal(appeal_id).due_on
        role = self.rng.choice(["head", "deputy_head"])
        self.svc.bus.send(
            Extend(
                appeal_id=appeal_id,
                new_due_on=due + timedelta(days=self.rng.randint(10, 30)),
                reasons="An expert opinion and documents from other bodies are awaited",
                approver_role=role,
                approver=self.named(f"{'head' if role == 'head' else 'deputy'}.{slug(office)}"),
                applicant_notified_on=None,
            ),
            _staff(assignee),
        )

    def story_redirected(self) -> None:
        appeal_id = self.receive(age=(0, 2))
        self.redirect(appeal_id, self.staff(self.svc.get_appeal(appeal_id).office))

    def story_redirected_late(self) -> None:
        appeal_id = self.receive(age=(5, 10))
        self.redirect(appeal_id, self.staff(self.svc.get_appeal(appeal_id).office))

    def story_satisfied(self) -> None:
        self.answered("satisfied")

    def story_partially_satisfied(self) -> None:
        self.answered("partially_satisfied")

    def story_explained(self) -> None:
        self.answered("explained")

    def story_refused(self) -> None:
        appeal_id, assignee, _ = self.worked(age=(2, 13), channel=self.not_in_person())
        self.decide(appeal_id, "refused", assignee)

    def story_refusal_pending_explanation(self) -> None:
        self.personal_refusal()

    def story_refusal_explained(self) -> None:
        self.explain(*self.personal_refusal())

    def story_deemed_refused(self) -> None:
        self.deemed()

    def story_closed(self) -> None:
        variant = self.rng.randrange(5)
        if variant == 0:
            appeal_id, closer = self.answered()
        elif variant == 1:
            appeal_id, closer = self.personal_refusal()
            self.explain(appeal_id, closer)
        elif variant == 2:
            appeal_id = self.receive(age=(0, 2))
            closer = self.staff(self.svc.get_appeal(appeal_id).office)
            self.redirect(appeal_id, closer)
        elif variant == 3:
            appeal_id = self.deemed()
            closer = self.staff(self.svc.get_appeal(appeal_id).office)
        else:
            appeal_id = self.receive(age=(0, 60), anonymous=True)
            closer = self.staff(self.svc.get_appeal(appeal_id).office)
        self.svc.bus.send(CloseAppeal(appeal_id=appeal_id), _staff(closer))

    def story_reopened(self) -> None:
        appeal_id, assignee = self.answered(self.rng.choice(["explained", "refused"]))
        self.svc.bus.send(CloseAppeal(appeal_id=appeal_id), _staff(assignee))
        office = self.svc.get_appeal(appeal_id).office
        self.svc.bus.send(
            ReopenAppeal(
                appeal_id=appeal_id,
                reason="The applicant disputes the answer and gives new arguments",
            ),
            _staff(self.staff(office, "reg", 2)),
        )

    def story_case_file(self) -> None:
        office = self.rng.choice(self.districts)
        appeal_id, _, _ = self.worked(office=office)
        parent = self.offices.get(office).parent
        assert parent is not None
        requesting = parent if self.rng.random() < 0.8 else CENTER_OFFICE
        actor = self.staff(requesting)
        case_ref = f"CR-{self.today.year}-{slug(office).upper()}-{self.rng.randint(1, 9999):04d}"
        request_id = self.svc.bus.send(
            RequestCaseFile(appeal_id=appeal_id, requesting_office=requesting, case_ref=case_ref),
            _staff(actor, requesting),
        ).result
        if self.rng.random() < 0.6:
            self.svc.bus.send(
                ReceiveCaseFile(appeal_id=appeal_id, request_id=request_id), _staff(actor)
            )

    def review(self, result: str) -> tuple[UUID, str]:
        outcome = self.rng.choice(["refused", "explained"])
        appeal_id, _, office = self.district_decision(outcome)
        reviewing = self.offices.get(office).parent
        assert reviewing is not None
        reviewer = self.staff(reviewing)
        self.svc.bus.send(
            ReviewDecision(
                appeal_id=appeal_id,
                reviewing_office=reviewing,
                decided_by_office=office,
                decision_ref=f"{office}/{self.today.year}/{self.rng.randint(1, 9999)}",
                result=result,
                reasons="The decision is lawful and justified"
                if result == "upheld"
                else "The check was incomplete; the applicant's evidence was not examined",
            ),
            _staff(reviewer, reviewing),
        )
        return appeal_id, reviewer

    def story_review_upheld(self) -> None:
        appeal_id, reviewer = self.review("upheld")
        if self.rng.random() < 0.5:
            self.svc.bus.send(CloseAppeal(appeal_id=appeal_id), _staff(reviewer))

    def story_review_overturned(self) -> None:
        appeal_id, reviewer = self.review("overturned")
        self.svc.bus.send(
            ReopenAppeal(
                appeal_id=appeal_id, reason="The decision was overturned by a higher office"
            ),
            _staff(reviewer),
        )

    def story_anonymous_set_aside(self) -> None:
        self.receive(age=(0, 60), anonymous=True)

    def story_anonymous_crime_redirected(self) -> None:
        self.receive(
            age=(0, 2),
            anonymous=True,
            reports_crime=True,
            redirect_to=self.rng.choice(THREAT_AGENCIES),
            summary=self.rng.choice(
                [
                    "Anonymous report of drug dealing near a school",
                    "Anonymous report of a planned attack on a public building",
                    "Anonymous report of bribes taken at a customs post",
                ]
            ),
        )

    def story_repeated(self) -> None:
        person = self.person()
        if self.rng.random() < 0.5:
            earlier = self.receive(age=(20, 55), applicant=person)
            self.assign(earlier)
            self.svc.deem_refused_if_overdue([earlier])
        else:
            earlier, assignee, _ = self.worked(
                age=(20, 55), applicant=person, channel=self.not_in_person()
            )
            self.decide(earlier, "refused", assignee)
            self.svc.bus.send(CloseAppeal(appeal_id=earlier), _staff(assignee))
        office = self.svc.get_appeal(earlier).receiving_office
        again = self.receive(age=(0, 8), office=office, applicant=person, repeat_of=earlier)
        assignee, _ = self.assign(again)
        if self.rng.random() < 0.5:
            self.decide(again, self.rng.choice(["explained", "refused"]), assignee)

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
        appeal_id = self.svc.bus.send(
            ReceiveAppeal(
                channel=CENTER_CHANNEL,
                office=CENTER_OFFICE,
                summary=rng.choice(CENTER_SUMMARIES),
                applicant=self.person(),
                received_on=day,
            ),
            _staff(self.named(f"reg.gpo.center.{rng.randint(1, 3)}")),
            idempotency_key=self.key("center"),
        ).appeal_id
        self.summary.appeal_ids.append(appeal_id)
        self.summary.center_ids.append(appeal_id)
        prosecutor = self.staff(CENTER_OFFICE)
        self.svc.bus.send(
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
        age = self.working_days_since(day)
        if accepted:
            region = rng.choice(self.regions_all)
            executed = self.center_instruction(appeal_id, region, day, prosecutor)
            regional, _ = self.assign(appeal_id, office=region)
            if executed:
                self.decide(appeal_id, rng.choice(OUTCOMES_ANSWERED), regional)
        elif age <= 3 and rng.random() < 0.25:
            self.redirect(appeal_id, prosecutor)
        elif age >= 1 or rng.random() < 0.5:
            self.decide(appeal_id, "explained", prosecutor)

    def working_days_since(self, day: date) -> int:
        count, current = 0, day
        while current < self.today:
            current += timedelta(days=1)
            count += self.calendar.is_working_day(current)
        return count

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
        instruction_id = self.svc.bus.send(
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
        self.svc.bus.send(
            ReceiveInstruction(instruction_id=instruction_id, office=addressee),
            _staff(self.staff(addressee, "reg", 2), addressee),
        )
        if target == "received":
            return False
        self.clock.at(received, 11, rng.randint(0, 59))
        self.svc.bus.send(
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
        self.svc.bus.send(
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

    # --- reception -------------------------------------------------------------------

    def reception_part(self) -> None:
        month_start = (self.today.replace(day=1) - timedelta(days=1)).replace(day=1)
        after_next = (self.today.replace(day=28) + timedelta(days=40)).replace(day=1)
        month_end = after_next - timedelta(days=1)
        week_start = month_start - timedelta(days=month_start.weekday())
        week_end = month_end + timedelta(days=6 - month_end.weekday())
        working = [
            month_start + timedelta(days=d)
            for d in range((month_end - month_start).days + 1)
            if self.calendar.is_working_day(month_start + timedelta(days=d))
        ]

        def session(day: date, start: time, end: time) -> tuple[datetime, datetime]:
            return datetime.combine(day, start, KAZAKHSTAN), datetime.combine(day, end, KAZAKHSTAN)

        # GPO senior management: by appointment, twice a month (at least monthly).
        gpo_days = [
            d for d in working if d.weekday() == 3 and (8 <= d.day <= 14 or 22 <= d.day <= 28)
        ]
        for month in {(d.year, d.month) for d in working}:
            if not any((d.year, d.month) == month for d in gpo_days):
                gpo_days.append(next(d for d in working if (d.year, d.month) == month))
        gpo_days.sort()
        # Regional senior management: by appointment, every week.
        weeks: dict[tuple[int, int], date] = {}
        day = week_start
        while day <= week_end:
            if self.calendar.is_working_day(day):
                key = day.isocalendar()[:2]
                if key not in weeks or day.weekday() == 2:
                    weeks[key] = day
            day += timedelta(days=1)
        plans: list[dict[str, object]] = [
            {
                "office": "GPO",
                "official": "dpg.1",
                "role": "deputy_prosecutor_general",
                "kind": "by_appointment",
                "period_from": month_start,
                "period_to": month_end,
                "slot_minutes": 20,
                "sessions": [session(d, time(10), time(13)) for d in gpo_days],
            },
            {
                "office": "REG-ALA",
                "official": "rp.ala",
                "role": "regional_prosecutor",
                "kind": "by_appointment",
                "period_from": week_start,
                "period_to": week_end,
                "slot_minutes": 30,
                "sessions": [session(d, time(15), time(18)) for d in sorted(weeks.values())],
            },
            {
                "office": "DIS-ALA-MEDEU",
                "official": "staff.ala-medeu.1",
                "role": "staff",
                "kind": "daily_without_appointment",
                "period_from": month_start,
                "period_to": month_end,
                "sessions": [session(d, time(9), time(18, 30)) for d in working],
            },
            {
                "office": "REG-SHY",
                "official": "staff.shy.1",
                "role": "staff",
                "kind": "daily_without_appointment",
                "period_from": month_start,
                "period_to": month_end,
                "sessions": [session(d, time(9), time(18, 30)) for d in working],
            },
            {
                "office": "REG-ALA",
                "official": "duty.ala.1",
                "role": "duty_prosecutor",
                "kind": "facility_duty",
                "facility_type": "investigation_cell",
                "facility_name": "Investigation cell LA-155/18, Almaty",
                "period_from": month_start,
                "period_to": month_end,
                "sessions": [
                    session(d, time(10), time(12)) for d in working if d.weekday() in (1, 4)
                ],
            },
        ]
        schedules: dict[str, ReceptionSchedule] = {}
        for done, plan in enumerate(plans, start=1):
            self.clock.at(month_start - timedelta(days=7), 10)
            try:
                outcome = self.svc.bus.send(
                    ApproveSchedule(**plan),  # type: ignore[arg-type]
                    _staff(self.named("head.gpo.reception")),
                )
            except ScheduleOverlap:
                continue  # an earlier demo run already approved this official's timetable
            finally:
                self.clock.now()
            self.summary.schedule_ids.append(outcome.id)
            self.summary.staff.add(str(plan["official"]))
            schedules[str(plan["official"])] = self.reception.get_schedule(outcome.id)
            self.progress(done, len(plans), "reception schedules")
        if "rp.ala" in schedules:
            self.delegate(schedules["rp.ala"])
        if "dpg.1" in schedules:
            self.appointments(schedules["dpg.1"], attended=8, cancelled=2, booked=4, refusals=True)
        if "rp.ala" in schedules:
            self.appointments(schedules["rp.ala"], attended=12, cancelled=3, booked=6)
        self.clock.now()

    def delegate(self, schedule: ReceptionSchedule) -> None:
        now = self.clock()
        future = [s for s in schedule.sessions if s.end > now]
        if future:
            self.svc.bus.send(
                DelegateSession(
                    office=schedule.office,
                    schedule_id=schedule.id,
                    session=future[0].number,
                    deputy=self.named("deputy.ala"),
                ),
                _staff(schedule.official),
            )

    def appointments(
        self,
        schedule: ReceptionSchedule,
        *,
        attended: int,
        cancelled: int,
        booked: int,
        refusals: bool = False,
    ) -> None:
        rng = self.rng
        now = self.clock.real()
        slot = timedelta(minutes=schedule.slot_minutes)
        slots = [
            s.start + slot * k
            for s in schedule.sessions
            for k in range(int((s.end - s.start) / slot))
        ]
        past = [s for s in slots if s + slot <= now]
        future = [s for s in slots if s > now + timedelta(hours=1)]
        rng.shuffle(past)
        rng.shuffle(future)
        grounds = sorted(self.svc.rules.on(self.today).reception.gpo_admission_refusal_grounds)
        plan = ["refused"] * (len(grounds) if refusals else 0)
        plan += ["attended"] * max(1, self.n(attended)) + ["cancelled"] * max(1, self.n(cancelled))
        todo_past = plan[: len(past)]
        todo_future = (["booked"] * max(1, self.n(booked)) + ["rebooked"])[: len(future)]
        total = len(todo_past) + len(todo_future)
        done = 0
        for starts_at, what in zip(past, todo_past, strict=False):
            self.clock.at(
                (starts_at - timedelta(days=rng.randint(2, 10))).astimezone(KAZAKHSTAN).date(), 10
            )
            appointment_id = self.book(schedule, starts_at)
            if what == "cancelled":
                self.clock.at(starts_at.astimezone(KAZAKHSTAN).date() - timedelta(days=1), 12)
                self.svc.bus.send(
                    CancelAppointment(
                        appointment_id=appointment_id, reason="The applicant asked to cancel"
                    ),
                    _staff("reg.gpo.1"),
                )
            else:
                self.clock.moment = starts_at + timedelta(minutes=2)
                if what == "attended":
                    self.svc.bus.send(
                        RecordAttendance(appointment_id=appointment_id),
                        _staff(self.named("reg.reception.1")),
                    )
                else:
                    ground = grounds.pop(0)
                    self.svc.bus.send(
                        RefuseAdmission(
                            appointment_id=appointment_id,
                            ground=ground,
                            reasons="Checked at the reception desk against the applicant's file",
                        ),
                        _staff(self.named("reg.reception.1")),
                    )
            done += 1
            self.progress(done, total, "appointments")
        self.clock.now()
        for starts_at, what in zip(future, todo_future, strict=False):
            appointment_id = self.book(schedule, starts_at)
            if what == "rebooked":
                self.svc.bus.send(
                    CancelAppointment(
                        appointment_id=appointment_id, reason="The applicant fell ill"
                    ),
                    _staff("reg.gpo.1"),
                )
                self.book(schedule, starts_at)
            done += 1
            self.progress(done, total, "appointments")

    def book(self, schedule: ReceptionSchedule, starts_at: datetime) -> UUID:
        ref = self.svc.applicants.register(self.person())
        retries = Random(f"{self.seed}:{starts_at.isoformat()}")
        while IIN_LIKE.search(ref):
            # The registry's references are random hex, which now and then holds twelve
            # digits in a row; booking refuses those as IIN-like. Another person, drawn
            # apart from the main sequence so the data set stays the same.
            ref = self.svc.applicants.register(self.person(retries))
        outcome = self.svc.bus.send(
            BookAppointment(
                schedule_id=schedule.id,
                starts_at=starts_at,
                applicant_ref=ref,
                channel=self.rng.choice(["call_centre_115", "electronic_portal", CENTER_CHANNEL]),
                matter=self.rng.choice(SUMMARIES),
                within_competence=True,
            ),
            _staff(self.named(f"reg.{slug(schedule.office)}.1")),
        )
        if outcome.id not in self.summary.appointment_ids:
            self.summary.appointment_ids.append(outcome.id)
        return outcome.id

    # --- reading it back ---------------------------------------------------------------

    def check(self) -> None:
        s = self.summary
        total = len(s.appeal_ids) + len(s.instruction_ids) + len(s.appointment_ids)
        done = 0
        center = set(s.center_ids)
        figures = Counter[str]()
        for appeal_id in s.appeal_ids:
            appeal = self.svc.get_appeal(appeal_id)
            s.appeal_states[appeal.status.value] += 1
            if appeal_id in center:
                figures["received"] += 1
                figures["legal_help"] += "legal_help" in appeal.help_given
                figures["lawyers"] += "lawyer" in appeal.specialists
                figures["psychologist"] += "psychologist" in appeal.specialists
            done += 1
            if done % 50 == 0:
                self.progress(done, total, "checking")
        for instruction_id in s.instruction_ids:
            instruction = self.instructions.get(instruction_id)
            state = instruction.status.value
            if instruction.marked_overdue:
                state = "executed late" if state == "executed" else f"overdue ({state})"
            s.instruction_states[state] += 1
            if instruction.appeal_id in center:
                figures["accepted_with_instructions"] += 1
            done += 1
        for appointment_id in s.appointment_ids:
            s.appointment_states[self.reception.get_appointment(appointment_id).status.value] += 1
            done += 1
        self.progress(total, total, "checking")
        s.center = {name: figures[name] for name in CENTER_FIGURES}


# --- the command ----------------------------------------------------------------------


class _RateColumn(ProgressColumn):
    """Steps per second of the current stage."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("" if speed is None else f"{speed:,.0f}/s", style="progress.data.speed")


def run_command(
    settings: Settings, *, today: date | None, scale: float, seed: int, console: Console
) -> DemoSummary:
    """`appeals demo`: build the container as `appeals run` does, generate with a
    progress bar, print what was created."""
    container = build(settings)
    try:
        with Progress(
            TextColumn("[progress.description]{task.description:<20}"),
            BarColumn(),
            MofNCompleteColumn(),
            _RateColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=console,
        ) as bar:
            tasks: dict[str, TaskID] = {}

            def progress(done: int, total: int, stage: str) -> None:
                if stage not in tasks:
                    tasks[stage] = bar.add_task(stage, total=total)
                bar.update(tasks[stage], completed=done, total=total)

            summary = generate(container, today=today, scale=scale, seed=seed, progress=progress)
    finally:
        container.close()
    console.print(summary_table(summary))
    return summary


def summary_table(summary: DemoSummary) -> Table:
    table = Table(
        title=f"appeals demo: seed {summary.seed}, scale {summary.scale:g}",
        show_header=True,
    )
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_column("note")

    def section(title: str) -> None:
        table.add_section()
        table.add_row(f"[bold]{title}[/bold]", "", "")

    section(f"Appeals by state ({len(summary.appeal_ids)})")
    for state, count in sorted(summary.appeal_states.items()):
        table.add_row(f"  {state}", f"{count:,}", "")
    section("Center for Law Enforcement Services, two months")
    labels = {
        "received": "citizens received",
        "legal_help": "given legal help",
        "lawyers": "helped by lawyers",
        "psychologist": "helped by the psychologist",
        "accepted_with_instructions": "applications accepted, instructions to regions",
    }
    for name, label in labels.items():
        target = summary.center_targets[name]
        got = summary.center.get(name, 0)
        note = f"reported {CENTER_FIGURES[name]:,}" + ("" if got == target else " (MISMATCH)")
        table.add_row(f"  {label}", f"{got:,}", note)
    section(f"Instructions by state ({len(summary.instruction_ids)})")
    for state, count in sorted(summary.instruction_states.items()):
        table.add_row(f"  {state}", f"{count:,}", "")
    section(
        f"Reception: {len(summary.schedule_ids)} schedules, "
        f"{len(summary.appointment_ids)} appointments"
    )
    for state, count in sorted(summary.appointment_states.items()):
        table.add_row(f"  {state}", f"{count:,}", "")
    section("Staff")
    table.add_row("  officials named", f"{len(summary.staff):,}", "prosecutors, heads, registrars")
    return table
