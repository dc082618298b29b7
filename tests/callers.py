"""Who a test acts as: the principals of each role, the caller the law gives a command
on an appeal (for tests about other rules), and the bounds every oversight figure keeps."""

from __future__ import annotations

from typing import Any


def staff(actor: str, office: str = "GPO") -> Any:
    """A head (or deputy) of ``office``: they work the appeals their office holds, route
    those it received or holds, and oversee the offices below; at the GPO, the root,
    they see every office."""
    from domain.access import Principal, Role

    return Principal(sub=actor, role=Role.SUPERVISOR, office=office)


def lawful(service: Any, command: Any, actor: str) -> Any:
    """``actor`` in the role and office the law gives ``command`` on its appeal, for
    tests about other rules (who else is refused: tests/unit/test_authority_matrix.py):
    the registrar of the receiving office routes; the assignee, or the head of the
    holding office, works the appeal; the head of the office named in the command, or
    of the office above the holder or the decider, demands files and reviews."""
    from domain.authority import Who
    from domain.commands import AppealCommand
    from domain.errors import AppealNotFound

    if not isinstance(command, AppealCommand):
        return staff(actor)
    try:
        appeal = service.get_appeal(command.appeal_id)
    except AppealNotFound:
        return staff(actor)  # the bus answers for an unknown appeal
    named = getattr(command, "requesting_office", None) or getattr(
        command, "reviewing_office", None
    )
    parent = service.offices.get(appeal.office).parent or "GPO"
    if named is not None:
        return staff(actor, named)
    decider_parent = service.offices.get(appeal.decided_by_office or appeal.office).parent
    if command.who == Who.COMPLAINT_DESK:
        return registrar(actor, getattr(command, "office", None) or decider_parent or "GPO")
    if command.who == Who.COMPLAINT_OFFICE:
        complaint = appeal.complaints.get(getattr(command, "complaint_id", ""))
        return staff(actor, str(complaint["office"]) if complaint else decider_parent or "GPO")
    if command.who == Who.ROUTER:
        return registrar(actor, appeal.receiving_office)
    if command.who == Who.HIGHER_OFFICE:
        return staff(actor, parent)
    if command.who == Who.REQUESTING_OFFICE:
        request = appeal.case_file_requests.get(getattr(command, "request_id", ""))
        return staff(actor, str(request["requesting_office"]) if request else parent)
    if command.who == Who.ABOVE_DECIDER:
        decider = appeal.decided_by_office or appeal.office
        return staff(actor, service.offices.get(decider).parent or "GPO")
    if actor == appeal.assignee:
        return prosecutor(actor, appeal.office)
    return staff(actor, appeal.office)


def send(service: Any, command: Any, actor: str, *, hear: bool = True, **options: Any) -> Any:
    """Send ``command`` through the bus as ``lawful`` says ``actor`` acts. Before an
    adverse decision of an appeal whose applicant was not heard yet, the applicant is
    heard first (APPK art. 73; the rule itself is tested in
    tests/unit/test_appeal_hearing.py)."""
    from domain.commands import Decide, HearApplicant
    from domain.errors import ConflictError

    try:
        return service.bus.send(command, lawful(service, command, actor), **options)
    except ConflictError as refused:
        if not hear or not isinstance(command, Decide) or refused.rule != "hearing-required":
            raise
    hearing = HearApplicant(appeal_id=command.appeal_id, form="written", note="Heard")
    service.bus.send(hearing, lawful(service, hearing, actor))
    options.pop("expected_version", None)
    return service.bus.send(command, lawful(service, command, actor), **options)


def heard_then(service: Any, command: Any, caller: Any) -> Any:
    """Send ``command`` as ``caller``, hearing the applicant first when it is a decision
    adverse to them and they were not heard yet (APPK art. 73)."""
    from domain.commands import Decide, HearApplicant

    if isinstance(command, Decide) and command.outcome in ("refused", "partially_satisfied"):
        appeal = service.get_appeal(command.appeal_id)
        if not appeal.heard and not appeal.anonymous:
            hearing = HearApplicant(appeal_id=command.appeal_id, form="written", note="Heard")
            service.bus.send(hearing, caller)
    return service.bus.send(command, caller)


def registrar(actor: str, office: str) -> Any:
    """A registrar of ``office``: registers and routes its appeals."""
    from domain.access import Principal, Role

    return Principal(sub=actor, role=Role.REGISTRAR, office=office)


def prosecutor(actor: str, office: str) -> Any:
    """A prosecutor of ``office``: works the appeals assigned to them."""
    from domain.access import Principal, Role

    return Principal(sub=actor, role=Role.PROSECUTOR, office=office)


def administrator(actor: str, office: str = "GPO") -> Any:
    """An administrator of ``office``: staff lists, schedules, erasure."""
    from domain.access import Principal, Role

    return Principal(sub=actor, role=Role.ADMINISTRATOR, office=office)


def on_staff(service: Any, office: str, staff_id: str, position: str) -> Any:
    """Record ``staff_id`` in ``position`` on ``office``'s staff list, as its administrator."""
    from domain import commands

    command = commands.AppointStaff(office=office, staff_id=staff_id, position=position)
    return service.bus.send(command, administrator("hr.admin", office))


def figures_out_of_bounds(row: dict[str, Any]) -> list[str]:
    """What in one row of the oversight report passes its whole: the fates must add up to
    the cohort, each part stay within its whole, each rate between 0 and 1."""
    wrong = []
    fates = (
        "decided",
        "deemed_refused",
        "redirected",
        "not_considered",
        "reversed",
        "enquiry",
        "open",
    )
    if sum(row[f] for f in fates) != row["received"]:
        wrong.append(f"fates {[row[f] for f in fates]} do not add up to {row['received']}")
    outcomes = ("satisfied", "partially_satisfied", "explained", "refused")
    if sum(row[o] for o in outcomes) != row["decided"]:
        wrong.append("outcomes do not add up to the decided")
    if sum(row["refusals_by_ground"].values()) != row["refused"]:
        wrong.append("grounds do not add up to the refused")
    for part, whole in (
        ("decided_late", "decided"),
        ("redirected_late", "redirected"),
        ("overdue_now", "open"),
        ("upheld", "reviewed"),
        ("overturned", "reviewed"),
        ("reversed", "overturned"),
        ("reviewed", "received"),
        ("reviews_pending", "received"),
        ("notices_overdue", "received"),
    ):
        if not 0 <= row[part] <= row[whole]:
            wrong.append(f"{part} {row[part]} is not within {whole} {row[whole]}")
    for name, value in row.items():
        if name.endswith("_rate") and value is not None and not 0.0 <= value <= 1.0:
            wrong.append(f"{name} is {value}")
    return wrong
