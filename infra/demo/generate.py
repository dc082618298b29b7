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

from collections import Counter
from datetime import date, datetime

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

from domain.clock import KAZAKHSTAN
from domain.errors import AppealNotFound
from infra.adapters.settings import Settings
from infra.bootstrap import Container, build
from infra.demo.center import CenterAndInstructions
from infra.demo.plan import (
    CENTER_FIGURES,
    MIN_SCALE,
    STORIES,
)
from infra.demo.reception import ReceptionPart
from infra.demo.stories import Stories
from infra.demo.support import (
    DEMO_DAY_ENDS,
    DemoDataPresent,
    DemoInTheFuture,
    DemoSummary,
    ProgressReport,
)


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


class _Demo(Stories, CenterAndInstructions, ReceptionPart):
    """The whole demo: its plan, and the check that reads it back."""

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
        # The notices nobody sent in time, as the deadline watcher would mark them.
        self.svc.mark_overdue_notices(self.summary.appeal_ids)
        self.check()
        return self.summary

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
