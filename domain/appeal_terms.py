"""The words of an appeal: its statuses, outcomes and kinds, and the errors its rules raise."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum

from domain.errors import ConflictError, InvalidCommand
from domain.text import required_text

MAX_SUMMARY_LENGTH = 4000
MAX_TEXT = 4000


class Status(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    NOT_CONSIDERED = "not_considered"
    REDIRECTED = "redirected"
    DECIDED = "decided"
    REFUSAL_PENDING_EXPLANATION = "refusal_pending_explanation"
    REFUSED = "refused"
    DEEMED_REFUSED = "deemed_refused"
    CLOSED = "closed"


class Outcome(StrEnum):
    SATISFIED = "satisfied"
    PARTIALLY_SATISFIED = "partially_satisfied"
    EXPLAINED = "explained"
    REFUSED = "refused"


class SpecialistRole(StrEnum):
    PROSECUTOR = "prosecutor"
    LAWYER = "lawyer"
    PSYCHOLOGIST = "psychologist"
    MEDIATOR = "mediator"
    PROBATION_OFFICER = "probation_officer"
    OTHER_BODY = "other_body_representative"


class HelpKind(StrEnum):
    LEGAL_HELP = "legal_help"
    DRAFTING_HELP = "drafting_help"
    PSYCHOLOGICAL_HELP = "psychological_help"
    MEDIATION = "mediation"


class ApproverRole(StrEnum):
    HEAD = "head"
    DEPUTY_HEAD = "deputy_head"


class ReviewResult(StrEnum):
    UPHELD = "upheld"
    OVERTURNED = "overturned"


class AppealKind(StrEnum):
    """The kinds of appeal the APPK defines (complaint, statement, request, proposal,
    response), and an enquiry answered on the spot."""

    COMPLAINT = "complaint"
    STATEMENT = "statement"
    REQUEST = "request"
    PROPOSAL = "proposal"
    RESPONSE = "response"
    ENQUIRY = "enquiry"


class Language(StrEnum):
    """The language of the appeal, in which it is answered (Constitution art. 7; the
    Law "On languages in the Republic of Kazakhstan"; the article could not be checked
    here, see docs/rules.md)."""

    KAZAKH = "kk"
    RUSSIAN = "ru"


class ComplaintResult(StrEnum):
    """How a higher body ends a complaint against a decision (APPK art. 100)."""

    UPHELD = "upheld"  # the decision stands
    OVERTURNED = "overturned"  # set aside: sent back for a new decision, or decided above
    CHANGED = "changed"  # the higher body decides differently itself


OPEN = frozenset({Status.RECEIVED, Status.IN_PROGRESS})
ANSWERED = frozenset(
    {
        Status.DECIDED,
        Status.REFUSED,
        Status.DEEMED_REFUSED,
        Status.REDIRECTED,
        Status.NOT_CONSIDERED,
    }
)


class RuleBroken(InvalidCommand):
    """A command that breaks a rule of the law; the rule is named where it is raised."""

    def __init__(self, rule: str, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.rule = rule


class StateConflict(ConflictError):
    """A command the appeal's current state does not allow; the rule is named where it is raised."""

    def __init__(self, rule: str, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail, field=field)
        self.rule = rule


Sealer = Callable[[str], str]


def unsealed(text: str) -> str:
    """Free text of an anonymous appeal stays as written: there is no person to erase."""
    return text


def text_field(field: str, value: str, max_length: int = MAX_TEXT) -> str:
    return required_text(field, value, max_length)
