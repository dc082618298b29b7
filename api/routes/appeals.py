"""Receiving appeals and reading them: state, history, applicant."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Response, status

from api.auth import AuditReader, PersonalDataReader, Reader, ReasonsReader, Receiver
from api.consistency import MinPositionDep, check_not_parked
from api.deps import ContainerDep, ServiceDep
from api.parameters import Day, Moment
from api.schemas import (
    AUTH_PROBLEMS,
    AppealHistoryOut,
    AppealReasons,
    AppealState,
    ApplicantOut,
    CommandResult,
    HistoryEntry,
    PersonalDataView,
    Problem,
    ReasonedStep,
    ReceiveAppeal,
)
from api.scope import visible_appeal
from domain import commands
from domain.applicants import Applicant
from domain.authority import check_reasons_reader
from domain.commands import Outcome
from domain.errors import AppealNotFound, InvalidCommand, NoLongerAvailable
from domain.reasons import reasons_on_record

router = APIRouter(prefix="/appeals", tags=["appeals"], responses=AUTH_PROBLEMS)

PROBLEMS: dict[int | str, dict[str, object]] = {
    404: {"model": Problem, "description": "No such appeal."},
    409: {"model": Problem, "description": "The command conflicts with the appeal's state."},
    422: {"model": Problem, "description": "The input breaks a rule; nothing was recorded."},
}


class PersonErased(NoLongerAvailable):
    """The person's data was erased (crypto-shredded); the appeal itself remains."""

    rule = "person-erased"


def command_result(outcome: Outcome, response: Response) -> CommandResult:
    response.headers["ETag"] = f'"{outcome.version}"'
    response.headers["Location"] = f"/appeals/{outcome.appeal_id}"
    return CommandResult(
        appeal_id=outcome.appeal_id, version=outcome.version, position=outcome.position
    )


AsOf = Annotated[
    Day | None,
    Query(
        description="A legal date (YYYY-MM-DD): the steps in legal effect by the end of that "
        "day (an appeal entered later counts from its day of receipt, a deemed refusal from "
        "the working day after its term)."
    ),
]
KnownAt = Annotated[
    Moment | None,
    Query(
        description="A moment (ISO 8601 with offset): the steps recorded by then, whatever "
        "their legal date."
    ),
]


def aware(moment: datetime | None) -> datetime | None:
    if moment is not None and moment.tzinfo is None:
        raise InvalidCommand(
            "known_at needs a UTC offset, e.g. 2026-03-03T00:00:00+05:00.",
            field="known_at",
            rule="offset-required",
        )
    return moment


@router.post("", status_code=status.HTTP_201_CREATED, responses=PROBLEMS)
def receive_appeal(
    body: ReceiveAppeal,
    response: Response,
    service: ServiceDep,
    caller: Receiver,
    idempotency_key: Annotated[
        str | None,
        Header(max_length=200, description="Retrying with the same key creates nothing new."),
    ] = None,
) -> CommandResult:
    """Record an appeal. Anonymous appeals are set aside unless they report a crime or a
    threat, which are redirected at once (`redirect_to`)."""
    applicant = (
        Applicant.from_record(body.applicant.model_dump()) if body.applicant is not None else None
    )
    command = commands.ReceiveAppeal(
        **body.model_dump(exclude={"applicant", "channel"}),
        channel=body.channel.value,
        applicant=applicant,
    )
    outcome = service.bus.send(command, caller, idempotency_key=idempotency_key)
    if not outcome.created:
        response.headers["Idempotent-Replayed"] = "true"
    return command_result(outcome, response)


@router.get("/{appeal_id}", responses=PROBLEMS)
def get_appeal(
    appeal_id: UUID,
    response: Response,
    service: ServiceDep,
    principal: Reader,
    as_of: AsOf = None,
    known_at: KnownAt = None,
) -> AppealState:
    """The appeal's state, straight from its events (ETag: its version); with `as_of`,
    as it stood in law at the end of that day; with `known_at`, as its file stood at that
    moment."""
    appeal = visible_appeal(service, principal, appeal_id)
    if as_of is not None or known_at is not None:
        appeal = service.appeal_as_of(appeal_id, as_of=as_of, known_at=aware(known_at))
    response.headers["ETag"] = f'"{appeal.version}"'
    return AppealState(
        appeal_id=appeal.id,
        version=appeal.version,
        status=appeal.status.value,
        kind=appeal.kind,
        language=appeal.language,
        answer_language=appeal.answer_language,
        channel=appeal.channel,
        office=appeal.office,
        receiving_office=appeal.receiving_office,
        summary=service.reveal(appeal.summary),
        received_on=appeal.received_on,
        received_by=appeal.received_by,
        rule_set=appeal.rule_set,
        due_on=appeal.due_on,
        assignee=appeal.assignee,
        anonymous=appeal.anonymous,
        applicant_ref=appeal.applicant_ref,
        reports_crime=appeal.reports_crime,
        repeat_of=appeal.repeat_of,
        outcome=appeal.outcome,
        help_given=sorted(appeal.help_given),
        case_file_requests=appeal.case_file_requests,
    )


@router.get(
    "/{appeal_id}/applicant",
    responses={
        **PROBLEMS,
        404: {"model": Problem, "description": "No such appeal, or it is anonymous."},
        410: {"model": Problem, "description": "The applicant's data was erased."},
    },
)
def get_applicant(
    appeal_id: UUID, service: ServiceDep, container: ContainerDep, principal: PersonalDataReader
) -> ApplicantOut:
    """The applicant's identity (personal data). Every read is recorded for auditors."""
    appeal = visible_appeal(service, principal, appeal_id)
    if appeal.applicant_ref is None:
        raise AppealNotFound("This appeal is anonymous: there is no applicant on record.")
    person = service.applicants.lookup(appeal.applicant_ref)
    if person is None:
        raise PersonErased("The applicant's personal data was erased.")
    container.audit.record_view(appeal_id, appeal.applicant_ref, principal)
    return ApplicantOut(applicant_ref=appeal.applicant_ref, **person.as_record())


@router.get("/{appeal_id}/reasons", responses=PROBLEMS)
def appeal_reasons(
    appeal_id: UUID, service: ServiceDep, container: ContainerDep, principal: ReasonsReader
) -> AppealReasons:
    """The reasons of every decision, refusal, explanation, extension, review and
    complaint decision on the appeal, for its assignee, the head of an office that
    decided it, and the head of an office that reviewed it or took a complaint against
    it. Every read is recorded for auditors (``GET .../views``)."""
    appeal = visible_appeal(service, principal, appeal_id)
    check_reasons_reader(principal, appeal)
    steps = reasons_on_record(service.events.get(appeal_id), service.reveal)
    container.audit.record_view(appeal_id, appeal.applicant_ref, principal, what="reasons")
    return AppealReasons(appeal_id=appeal_id, steps=[ReasonedStep(**s) for s in steps])


@router.get("/{appeal_id}/views", responses=PROBLEMS)
def personal_data_views(
    appeal_id: UUID, service: ServiceDep, container: ContainerDep, principal: AuditReader
) -> list[PersonalDataView]:
    """Who viewed this appeal's applicant, when, in which role and office."""
    visible_appeal(service, principal, appeal_id)
    return [PersonalDataView(**row) for row in container.audit.views(appeal_id)]


@router.get(
    "/{appeal_id}/history",
    responses={
        **PROBLEMS,
        503: {"model": Problem, "description": "Not at `min_position` in time; see Retry-After."},
    },
)
def appeal_history(
    appeal_id: UUID,
    container: ContainerDep,
    principal: Reader,
    reached: MinPositionDep = None,
    as_of: AsOf = None,
    known_at: KnownAt = None,
) -> AppealHistoryOut:
    """Every event of the appeal, in order, with actor, office, the time it was recorded
    and the day it took legal effect (read model); `as_of` and `known_at` as for the
    appeal's state. With `min_position`, 409 `event-parked` while an event of the appeal
    waits as a dead letter."""
    visible_appeal(container.service, principal, appeal_id)
    if reached is not None:
        check_not_parked(container, str(appeal_id))
    rows = container.history.history(appeal_id, as_of=as_of, known_at=aware(known_at))
    if not rows:
        raise AppealNotFound(
            f"No history for appeal {appeal_id} yet; if it was just received, retry shortly."
        )
    return AppealHistoryOut(appeal_id=appeal_id, events=[HistoryEntry(**row) for row in rows])
