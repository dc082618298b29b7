"""Who may do what, and where. Pure rules: the API asks them for every request."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.errors import InvalidCommand, NotPermitted
from domain.offices import OfficeDirectory


class Role(StrEnum):
    REGISTRAR = "registrar"  # registers and routes appeals, books appointments
    PROSECUTOR = "prosecutor"  # works appeals of their own office
    SUPERVISOR = "supervisor"  # oversight over their office and every office below it
    REGIONAL_OFFICE = "regional_office"  # its inbox and instructions
    AUDITOR = "auditor"  # read-only, full history
    ADMINISTRATOR = "administrator"  # offices, staff, schedules; erasure


class Action(StrEnum):
    RECEIVE_APPEAL = "receive_appeal"
    ROUTE_APPEAL = "route_appeal"  # assign, redirect
    RECORD_NOTICE = "record_notice"  # notices sent to the applicant
    WORK_APPEAL = "work_appeal"  # consult, materials, decide, extend, close, reopen, ...
    OVERSEE = "oversee"  # case files, reviews, oversight reports
    READ_APPEAL = "read_appeal"
    READ_PERSONAL_DATA = "read_personal_data"
    READ_REASONS = "read_reasons"  # of decisions, refusals, reviews: also by relation
    READ_AUDIT = "read_audit"  # who viewed what
    ISSUE_INSTRUCTION = "issue_instruction"
    HANDLE_INSTRUCTION = "handle_instruction"  # receive, acknowledge, execute
    READ_INSTRUCTIONS = "read_instructions"
    BOOK_APPOINTMENT = "book_appointment"
    MANAGE_RECEPTION = "manage_reception"  # schedules, delegation, admission refusals
    MANAGE_STAFF = "manage_staff"  # who holds which position at an office
    ERASE_PERSON = "erase_person"
    READ_REFERENCE = "read_reference"  # offices, health


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.REGISTRAR: frozenset(
        {
            Action.RECEIVE_APPEAL,
            Action.ROUTE_APPEAL,
            Action.RECORD_NOTICE,
            Action.READ_APPEAL,
            Action.READ_PERSONAL_DATA,
            Action.BOOK_APPOINTMENT,
            Action.READ_REFERENCE,
        }
    ),
    Role.PROSECUTOR: frozenset(
        {
            Action.RECEIVE_APPEAL,
            Action.WORK_APPEAL,
            Action.RECORD_NOTICE,
            Action.READ_APPEAL,
            Action.READ_PERSONAL_DATA,
            Action.READ_REASONS,
            Action.READ_INSTRUCTIONS,
            Action.HANDLE_INSTRUCTION,
            Action.READ_REFERENCE,
        }
    ),
    # The head of an office or a deputy: everything a prosecutor does, routing,
    # oversight of the offices below, instructions and the reception timetable.
    Role.SUPERVISOR: frozenset(
        {
            Action.RECEIVE_APPEAL,
            Action.ROUTE_APPEAL,
            Action.WORK_APPEAL,
            Action.RECORD_NOTICE,
            Action.OVERSEE,
            Action.READ_APPEAL,
            Action.READ_PERSONAL_DATA,
            Action.READ_REASONS,
            Action.ISSUE_INSTRUCTION,
            Action.HANDLE_INSTRUCTION,
            Action.READ_INSTRUCTIONS,
            Action.BOOK_APPOINTMENT,
            Action.MANAGE_RECEPTION,
            Action.READ_REFERENCE,
        }
    ),
    Role.REGIONAL_OFFICE: frozenset(
        {Action.READ_INSTRUCTIONS, Action.HANDLE_INSTRUCTION, Action.READ_REFERENCE}
    ),
    Role.AUDITOR: frozenset(
        {
            Action.READ_APPEAL,
            Action.READ_AUDIT,
            Action.READ_INSTRUCTIONS,
            Action.OVERSEE,
            Action.READ_REFERENCE,
        }
    ),
    Role.ADMINISTRATOR: frozenset(
        {
            Action.MANAGE_RECEPTION,
            Action.MANAGE_STAFF,
            Action.ERASE_PERSON,
            Action.READ_REFERENCE,
            Action.READ_AUDIT,
        }
    ),
}


@dataclass(frozen=True)
class Principal:
    """The signed-in user: who (``sub``), in which role, at which office."""

    sub: str
    role: Role
    office: str

    @property
    def actor(self) -> str:
        return self.sub

    def may(self, action: Action) -> bool:
        return action in PERMISSIONS[self.role]

    def sees(self, office: str, offices: OfficeDirectory) -> bool:
        """A user sees and acts within their office and the offices below it; the GPO
        sees everything (it is the root)."""
        return office in offices and offices.within(office, self.office)


class OfficeOutOfScope(InvalidCommand):
    rule = "office-out-of-scope"


class OfficeNotYours(InvalidCommand):
    rule = "office-not-yours"


class RoleMayNot(NotPermitted):
    rule = "forbidden"


def require(principal: Principal, *actions: Action) -> None:
    """Refuse unless the principal's role allows every one of ``actions``."""
    for action in actions:
        if not principal.may(action):
            raise RoleMayNot(
                f"The {principal.role.value} role may not {action.value.replace('_', ' ')}."
            )


def in_scope(principal: Principal, offices: OfficeDirectory, office: str, field: str) -> str:
    """``office``, if it is the principal's or one below it; refused otherwise."""
    offices.get(office, field=field)
    if not principal.sees(office, offices):
        raise OfficeOutOfScope(
            f"{office} is outside your office ({principal.office}) and the offices below it.",
            field=field,
        )
    return office


def acting_office(principal: Principal, given: str | None, field: str) -> str:
    """The office a user acts as is the one in their token; a different one is refused."""
    if given is not None and given != principal.office:
        raise OfficeNotYours(
            f"You act for {principal.office}; {given} cannot be named here.", field=field
        )
    return principal.office
