"""Every user-facing string of the dashboard, by message id and language.

English is the reference table. Russian and Kazakh are added as further tables of
``CATALOG`` (``"ru"``, ``"kk"``) with the same message ids; a message missing from a
table falls back to English. Codes shown to users (statuses, channels, grounds, event
types, data fields) have ids ``<kind>.<code>``, looked up with ``label``.
"""

from __future__ import annotations

from typing import Any

DEFAULT_LANGUAGE = "en"

EN: dict[str, str] = {
    # --- frame -----------------------------------------------------------------
    "app.title": "Appeals oversight",
    "nav.overview": "Overview",
    "nav.register": "Appeal register",
    "nav.instructions": "Instructions",
    "nav.signed_in_as": "{sub} — {role}, {office}",
    "nav.sign_out": "Sign out",
    "nav.skip": "Skip to content",
    # --- sign in ----------------------------------------------------------------
    "sign_in.title": "Sign in",
    "sign_in.intro": (
        "Paste the access token you were given. An administrator mints one with "
        "`appeals token --role <role> --office <office code>`."
    ),
    "sign_in.token": "Access token",
    "sign_in.submit": "Sign in",
    "sign_in.refused": "The token was refused: {reason}.",
    "sign_in.unknown_office": "The token names an office this system does not know.",
    "sign_in.empty": "Paste a token first.",
    "sign_in.expired": "Your session has ended; sign in again.",
    "sign_in.signed_out": "You have signed out.",
    # --- errors -----------------------------------------------------------------
    "error.title": "Not available",
    "error.not_found": "There is no such page, or it is outside your office's scope.",
    "error.forbidden": "Your role ({role}) does not allow this page.",
    "error.no_pages": "Your role ({role}) has no dashboard pages.",
    "error.bad_date": "{field}: “{value}” is not a date (use YYYY-MM-DD).",
    "error.bad_choice": "{field}: “{value}” is not one of the choices.",
    "error.bad_period": "The period's first day is after its last.",
    "error.back": "Back to the start",
    # --- overview ---------------------------------------------------------------
    "overview.title": "Oversight overview",
    "overview.heading": "{office} — {start} to {end}",
    "overview.office": "Office",
    "overview.from": "From",
    "overview.to": "To",
    "overview.show": "Show",
    "overview.received": "Appeals received",
    "overview.decided": "Decided",
    "overview.refused": "Refused",
    "overview.overdue_now": "Overdue now",
    "overview.deemed_refused": "Deemed refused (deadline missed)",
    "overview.overturned": "Decisions found unlawful",
    "overview.chart.refusals": "Refusals by ground",
    "overview.chart.overdue": "Overdue appeals by region (open, past their due date, today)",
    "overview.chart.overturned": "Decisions found unlawful on review, by office",
    "overview.chart.empty": "Nothing in this period.",
    "overview.recent": "Recently updated appeals",
    "overview.recent.empty": "No appeals yet.",
    "overview.tiles": "Totals",
    # --- register ---------------------------------------------------------------
    "register.title": "Appeal register",
    "register.filters": "Filters",
    "register.status": "Status",
    "register.region": "Region",
    "register.office": "Office",
    "register.channel": "Channel",
    "register.overdue": "Overdue only",
    "register.received_from": "Received from",
    "register.received_to": "Received to",
    "register.any": "Any",
    "register.apply": "Apply",
    "register.clear": "Clear filters",
    "register.also": "Also filtered by:",
    "register.under": "within {office} and below",
    "register.ground": "refused on ground “{ground}” between {start} and {end}",
    "register.event": "{what} between {start} and {end}",
    "register.remove": "remove",
    "register.count": "{first}–{last} of {total} appeals",  # noqa: RUF001
    "register.none": "No appeals match.",
    "register.previous": "← Previous",
    "register.next": "Next →",
    "register.page": "Page {page} of {pages}",
    "col.appeal": "Appeal",
    "col.received_on": "Received",
    "col.due_on": "Due",
    "col.status": "Status",
    "col.channel": "Channel",
    "col.office": "Office",
    "col.region": "Region",
    "col.assignee": "Assignee",
    "col.overdue": "Overdue",
    "yes": "yes",
    "no": "no",
    "overdue.badge": "overdue",
    "unassigned": "unassigned",
    # --- timeline ---------------------------------------------------------------
    "timeline.title": "Appeal {id}",
    "timeline.summary": "Current state",
    "timeline.events": "History",
    "timeline.none": "No events recorded yet.",
    "timeline.at": "at",
    "timeline.by": "by {actor}",
    "timeline.office": "office {office}",
    "timeline.back": "← Back to the register",
    # --- instructions -----------------------------------------------------------
    "instructions.title": "Instruction inbox",
    "instructions.scope": "Instructions addressed to {office} and the offices below it.",
    "instructions.status": "Status",
    "instructions.show": "Show",
    "instructions.none": "No instructions.",
    "instructions.count": "{total} instructions",
    "col.issued_at": "Issued",
    "col.subject": "Subject",
    "col.issuing_office": "From",
    "col.addressee_office": "To",
    "col.instruction_status": "Status",
    "col.late": "Executed late",
    "instruction_status.issued": "Issued",
    "instruction_status.received": "Received",
    "instruction_status.acknowledged": "Acknowledged",
    "instruction_status.executed": "Executed",
    "instruction_status.overdue": "Overdue",
    # --- roles ------------------------------------------------------------------
    "role.registrar": "registrar",
    "role.prosecutor": "prosecutor",
    "role.supervisor": "supervisor",
    "role.regional_office": "regional office",
    "role.auditor": "auditor",
    "role.administrator": "administrator",
    # --- appeal statuses --------------------------------------------------------
    "status.received": "Received",
    "status.in_progress": "In progress",
    "status.not_considered": "Not considered",
    "status.redirected": "Redirected",
    "status.decided": "Decided",
    "status.refusal_pending_explanation": "Refused, explanation pending",
    "status.refused": "Refused",
    "status.deemed_refused": "Deemed refused",
    "status.closed": "Closed",
    # --- channels ---------------------------------------------------------------
    "channel.call_centre_115": "Call centre 115",
    "channel.electronic_portal": "Electronic portal",
    "channel.written": "Written appeal",
    "channel.personal_reception": "Personal reception",
    "channel.law_enforcement_center": "Center for Law Enforcement Services",
    # --- refusal grounds --------------------------------------------------------
    "ground.arguments_not_confirmed": "Arguments not confirmed",
    "ground.no_violation_of_law": "No violation of law",
    "ground.decision_lawful": "Contested decision lawful",
    "ground.already_decided": "Already decided, nothing new",
    "ground.already_received_or_answered": "Already received or answered by the GPO",
    "ground.court_competence": "For the courts",
    "ground.appeal_period_missed": "Appeal period missed",
    "ground.civpc_54_2_not_provided": "Not provided for by CivPC art. 54(2)",
    "ground.not_subject_to_cassation": "Not subject to cassation review",
    # --- outcomes, results, roles in events -------------------------------------
    "outcome.satisfied": "Satisfied",
    "outcome.partially_satisfied": "Partially satisfied",
    "outcome.explained": "Explained",
    "outcome.refused": "Refused",
    "result.upheld": "Upheld",
    "result.overturned": "Overturned (found unlawful)",
    "specialist_role.prosecutor": "Prosecutor",
    "specialist_role.lawyer": "Lawyer",
    "specialist_role.psychologist": "Psychologist",
    "specialist_role.mediator": "Mediator",
    "specialist_role.probation_officer": "Probation officer",
    "specialist_role.other_body_representative": "Representative of another body",
    "help.legal_help": "legal help",
    "help.drafting_help": "help drafting",
    "help.psychological_help": "psychological help",
    "help.mediation": "mediation",
    "approver_role.head": "Head",
    "approver_role.deputy_head": "Deputy head",
    # --- event types ------------------------------------------------------------
    "event.appeals.appeal.received": "Appeal received",
    "event.appeals.appeal.not_considered": "Not considered",
    "event.appeals.appeal.assigned": "Assigned",
    "event.appeals.appeal.consulted": "Specialist consulted",
    "event.appeals.appeal.materials_added": "Materials added",
    "event.appeals.appeal.redirected": "Redirected to another agency",
    "event.appeals.appeal.extended": "Deadline extended",
    "event.appeals.appeal.decided": "Decided",
    "event.appeals.appeal.refusal_explained": "Refusal explained in person",
    "event.appeals.appeal.deemed_refused": "Deemed refused (deadline missed)",
    "event.appeals.appeal.case_file_requested": "Case file requested",
    "event.appeals.appeal.case_file_received": "Case file received",
    "event.appeals.appeal.decision_reviewed": "Decision reviewed by a higher office",
    "event.appeals.appeal.closed": "Closed",
    "event.appeals.appeal.reopened": "Reopened",
    "event.appeals.appeal.complaint_filed": "Complaint to a higher office filed",
    "event.appeals.appeal.complaint_decided": "Complaint decided by the higher office",
    "event.appeals.appeal.term_suspended": "Term suspended",
    "event.appeals.appeal.term_resumed": "Term resumed",
    "event.appeals.appeal.applicant_notified": "Applicant notified",
    "event.appeals.appeal.notice_overdue": "Notice to the applicant overdue",
    "event.appeals.appeal.applicant_heard": "Applicant heard",
    # --- event data fields ------------------------------------------------------
    "field.channel": "Channel",
    "field.office": "Office",
    "field.applicant_ref": "Applicant reference",
    "field.anonymous": "Anonymous",
    "field.reports_crime": "Reports a crime",
    "field.repeat_of": "Repeat of",
    "field.received_on": "Received on",
    "field.due_on": "Due on",
    "field.rule_set": "Rules applied",
    "field.reason": "Reason",
    "field.assignee": "Assignee",
    "field.previous_assignee": "Previous assignee",
    "field.specialist_role": "Specialist",
    "field.help": "Help given",
    "field.documents_count": "Documents",
    "field.by_applicant": "From the applicant",
    "field.agency": "Agency",
    "field.egov_reference": "e-Government reference",
    "field.applicant_notified": "Applicant notified",
    "field.working_days_taken": "Working days taken",
    "field.late": "Late",
    "field.urgent": "Urgent",
    "field.new_due_on": "New due date",
    "field.approver_role": "Approved by",
    "field.applicant_notified_on": "Applicant notified on",
    "field.notice_late": "Notice late",
    "field.outcome": "Outcome",
    "field.ground": "Ground",
    "field.explanation_required": "Explanation in person required",
    "field.explained_on": "Explained on",
    "field.request_id": "Request",
    "field.requesting_office": "Requesting office",
    "field.holding_office": "Holding office",
    "field.case_ref": "Case",
    "field.reviewing_office": "Reviewing office",
    "field.decided_by_office": "Decided by office",
    "field.decision_ref": "Decision",
    "field.result": "Result",
    "field.reopened_on": "Reopened on",
}

CATALOG: dict[str, dict[str, str]] = {"en": EN}
"""Message tables by language. Add ``"ru"`` and ``"kk"`` here."""


def languages() -> tuple[str, ...]:
    return tuple(CATALOG)


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The message ``key`` in ``lang`` (English when that table lacks it), with
    ``{placeholders}`` filled from ``values``. An id missing from English is a bug."""
    table = CATALOG.get(lang, EN)
    text = table.get(key)
    if text is None:
        text = EN[key]
    return text.format(**values) if values else text


def label(kind: str, code: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The words for a code (``label("status", "in_progress")``), or the code itself
    when the catalog has none, so that a new code still shows."""
    if code is None:
        return ""
    key = f"{kind}.{code}"
    if key in CATALOG.get(lang, EN) or key in EN:
        return t(key, lang)
    return code


def pick_language(accept_language: str | None) -> str:
    """The first language of the Accept-Language header that has a table, else English."""
    for part in (accept_language or "").split(","):
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in CATALOG:
            return tag
    return DEFAULT_LANGUAGE
