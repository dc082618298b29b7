"""Who may act on a given appeal: the caller's role and their relation to the appeal.

The role says what kind of step a caller may take at all (``domain.access``); this
module says whether they may take it on this appeal, from the record alone:

- the registrar registers and routes (assigns, redirects) the appeals of their office;
- the assignee, or the head of the office holding the appeal, works it: consults,
  adds materials, decides or refuses, extends, explains a refusal, closes, reopens
  (Constitutional Law "On the Prosecutor's Office" of 5 November 2022 No. 155-VII;
  APPK art. 76: the head of the body or a deputy extends the term);
- only an office above the one holding the appeal demands its case file, and only the
  office that demanded it records its receipt;
- only an office above the one that actually decided reviews the decision (APPK
  arts. 91-92; the 2017 rules, order No. 87): the deciding office comes from the
  record, never from the request;
- a complaint against a decision is received (by whoever may receive appeals) at an
  office above the one that decided, and decided by the head of the office that received it
  (APPK art. 91).

A caller who may see the appeal but may not take the step is refused with
``NotYourStep``, which names the rule; an appeal the caller may not see at all is not
found (the bus), so its existence is not disclosed.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from domain.access import Principal, Role
from domain.errors import NotPermitted
from domain.offices import OfficeDirectory

if TYPE_CHECKING:
    from domain.appeal import Appeal


class Relation(StrEnum):
    """How a caller stands to an appeal, read from the record."""

    ASSIGNEE = "assignee"  # the prosecutor it is assigned to, at the holding office
    HEAD = "head"  # the head (or a deputy) of the holding office
    SAME_OFFICE = "same_office"  # anyone else of the holding or receiving office
    HIGHER_OFFICE = "higher_office"  # an office above the holding office
    OTHER = "other"  # an office that is neither (another region, a lower office)


class Who(StrEnum):
    """Who may send a command on an appeal; the value is the rule a refusal names."""

    ROUTER = "registrar-or-head-routes"
    HANDLER = "assignee-or-head-only"
    HIGHER_OFFICE = "higher-office-only"
    REQUESTING_OFFICE = "requesting-office-only"
    ABOVE_DECIDER = "office-above-the-decider-only"
    COMPLAINT_DESK = "complaint-received-above-the-decider"
    COMPLAINT_OFFICE = "complaint-office-only"
    NOTIFIER = "registrar-assignee-or-head-notifies"


class NotYourStep(NotPermitted):
    """The caller sees the appeal, but this step is not theirs to take."""

    def __init__(self, rule: Who, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule.value


def relation(caller: Principal, appeal: Appeal, offices: OfficeDirectory) -> Relation:
    if caller.office == appeal.office:
        if appeal.assignee is not None and caller.sub == appeal.assignee:
            return Relation.ASSIGNEE
        if caller.role == Role.SUPERVISOR:
            return Relation.HEAD
        return Relation.SAME_OFFICE
    if caller.office == appeal.receiving_office:
        return Relation.SAME_OFFICE
    if caller.office in offices and offices.is_above(caller.office, appeal.office):
        return Relation.HIGHER_OFFICE
    return Relation.OTHER


def check_step(
    caller: Principal,
    who: Who,
    appeal: Appeal,
    offices: OfficeDirectory,
    *,
    request_office: str | None = None,
) -> None:
    """Refuse unless ``caller`` may take a step of kind ``who`` on ``appeal``.

    ``request_office`` is the office that demanded a case file (``REQUESTING_OFFICE``)
    or received the complaint (``COMPLAINT_OFFICE``).
    """
    if who in (Who.COMPLAINT_DESK, Who.COMPLAINT_OFFICE):
        _check_complaint_step(caller, who, appeal, offices, request_office)
        return
    if who == Who.ROUTER:
        if caller.role == Role.REGISTRAR and caller.office in (
            appeal.office,
            appeal.receiving_office,
        ):
            return
        if caller.role == Role.SUPERVISOR and caller.office in (
            appeal.office,
            appeal.receiving_office,
        ):
            return
        raise NotYourStep(
            who,
            "An appeal is routed by the registrar or the head of the office that received "
            f"or holds it ({appeal.receiving_office}, {appeal.office}).",
        )
    if who == Who.NOTIFIER:
        # The registry sends notices; so may whoever works the appeal.
        if caller.role in (Role.REGISTRAR, Role.SUPERVISOR) and caller.office in (
            appeal.office,
            appeal.receiving_office,
        ):
            return
        if relation(caller, appeal, offices) == Relation.ASSIGNEE:
            return
        raise NotYourStep(
            who,
            "A notice to the applicant is recorded by the registrar or the head of the office "
            "that received or holds the appeal, or by its assignee.",
        )
    if who == Who.HANDLER:
        if relation(caller, appeal, offices) in (Relation.ASSIGNEE, Relation.HEAD):
            return
        holder = f"{appeal.assignee} of {appeal.office}" if appeal.assignee else appeal.office
        raise NotYourStep(
            who,
            f"Only the prosecutor the appeal is assigned to ({holder}) or the head of "
            f"{appeal.office} takes this step.",
        )
    if who == Who.HIGHER_OFFICE:
        holder = appeal.file_holder
        if caller.role == Role.SUPERVISOR and offices.is_above(caller.office, holder):
            return
        raise NotYourStep(
            who, f"Only the head of an office above {holder}, which holds the file, demands it."
        )
    if who == Who.REQUESTING_OFFICE:
        # An unknown request is the appeal's to refuse (422), not a permission matter.
        if request_office is None or (
            caller.role == Role.SUPERVISOR and caller.office == request_office
        ):
            return
        raise NotYourStep(
            who, f"Only {request_office}, which demanded the case file, records its receipt."
        )
    decider = appeal.decided_by_office
    # With no decision on record there is nothing to review: the appeal says so (409).
    if decider is None or (
        caller.role == Role.SUPERVISOR and offices.is_above(caller.office, decider)
    ):
        return
    raise NotYourStep(
        who, f"Only the head of an office above the one that decided ({decider}) reviews it."
    )


def _check_complaint_step(
    caller: Principal,
    who: Who,
    appeal: Appeal,
    offices: OfficeDirectory,
    complaint_office: str | None,
) -> None:
    if who == Who.COMPLAINT_DESK:
        decider = appeal.decided_by_office
        # With no decision on record there is nothing to complain against (409).
        if decider is None or (
            caller.role in (Role.REGISTRAR, Role.PROSECUTOR, Role.SUPERVISOR)
            and caller.office in offices
            and offices.is_above(caller.office, decider)
        ):
            return
        raise NotYourStep(
            who,
            f"A complaint against {decider}'s decision is received by an office above it.",
        )
    if complaint_office is None or (
        caller.role == Role.SUPERVISOR and caller.office == complaint_office
    ):
        return
    raise NotYourStep(
        who, f"Only the head of {complaint_office}, which received the complaint, decides it."
    )


class ReasonsRestricted(NotPermitted):
    rule = "reasons-restricted"


def check_reasons_reader(caller: Principal, appeal: Appeal) -> None:
    """The reasons of an appeal's decisions, refusals and reviews are read by its
    assignee, the head of an office that decided it, and the head of an office that
    reviewed it or took a complaint against it; nobody else, whatever their rank."""
    if caller.office == appeal.office and caller.sub == appeal.assignee:
        return
    if caller.role == Role.SUPERVISOR and (
        caller.office in appeal.deciding_offices
        or caller.office in appeal.overseeing_offices
        or caller.office == appeal.office
    ):
        return
    raise ReasonsRestricted(
        "The reasons are read by the prosecutor the appeal is assigned to, the head of an "
        "office that decided it, and the head of an office that reviewed it or took a "
        "complaint against it."
    )
