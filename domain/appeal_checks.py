"""The rules an appeal's commands are checked against before anything is recorded.

Each check raises the domain error naming its rule and field, or returns what the
event records as a consequence of the rule (a notice that came late, a refusal that
must be explained in person).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.appeal_terms import (
    ANSWERED,
    OPEN,
    AppealKind,
    ApproverRole,
    HelpKind,
    Language,
    Outcome,
    ReviewResult,
    RuleBroken,
    SpecialistRole,
    StateConflict,
    Status,
)
from domain.calendar import WorkingCalendar, add_months, add_working_days, working_days_after
from domain.channels import Channel
from domain.errors import AlreadyAssigned, AppealClosed, InvalidCommand
from domain.offices import OfficeDirectory
from domain.rules import RuleSet

if TYPE_CHECKING:
    from domain.appeal import Appeal


def check_channel(channel: str) -> None:
    allowed = [c.value for c in Channel]
    if channel not in allowed:
        raise InvalidCommand(
            f"Unknown channel {channel!r}; use one of: {', '.join(allowed)}.",
            field="channel",
            rule="unknown-channel",
        )


def answer_language(appeal_language: str | None, language: str | None) -> str | None:
    """The language a decision answers in: the state language (Kazakh) or the language of
    the appeal (Law "On languages in the Republic of Kazakhstan" of 11 July 1997
    No. 151-I, art. 11: answers to appeals are given in the state language or in the
    language of the appeal). Unnamed, it is the appeal's own."""
    if language is None:
        return appeal_language
    check_kind_and_language(None, language)
    allowed = {Language.KAZAKH.value, appeal_language or Language.RUSSIAN.value}
    if language not in allowed:
        raise InvalidCommand(
            f"The appeal is in {appeal_language}: it is answered in {appeal_language} or in "
            f"the state language (kk), not in {language}.",
            field="language",
            rule="answer-language",
        )
    return language


def check_kind_and_language(kind: str | None, language: str | None) -> None:
    kinds, languages = [k.value for k in AppealKind], [lang.value for lang in Language]
    if kind is not None and kind not in kinds:
        raise InvalidCommand(
            f"kind must be one of: {', '.join(kinds)}.", field="kind", rule="unknown-kind"
        )
    if language is not None and language not in languages:
        raise InvalidCommand(
            f"language is kk (Kazakh) or ru (Russian), not {language!r}.",
            field="language",
            rule="unknown-language",
        )


def first_due_on(
    kind: str | None, received_on: date, rules: RuleSet, calendar: WorkingCalendar
) -> date:
    """The due date of a new appeal: 15 working days after receipt (APPK art. 76), or the
    day itself for an enquiry answered on the spot, which has no term."""
    if kind == AppealKind.ENQUIRY:
        return received_on
    return add_working_days(calendar, received_on, rules.deadlines.consideration_working_days)


def check_open(appeal: Appeal, action: str) -> None:
    if appeal.status == Status.CLOSED:
        raise AppealClosed(f"The appeal is closed; reopen it to {action} it.")
    if appeal.status not in OPEN:
        raise StateConflict(
            "appeal-not-open", f"The appeal is {appeal.status}; cannot {action} it."
        )


def check_assignment(
    appeal: Appeal, *, assignee: str, office: str, offices: OfficeDirectory
) -> None:
    check_open(appeal, "assign")
    offices.get(office)
    if not offices.within(office, appeal.receiving_office):
        raise RuleBroken(
            "office-not-competent",
            f"{office} is not {appeal.receiving_office} or an office below it, "
            "so it is not competent for this appeal.",
            field="office",
        )
    if appeal.assignee == assignee and appeal.office == office:
        raise AlreadyAssigned(
            f"The appeal is already assigned to {assignee} of {office}.", field="assignee"
        )


def check_help(specialist_role: str, help: list[str]) -> None:
    roles = [r.value for r in SpecialistRole]
    if specialist_role not in roles:
        raise InvalidCommand(
            f"specialist_role must be one of: {', '.join(roles)}.",
            field="specialist_role",
            rule="unknown-specialist-role",
        )
    kinds = [k.value for k in HelpKind]
    if not help or any(h not in kinds for h in help):
        raise InvalidCommand(
            f"help must list one or more of: {', '.join(kinds)}.", field="help", rule="help-kinds"
        )
    if len(set(help)) != len(help):
        raise InvalidCommand("help lists a kind twice.", field="help", rule="help-kinds")


def check_materials(appeal: Appeal, documents: list[str]) -> None:
    check_open(appeal, "add materials to")
    if not documents:
        raise InvalidCommand(
            "documents must list at least one reference.",
            field="documents",
            rule="documents-required",
        )


def check_redirect(appeal: Appeal, *, applicant_notified: bool, urgent: bool) -> None:
    if appeal.status not in OPEN and not (urgent and appeal.status == Status.NOT_CONSIDERED):
        raise StateConflict(
            "appeal-not-open", f"The appeal is {appeal.status}; only an open one is redirected."
        )
    if not applicant_notified:
        raise RuleBroken(
            "applicant-not-notified",
            "The applicant is notified at the same time as the redirect (APPC art. 76).",
            field="applicant_notified",
        )


def extension_notice_late(
    appeal: Appeal,
    *,
    new_due_on: date,
    approver_role: str,
    applicant_notified_on: date,
    today: date,
    calendar: WorkingCalendar,
    rules: RuleSet,
) -> bool:
    """Check an extension; whether the applicant was told of it later than the rule allows."""
    check_open(appeal, "extend")
    roles = [r.value for r in ApproverRole]
    if approver_role not in roles:
        raise RuleBroken(
            "extension-approver",
            "Only the head of the office or a deputy extends the period "
            f"(approver_role: {', '.join(roles)}).",
            field="approver_role",
        )
    if today > appeal.due_on:
        raise StateConflict(
            "extension-after-deadline",
            f"The period ended on {appeal.due_on}; it can no longer be extended.",
        )
    if new_due_on <= appeal.due_on:
        raise RuleBroken(
            "extension-not-later",
            f"The new due date must be after the current one ({appeal.due_on}).",
            field="new_due_on",
        )
    limit = add_months(appeal.original_due_on, rules.deadlines.extension_max_months)
    if new_due_on > limit:
        raise RuleBroken(
            "extension-too-long",
            f"An extension reaches at most {rules.deadlines.extension_max_months} months "
            f"beyond the original period: {limit} at the latest.",
            field="new_due_on",
        )
    if applicant_notified_on < today:
        raise RuleBroken(
            "notice-before-extension",
            "The applicant cannot have been told before the extension was granted.",
            field="applicant_notified_on",
        )
    if applicant_notified_on > new_due_on:
        raise RuleBroken(
            "notice-after-deadline",
            "The applicant is told of an extension before the new due date, not after it.",
            field="applicant_notified_on",
        )
    notice_days = working_days_after(calendar, today, applicant_notified_on)
    return notice_days > rules.deadlines.extension_notice_working_days


def refusal_explained_in_person(
    appeal: Appeal, *, outcome: str, ground: str | None, rules: RuleSet, offices: OfficeDirectory
) -> bool:
    """Check a decision; whether a refusal must also be explained to the applicant in person."""
    if appeal.status not in OPEN and appeal.status != Status.DEEMED_REFUSED:
        raise StateConflict(
            "appeal-not-open", f"The appeal is {appeal.status}; it cannot be decided now."
        )
    if appeal.assignee is None:
        raise StateConflict(
            "decide-unassigned", "Assign the appeal to a prosecutor before deciding it."
        )
    outcomes = [o.value for o in Outcome]
    if outcome not in outcomes:
        raise InvalidCommand(
            f"outcome must be one of: {', '.join(outcomes)}.",
            field="outcome",
            rule="unknown-outcome",
        )
    if outcome == Outcome.REFUSED:
        if ground not in rules.decision_refusal_grounds:
            raise RuleBroken(
                "refusal-ground",
                "A refusal names its legal ground on the merits, one of: "
                f"{', '.join(sorted(rules.decision_refusal_grounds))} (the grounds for "
                "refusing admission to a reception at the GPO are not among them).",
                field="ground",
            )
    elif ground is not None:
        raise InvalidCommand(
            "Only a refusal has a ground.", field="ground", rule="ground-without-refusal"
        )
    # The 2017 rules (order No. 87): an appeal made at a personal reception and left
    # without satisfaction, wholly or in part, is answered in person with the reasons.
    level = offices.get(appeal.office).level
    return (
        outcome in (Outcome.REFUSED, Outcome.PARTIALLY_SATISFIED)
        and appeal.channel == Channel.PERSONAL_RECEPTION
        and level.value in rules.reception.personal_explanation_on_refusal_levels
    )


def check_explanation(appeal: Appeal, *, explained_on: date, today: date) -> None:
    if appeal.status != Status.REFUSAL_PENDING_EXPLANATION:
        raise StateConflict(
            "no-explanation-pending",
            "Only a refusal, whole or partial, after a personal reception at regional or "
            "district level awaits a personal explanation.",
        )
    if explained_on < appeal.received_on:
        raise RuleBroken(
            "date-before-receipt",
            f"The explanation cannot predate the appeal's receipt ({appeal.received_on}).",
            field="explained_on",
        )
    if explained_on > today:
        raise InvalidCommand(
            "explained_on cannot be in the future.", field="explained_on", rule="date-in-future"
        )


def check_case_file_request(
    appeal: Appeal, *, request_id: str, requesting_office: str, offices: OfficeDirectory
) -> None:
    offices.get(requesting_office, field="requesting_office")
    holder = appeal.file_holder
    if not offices.is_above(requesting_office, holder):
        raise RuleBroken(
            "higher-office-only",
            f"Only an office above {holder}, which holds the case file, can demand it.",
            field="requesting_office",
        )
    if request_id in appeal.case_file_requests:
        raise StateConflict("duplicate-request", f"Request {request_id} already exists.")


def pending_case_file_request(appeal: Appeal, request_id: str) -> dict[str, str | bool]:
    request = appeal.case_file_requests.get(request_id)
    if request is None:
        raise RuleBroken(
            "unknown-request",
            f"No case-file request {request_id} on this appeal.",
            field="request_id",
        )
    if request["received"]:
        raise StateConflict("file-already-received", "That case file was already received.")
    return request


def check_review(
    appeal: Appeal, *, reviewing_office: str, result: str, offices: OfficeDirectory
) -> str:
    """Check a review; the office whose decision it reviews, as the record says."""
    offices.get(reviewing_office, field="reviewing_office")
    decided_by_office = appeal.decided_by_office
    if decided_by_office is None:
        raise StateConflict("nothing-decided", "The appeal has no decision on record to review.")
    if not offices.is_above(reviewing_office, decided_by_office):
        raise RuleBroken(
            "review-by-higher-office-only",
            "Only a higher-ranking office reviews a decision; "
            f"{reviewing_office} is not above {decided_by_office}.",
            field="reviewing_office",
        )
    results = [r.value for r in ReviewResult]
    if result not in results:
        raise InvalidCommand(
            f"result must be one of: {', '.join(results)}.",
            field="result",
            rule="unknown-review-result",
        )
    return decided_by_office


def check_closable(appeal: Appeal) -> None:
    if any(c["result"] is None for c in appeal.complaints.values()):
        raise StateConflict(
            "complaint-pending", "A complaint against the decision is still pending."
        )
    if appeal.status == Status.REFUSAL_PENDING_EXPLANATION:
        raise StateConflict(
            "explanation-pending",
            "The refusal is not complete until the personal explanation to the applicant "
            "is recorded.",
        )
    if appeal.kind == AppealKind.ENQUIRY and appeal.status in OPEN:
        return  # answered on the spot
    if appeal.status not in ANSWERED:
        raise StateConflict(
            "close-unanswered",
            f"The appeal is {appeal.status}; close it once it is decided, redirected or set aside.",
        )


def check_reopenable(appeal: Appeal) -> None:
    answered = {Status.DECIDED, Status.REFUSED, Status.DEEMED_REFUSED}
    # A closed appeal is reopened only if it was closed after an answer: one set
    # aside (anonymous) or redirected was never answered by the prosecutor's office.
    status = appeal.closed_from if appeal.status == Status.CLOSED else appeal.status
    if status not in answered:
        raise StateConflict(
            "reopen-unanswered", "Only an answered appeal can be appealed against and reopened."
        )
