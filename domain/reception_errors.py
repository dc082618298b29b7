"""The rules of the personal reception a command can break, each naming its rule."""

from __future__ import annotations

from domain.errors import ConflictError, InvalidCommand, NotFound


class OfficeNotFound(NotFound):
    """No office has the given code (404)."""

    rule = "office-not-found"


class ScheduleNotFound(NotFound):
    """No reception schedule has the given id (at the given office) (404)."""

    rule = "schedule-not-found"


class AppointmentNotFound(NotFound):
    """No appointment has the given id (404)."""

    rule = "appointment-not-found"


class UnknownRole(InvalidCommand):
    rule = "unknown-role"


class UnknownReceptionKind(InvalidCommand):
    rule = "unknown-reception-kind"


class RoleNotAtOfficeLevel(InvalidCommand):
    """A senior role belongs to one level of office (the GPO, regional, district)."""

    rule = "role-office-level"


class ReceptionKindNotForRole(InvalidCommand):
    """Senior management receives by appointment, district prosecutors and other staff
    daily without appointment, duty prosecutors at detention facilities."""

    rule = "reception-kind-for-role"


class FacilityRequired(InvalidCommand):
    """A duty prosecutor's schedule names the detention facility and its type."""

    rule = "facility-required"


class FacilityOnlyForDuty(InvalidCommand):
    rule = "facility-only-for-duty"


class InvalidPeriod(InvalidCommand):
    rule = "invalid-period"


class TimezoneRequired(InvalidCommand):
    """Times carry the office's UTC offset, so that 'past' and '9:00' mean one thing."""

    rule = "timezone-required"


class NoSessions(InvalidCommand):
    rule = "no-sessions"


class InvalidSession(InvalidCommand):
    """A session starts before it ends, within one day and within the schedule's period."""

    rule = "invalid-session"


class SessionsOverlap(InvalidCommand):
    rule = "sessions-overlap"


class InvalidSlotLength(InvalidCommand):
    rule = "invalid-slot-length"


class MonthlyReceptionMissing(InvalidCommand):
    """GPO senior management receives at least once in every calendar month."""

    rule = "gpo-monthly-reception"


class WeeklyReceptionMissing(InvalidCommand):
    """Regional senior management receives at least once in every (ISO) week."""

    rule = "regional-weekly-reception"


class DailyReceptionMissing(InvalidCommand):
    """Staff receiving without appointment do so on every working day."""

    rule = "daily-reception"


class OutsideReceptionHours(InvalidCommand):
    """Reception without appointment is held within the hours of the rule set."""

    rule = "reception-hours"


class ScheduleOverlap(ConflictError):
    """The official already has an approved schedule with a session at that time."""

    rule = "schedule-overlap"


class DelegationNotAllowed(InvalidCommand):
    """Only a regional prosecutor may instruct a deputy to receive."""

    rule = "delegation-regional-prosecutor-only"


class UnknownSession(InvalidCommand):
    rule = "unknown-session"


class DeputyNotOnStaff(InvalidCommand):
    """A delegation names a deputy of the schedule's office, as its staff list holds."""

    rule = "deputy-not-on-staff"


class InvalidDeputy(InvalidCommand):
    rule = "invalid-deputy"


class SessionInPast(ConflictError):
    rule = "session-in-past"


class AlreadyDelegated(ConflictError):
    rule = "already-delegated"


class NotABookingChannel(InvalidCommand):
    """Appointments are booked only through the booking channels of the rule set."""

    rule = "booking-channel"


class ApplicantRefNotPseudonymous(InvalidCommand):
    """The applicant is referred to by a pseudonymous reference, never a name or IIN."""

    rule = "applicant-ref-pseudonymous"


class OfficialNotByAppointment(InvalidCommand):
    """Only senior management receives by appointment; others receive without one."""

    rule = "official-not-by-appointment"


class SlotOutsideSchedule(InvalidCommand):
    rule = "slot-outside-schedule"


class SlotMisaligned(InvalidCommand):
    """Slots follow one another from the start of a session, slot_minutes apart."""

    rule = "slot-misaligned"


class SlotInPast(InvalidCommand):
    rule = "slot-in-past"


class SlotTaken(ConflictError):
    """The official already has an appointment in that slot."""

    rule = "slot-taken"


class AdmissionRefusalOnlyAtGpo(InvalidCommand):
    """The grounds for refusing admission apply to receptions at the GPO only;
    regional and district prosecutors receive a person even if answered before."""

    rule = "admission-refusal-gpo-only"


class UnknownAdmissionRefusalGround(InvalidCommand):
    rule = "admission-refusal-ground"


class AdmissionRefusalReasonsRequired(InvalidCommand):
    rule = "admission-refusal-reasons"


class AppointmentNotBooked(ConflictError):
    """The appointment was already cancelled, refused or attended."""

    rule = "appointment-not-booked"


class SlotStarted(ConflictError):
    rule = "slot-started"


class SlotNotStarted(ConflictError):
    rule = "slot-not-started"
