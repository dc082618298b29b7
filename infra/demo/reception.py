"""Reception schedules, delegations and appointments in every state."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from random import Random
from uuid import UUID

from domain.access import Principal, Role
from domain.clock import KAZAKHSTAN
from domain.commands import (
    AppointStaff,
    ApproveSchedule,
    BookAppointment,
    CancelAppointment,
    DelegateSession,
    RecordAttendance,
    RefuseAdmission,
)
from domain.reception import ReceptionSchedule
from domain.reception_errors import ScheduleOverlap
from infra.demo.base import (
    DemoBase,
)
from infra.demo.plan import (
    CENTER_CHANNEL,
    IIN_LIKE,
    SUMMARIES,
    SUMMARY_AREAS,
)
from infra.demo.support import (
    _staff,
    slug,
)


class ReceptionPart(DemoBase):
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
                outcome = self.bus.send(
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
            deputy = self.named("deputy.ala")
            self.bus.send(
                AppointStaff(
                    office=schedule.office,
                    staff_id=deputy,
                    position="deputy_regional_prosecutor",
                ),
                Principal(sub="hr.gpo", role=Role.ADMINISTRATOR, office="GPO"),
            )
            self.bus.send(
                DelegateSession(
                    office=schedule.office,
                    schedule_id=schedule.id,
                    session=future[0].number,
                    deputy=deputy,
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
                self.bus.send(
                    CancelAppointment(
                        appointment_id=appointment_id, reason="The applicant asked to cancel"
                    ),
                    _staff("reg.gpo.1"),
                )
            else:
                self.clock.moment = starts_at + timedelta(minutes=2)
                if what == "attended":
                    self.bus.send(
                        RecordAttendance(appointment_id=appointment_id),
                        _staff(self.named("reg.reception.1")),
                    )
                else:
                    ground = grounds.pop(0)
                    self.bus.send(
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
                self.bus.send(
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
        outcome = self.bus.send(
            BookAppointment(
                schedule_id=schedule.id,
                starts_at=starts_at,
                applicant_ref=ref,
                channel=self.rng.choice(["call_centre_115", "electronic_portal", CENTER_CHANNEL]),
                matter=(matter := self.rng.choice(SUMMARIES)),
                matter_area=SUMMARY_AREAS[matter],
            ),
            _staff(self.named(f"reg.{slug(schedule.office)}.1")),
        )
        if outcome.id not in self.summary.appointment_ids:
            self.summary.appointment_ids.append(outcome.id)
        return outcome.id
