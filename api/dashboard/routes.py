"""Server-rendered dashboard pages under /ui: sign in with a token, the oversight
overview, the appeal register, an appeal's timeline and the instruction inbox.

Every page needs a signed-in user (the ``appeals_token`` cookie, or a bearer token)
and shows only the offices within that user's scope; an appeal outside it is 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from api import i18n, l10n
from api.dashboard.charts import BarChart, bar_chart
from api.dashboard.export import FORMATS, to_csv, to_xlsx
from api.dashboard.page import (
    APPEAL_STATUSES,
    CHANNELS,
    PAGE_SIZE,
    RECENT,
    ContainerDep,
    Page,
    PageError,
    Params,
    _details,
    _home,
    _href,
    _local,
    _render,
    _row,
    _secure,
    _serve,
    _signed_in,
    router,
)
from api.dashboard.panels import PANELS, Figures, Panel, period_of, register_link
from api.dashboard.queries import EVENTS, VISIT_HELP, DashboardFilter, DashboardRegister
from domain.access import Action
from domain.authority import ReasonsRestricted, check_reasons_reader
from domain.offices import Level
from domain.reasons import reasons_on_record
from projections.instructions import STATUSES as INSTRUCTION_STATUSES
from projections.instructions import InstructionQueries

# --- overview -------------------------------------------------------------------------


@router.get("/")
def overview(request: Request, container: ContainerDep) -> Response:
    user = _signed_in(request, container)
    if user is not None and not user.may(Action.OVERSEE) and _home(user) is not None:
        # Users who do not oversee start at the first page they may open.
        return _secure(RedirectResponse(str(_home(user)), status_code=303))
    return _serve(request, container, Action.OVERSEE, _overview)


def _overview(page: Page) -> Response:
    period = period_of(page)
    figures = Figures(page, period)
    panels = {name: build(page, period, figures) for name, build in PANELS.items()}

    def total(column: str) -> int:
        return sum(int(row[column]) for row in figures.by_region)

    office, start, end = period.office, period.start, period.end
    drill = period.drill
    charts = [
        _chart(panels["refusals"], "refusals", page.t("overview.chart.refusals"), 1),
        _chart(panels["overdue"], "overdue", page.t("overview.chart.overdue"), 1),
        _chart(panels["reversals"], "overturned", page.t("overview.chart.overturned"), 2),
    ]
    tiles = [
        (
            "received",
            total("received"),
            register_link(under=office, received_from=start, received_to=end),
        ),
        ("decided", total("decided"), register_link(event="decided", **drill)),
        ("refused", total("refused"), register_link(event="refused", **drill)),
        ("overturned", total("overturned"), register_link(event="overturned", **drill)),
        ("deemed_refused", total("deemed_refused"), register_link(event="deemed_refused", **drill)),
        ("overdue_now", total("overdue_now"), register_link(under=office, overdue=1)),
    ]
    recently = {"under": office, "updated_from": start, "updated_to": end}
    _, recent = DashboardRegister(page.container.pool).search(
        DashboardFilter(offices=period.offices, updated_from=start, updated_to=end),
        limit=RECENT,
        offset=0,
        order="updated_at",
    )
    chosen = {"office": office, "from": start, "to": end}
    return _render(
        page.request,
        "overview.html",
        lang=page.lang,
        user=page.user,
        active="overview",
        office=office,
        office_choices=page.scope(),
        start=start,
        end=end,
        today=page.today,
        tiles=tiles,
        charts=charts,
        panels=[panels[name] for name in ("reversals", "centres", "redirects")],
        exports={
            name: {fmt: _href(f"/ui/export/{name}.{fmt}", chosen) for fmt in FORMATS}
            for name in PANELS
        },
        recent=[_row(r, page.today) for r in recent],
        recent_all=_href("/ui/appeals", recently),
    )


def _chart(panel: Panel, name: str, title: str, column: int) -> BarChart:
    """A panel's ``column`` of counts as bars, each linking where the count does."""
    return bar_chart(
        name,
        title,
        [
            (key, str(row[0].value), int(row[column].value or 0), row[column].href or "")
            for key, row in zip(panel.keys, panel.rows, strict=True)
            if row[column].value
        ],
    )


@router.get("/export/{name}.{fmt}")
def export(name: str, fmt: str, request: Request, container: ContainerDep) -> Response:
    return _serve(request, container, Action.OVERSEE, lambda page: _export(page, name, fmt))


def _export(page: Page, name: str, fmt: str) -> Response:
    if name not in PANELS or fmt not in FORMATS:
        raise PageError(404, page.t("error.not_found"))
    period = period_of(page)
    panel = PANELS[name](page, period, Figures(page, period))
    body = to_csv(panel, page.lang) if fmt == "csv" else to_xlsx(panel, page.lang)
    filename = f"{name}_{period.office}_{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}"
    return _secure(
        Response(
            body,
            media_type=FORMATS[fmt],
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "Content-Language": page.lang,
            },
        )
    )


# --- register -------------------------------------------------------------------------


# The help a visit came with, by the panel column that counts it.
HELP_LABELS = {
    "legal_help": "legal_help",
    "psychologist": "psychologist",
    "lawyer": "lawyers",
    "accepted": "accepted",
}


@router.get("/appeals")
def appeals(request: Request, container: ContainerDep) -> Response:
    return _serve(request, container, Action.READ_APPEAL, _register)


def _register(page: Page) -> Response:
    q = Params(page)
    scope = page.scope()
    regions = sorted({page.offices.region_of(code) for code in scope})
    under = page.office_in_scope(q.text("under") or page.user.office)
    office = q.text("office")
    if office is not None:
        page.office_in_scope(office)
    event = q.choice("event", EVENTS)
    filters: dict[str, Any] = {
        "status": q.choice("status", APPEAL_STATUSES),
        "region": q.choice("region", regions),
        "office": office,
        "channel": q.choice("channel", CHANNELS),
        "overdue": q.flag("overdue"),
        "received_from": q.day("received_from"),
        "received_to": q.day("received_to"),
    }
    received_at = q.text("received_at")
    if received_at is not None:
        page.office_in_scope(received_at)
    drill: dict[str, Any] = {
        "under": under if under != page.user.office else None,
        "event": event,
        "ground": q.text("ground") if event == "refused" else None,
        "agency": q.text("agency", 256) if event in ("redirected", "redirected_late") else None,
        "period_from": q.day("period_from") if event else None,
        "period_to": q.day("period_to") if event else None,
        "received_at": received_at,
        "help": q.choice("help", VISIT_HELP),
        "updated_from": q.day("updated_from"),
        "updated_to": q.day("updated_to"),
    }
    size = q.number("size", PAGE_SIZE, 1, 200)
    number = q.number("page", 1, 1, 100_000)
    criteria = DashboardFilter(
        offices=page.scope(under),
        status=filters["status"],
        region=filters["region"],
        office=office,
        channel=filters["channel"],
        received_from=filters["received_from"],
        received_to=filters["received_to"],
        overdue_on=page.today if filters["overdue"] else None,
        event=event,
        ground=drill["ground"],
        agency=drill["agency"],
        period_from=drill["period_from"],
        period_to=drill["period_to"],
        receiving_office=received_at,
        visit_help=drill["help"],
        updated_from=drill["updated_from"],
        updated_to=drill["updated_to"],
    )
    total, rows = DashboardRegister(page.container.pool).search(
        criteria, limit=size, offset=(number - 1) * size
    )
    pages = max(1, -(-total // size))
    current = {**filters, **drill, "size": size if size != PAGE_SIZE else None}

    def with_page(n: int) -> str:
        return _href("/ui/appeals", {**current, "page": n if n > 1 else None})

    chips: list[tuple[str, str]] = []
    if drill["under"]:
        chips.append(
            (
                page.t("register.under", office=under),
                _href("/ui/appeals", {**current, "under": None}),
            )
        )
    if event:
        start = l10n.day(drill["period_from"]) or "…"
        end = l10n.day(drill["period_to"]) or "…"
        if drill["ground"]:
            text = page.t(
                "register.ground",
                ground=i18n.label("ground", drill["ground"], page.lang),
                start=start,
                end=end,
            )
        else:
            text = page.t("register.event", what=page.t(f"overview.{event}"), start=start, end=end)
        if drill["agency"]:
            text = f"{text}: {drill['agency']}"
        cleared = {**current, "event": None, "ground": None, "agency": None, "period_from": None}
        chips.append((text, _href("/ui/appeals", {**cleared, "period_to": None})))
    if received_at:
        chips.append(
            (
                page.t("register.received_at", office=i18n.label("office", received_at, page.lang)),
                _href("/ui/appeals", {**current, "received_at": None}),
            )
        )
    if drill["help"]:
        chips.append(
            (
                page.t(f"panel.{HELP_LABELS[drill['help']]}"),
                _href("/ui/appeals", {**current, "help": None}),
            )
        )
    if drill["updated_from"] or drill["updated_to"]:
        chips.append(
            (
                page.t(
                    "register.updated",
                    start=l10n.day(drill["updated_from"]) or "…",
                    end=l10n.day(drill["updated_to"]) or "…",
                ),
                _href("/ui/appeals", {**current, "updated_from": None, "updated_to": None}),
            )
        )
    return _render(
        page.request,
        "register.html",
        lang=page.lang,
        user=page.user,
        active="register",
        filters=filters,
        hidden={k: v for k, v in {**drill, "size": current["size"]}.items() if v},
        chips=chips,
        statuses=APPEAL_STATUSES,
        channels=CHANNELS,
        regions=regions,
        office_choices=scope,
        rows=[_row(r, page.today) for r in rows],
        total=total,
        first=(number - 1) * size + 1 if rows else 0,
        last=(number - 1) * size + len(rows),
        page_number=number,
        pages=pages,
        previous=with_page(number - 1) if number > 1 else None,
        next_page=with_page(number + 1) if number < pages else None,
    )


# --- timeline -------------------------------------------------------------------------


@router.get("/appeals/{appeal_id}")
def timeline(appeal_id: str, request: Request, container: ContainerDep) -> Response:
    return _serve(request, container, Action.READ_APPEAL, lambda page: _timeline(page, appeal_id))


def _timeline(page: Page, raw_id: str) -> Response:
    try:
        appeal_id = UUID(raw_id)
    except ValueError:
        raise PageError(404, page.t("error.not_found")) from None
    row = DashboardRegister(page.container.pool).one(appeal_id)
    if row is None or row["office"] not in page.offices:
        raise PageError(404, page.t("error.not_found"))
    page.office_in_scope(row["office"])
    reasons = _reasons(page, appeal_id)
    events = [
        {
            "version": e["version"],
            "type": e["type"],
            "words": i18n.label("event", e["type"], page.lang),
            "at": _local(e["occurred_at"]),
            "actor": e["actor"],
            "office": e["office"],
            "details": _details(e["data"], page.lang),
            "reasons": (reasons or {}).get(e["version"]),
        }
        for e in page.container.history.history(appeal_id)
    ]
    return _render(
        page.request,
        "timeline.html",
        lang=page.lang,
        user=page.user,
        active="register",
        appeal=_row(row, page.today),
        events=events,
        reasons_shown=reasons is not None,
    )


def _reasons(page: Page, appeal_id: UUID) -> dict[int, str] | None:
    """The reasons of each reasoned step by version, for a reader the law lets read them
    (domain/authority.py, ``check_reasons_reader``; every read recorded for auditors);
    None for anyone else."""
    if not page.user.may(Action.READ_REASONS):
        return None
    service = page.container.service
    appeal = service.get_appeal(appeal_id)
    try:
        check_reasons_reader(page.user, appeal)
    except ReasonsRestricted:
        return None
    steps = reasons_on_record(service.events.get(appeal_id), service.reveal)
    page.container.audit.record_view(appeal_id, appeal.applicant_ref, page.user, what="reasons")
    return {int(step["version"]): str(step["reasons"]) for step in steps}


# --- instructions ---------------------------------------------------------------------


@router.get("/instructions")
def instructions(request: Request, container: ContainerDep) -> Response:
    return _serve(request, container, Action.READ_INSTRUCTIONS, _instructions)


def _instructions(page: Page) -> Response:
    q = Params(page)
    status = q.choice("status", (*INSTRUCTION_STATUSES, "overdue"))
    home = page.offices.get(page.user.office)
    region = addressee = None
    if home.level == Level.REGIONAL:
        region = home.code
    elif home.level == Level.DISTRICT:
        addressee = home.code
    scope = set(page.scope())
    rows = [
        row
        for row in InstructionQueries(page.container.pool).find(
            today=page.today, addressee=addressee, region=region, status=status, limit=200
        )
        if row["addressee_office"] in scope
    ]
    service = page.container.instructions
    items = [
        {
            **row,
            "subject": service.get(row["instruction_id"]).subject,
            "issued": _local(row["issued_at"]),
        }
        for row in rows
    ]
    return _render(
        page.request,
        "instructions.html",
        lang=page.lang,
        user=page.user,
        active="instructions",
        items=items,
        chosen=status,
        statuses=(*INSTRUCTION_STATUSES, "overdue"),
        may_read_appeals=page.user.may(Action.READ_APPEAL),
    )
