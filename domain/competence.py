"""Which matters an office's reception takes: derived from the office's data, never
from the caller's say-so.

The 2017 rules: "the record is made on issues within the competence of the prosecution
authorities". The Constitutional Law "On the Prosecutor's Office" of 5 November 2022
No. 155-VII (art. 4, 6) sets what the service supervises; military and transport
prosecutor's offices are specialised offices equated to regional ones. How matters are
split between territorial, military and transport offices is this system's assumption
(docs/rules.md, "Competence at the reception"), kept in ``domain/data/offices.json``.
"""

from __future__ import annotations

from enum import StrEnum

from domain.errors import InvalidCommand
from domain.offices import Office, OfficeDirectory


class MatterArea(StrEnum):
    PRETRIAL_INVESTIGATION = "pretrial_investigation"
    COURT_ACTS = "court_acts"
    ADMINISTRATIVE = "administrative"
    RIGHTS_AND_FREEDOMS = "rights_and_freedoms"
    SENTENCE_ENFORCEMENT = "sentence_enforcement"
    MILITARY = "military"
    TRANSPORT = "transport"
    # Not the prosecution service's: a court's own competence, a local executive body,
    # a private dispute. Never booked; the applicant is redirected.
    ANOTHER_BODY = "another_body"


class UnknownMatterArea(InvalidCommand):
    rule = "unknown-matter-area"


class OutsideCompetence(InvalidCommand):
    """Only matters within the prosecution service's competence are booked."""

    rule = "outside-competence"


class OutsideOfficeCompetence(InvalidCommand):
    """The matter is the service's, but another kind of office takes it."""

    rule = "outside-office-competence"


def competent_offices(offices: OfficeDirectory, area: MatterArea, near: str) -> list[str]:
    """The offices of ``near``'s level and above whose reception takes ``area``, the
    specialised ones first: where to send an applicant whose matter this office does not
    take."""
    level = offices.get(near).level
    found = [
        o.code
        for o in offices
        if area.value in o.competence and o.level.value in (level.value, "regional", "gpo")
    ]
    return sorted(
        found,
        key=lambda code: (offices.get(code).level != level, offices.get(code).level == "gpo", code),
    )


def check_competence(office: Office, area: str, offices: OfficeDirectory) -> MatterArea:
    """The matter's area when ``office``'s reception takes it; otherwise a refusal that
    says where the applicant should go."""
    try:
        matter = MatterArea(area)
    except ValueError:
        raise UnknownMatterArea(
            f"{area!r} is not a matter area; one of {', '.join(m.value for m in MatterArea)}.",
            field="matter_area",
        ) from None
    if matter is MatterArea.ANOTHER_BODY:
        raise OutsideCompetence(
            "Only matters within the competence of the prosecution service are booked; "
            "redirect this one to the competent body.",
            field="matter_area",
        )
    if matter.value not in office.competence:
        where = ", ".join(competent_offices(offices, matter, office.code)[:4])
        raise OutsideOfficeCompetence(
            f"{office.code} ({office.kind}) does not receive on {matter.value} matters; "
            f"book the applicant with {where}.",
            field="matter_area",
        )
    return matter
