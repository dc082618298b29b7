"""Published form of the Appeal's events. Free text (summary, reasons, notes) and
applicant identity stay in the event store; the data here is codes, dates, offices
and pseudonymous references, which is what other agencies and oversight need."""

from __future__ import annotations

from typing import Any

from domain.appeal import Appeal
from infra.contract.events.base import PublicType


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _office(e: Any) -> str:
    return str(e.office)


def _type(name: str, to_data: Any) -> PublicType:
    return PublicType(name, 1, to_data, _office)


APPEAL_TYPES: dict[type, PublicType] = {
    Appeal.Received: PublicType(
        "appeal.received",
        2,
        lambda e: {
            "kind": e.kind,
            "language": e.language,
            "channel": e.channel,
            "office": e.office,
            "applicant_ref": e.applicant_ref,
            "anonymous": e.anonymous,
            "reports_crime": e.reports_crime,
            "repeat_of": str(e.repeat_of) if e.repeat_of else None,
            "received_on": _iso(e.received_on),
            "due_on": _iso(e.due_on),
            "rule_set": e.rule_set,
        },
        _office,
    ),
    Appeal.NotConsidered: _type("appeal.not_considered", lambda e: {"reason": e.reason}),
    Appeal.Assigned: _type(
        "appeal.assigned",
        lambda e: {
            "assignee": e.assignee,
            "office": e.office,
            "previous_assignee": e.previous_assignee,
        },
    ),
    Appeal.Consulted: _type(
        "appeal.consulted",
        lambda e: {"specialist_role": e.specialist_role, "help": list(e.help)},
    ),
    Appeal.MaterialsAdded: _type(
        "appeal.materials_added",
        lambda e: {"documents_count": len(e.documents), "by_applicant": e.by_applicant},
    ),
    Appeal.Redirected: _type(
        "appeal.redirected",
        lambda e: {
            "agency": e.agency,
            "egov_reference": e.egov_reference,
            "applicant_notified": e.applicant_notified,
            "working_days_taken": e.working_days_taken,
            "late": e.late,
            "urgent": e.urgent,
        },
    ),
    Appeal.Extended: _type(
        "appeal.extended",
        lambda e: {
            "new_due_on": _iso(e.new_due_on),
            "approver_role": e.approver_role,
            "applicant_notified_on": _iso(e.applicant_notified_on),
            "notice_late": e.notice_late,
        },
    ),
    Appeal.Decided: _type(
        "appeal.decided",
        lambda e: {
            "outcome": e.outcome,
            "ground": e.ground,
            "explanation_required": e.explanation_required,
            "late": e.late,
        },
    ),
    Appeal.RefusalExplained: _type(
        "appeal.refusal_explained", lambda e: {"explained_on": _iso(e.explained_on)}
    ),
    Appeal.DeemedRefused: _type("appeal.deemed_refused", lambda e: {"due_on": _iso(e.due_on)}),
    Appeal.CaseFileRequested: _type(
        "appeal.case_file_requested",
        lambda e: {
            "request_id": e.request_id,
            "requesting_office": e.requesting_office,
            "holding_office": e.holding_office,
            "case_ref": e.case_ref,
        },
    ),
    Appeal.CaseFileReceived: _type(
        "appeal.case_file_received", lambda e: {"request_id": e.request_id}
    ),
    Appeal.DecisionReviewed: _type(
        "appeal.decision_reviewed",
        lambda e: {
            "reviewing_office": e.reviewing_office,
            "decided_by_office": e.decided_by_office,
            "decision_ref": e.decision_ref,
            "result": e.result,
        },
    ),
    Appeal.Closed: _type("appeal.closed", lambda e: {}),
    Appeal.Reopened: _type(
        "appeal.reopened",
        lambda e: {"reopened_on": _iso(e.reopened_on), "new_due_on": _iso(e.new_due_on)},
    ),
    Appeal.ComplaintFiled: _type(
        "appeal.complaint_filed",
        lambda e: {
            "complaint_id": e.complaint_id,
            "against_office": e.against_office,
            "filed_on": _iso(e.filed_on),
            "learned_on": _iso(e.learned_on),
            "due_on": _iso(e.due_on),
        },
    ),
    Appeal.TermSuspended: _type(
        "appeal.term_suspended",
        lambda e: {"reason": e.reason, "suspended_on": _iso(e.suspended_on)},
    ),
    Appeal.TermResumed: _type(
        "appeal.term_resumed",
        lambda e: {
            "resumed_on": _iso(e.resumed_on),
            "working_days_suspended": e.working_days_suspended,
            "new_due_on": _iso(e.new_due_on),
        },
    ),
    Appeal.ApplicantNotified: _type(
        "appeal.applicant_notified",
        lambda e: {
            "kind": e.kind,
            "channel": e.channel,
            "sent_on": _iso(e.sent_on),
            "due_on": _iso(e.due_on),
            "late": e.late,
        },
    ),
    Appeal.ApplicantHeard: _type(
        "appeal.applicant_heard",
        lambda e: {"form": e.form, "heard_on": _iso(e.heard_on)},
    ),
    Appeal.NoticeOverdue: _type(
        "appeal.notice_overdue", lambda e: {"kind": e.kind, "due_on": _iso(e.due_on)}
    ),
    Appeal.ComplaintDecided: _type(
        "appeal.complaint_decided",
        lambda e: {
            "complaint_id": e.complaint_id,
            "result": e.result,
            "against_office": e.against_office,
            "returned": e.returned,
            "new_due_on": _iso(e.new_due_on),
            "outcome": e.outcome,
            "ground": e.ground,
        },
    ),
}
