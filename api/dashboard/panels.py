"""The overview's tables: what each shows, over which period and offices, with every
figure linked to the appeals behind it. The page draws them and the export writes
them (CSV, XLSX) from the same rows, so a report says what the screen said."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import Any

from api import i18n, l10n
from api.dashboard.page import PERIOD_DAYS, Page, PageError, Params, _href
from projections.oversight_queries import Scope


@dataclass(frozen=True)
class Cell:
    value: int | float | str | None
    href: str | None = None
    kind: str = "count"  # count, share (0..1 or None), number, text


@dataclass(frozen=True)
class Panel:
    name: str  # stable: the export's file name and the tests' handle
    title: str
    caption: str  # which period and offices it shows
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # the code each row is about

    def shown(self, cell: Cell, lang: str) -> str:
        if cell.kind == "share":
            return l10n.share(cell.value if isinstance(cell.value, float) else None, lang)
        if cell.kind in ("count", "number") and isinstance(cell.value, int | float):
            return l10n.number(cell.value, lang)
        return "" if cell.value is None else str(cell.value)


@dataclass(frozen=True)
class Period:
    """The overview's choice: an office (with the offices below it) and a period."""

    office: str
    start: date
    end: date
    offices: list[str]

    @property
    def scope(self) -> Scope:
        return Scope(start=self.start, end=self.end, offices=self.offices)

    @property
    def drill(self) -> dict[str, Any]:
        """The register's parameters for "this event, in this period, at these offices"."""
        return {"under": self.office, "period_from": self.start, "period_to": self.end}


def register_link(**params: Any) -> str:
    return _href("/ui/appeals", params)


def _share(part: int, whole: int) -> Cell:
    # A part of a whole by construction (overturned among reviewed, late among
    # redirected), so never past 100%; no whole, no share.
    return Cell(round(part / whole, 4) if whole else None, kind="share")


def overdue_by_region(page: Page, period: Period, by_region: list[dict[str, Any]]) -> Panel:
    t = page.t
    overdue = sorted(
        (row for row in by_region if row["overdue_now"]),
        key=lambda r: (-r["overdue_now"], r["key"]),
    )
    return Panel(
        name="overdue",
        title=t("overview.chart.overdue"),
        caption=t("panel.as_of", office=_name(page, period.office), today=l10n.day(page.today)),
        columns=[t("col.region"), t("overview.overdue_now")],
        rows=[
            [
                Cell(_name(page, row["key"]), kind="text"),
                Cell(
                    row["overdue_now"],
                    register_link(under=period.office, region=row["key"], overdue=1),
                ),
            ]
            for row in overdue
        ],
        keys=[row["key"] for row in overdue],
    )


def refusals_by_ground(page: Page, period: Period, by_region: list[dict[str, Any]]) -> Panel:
    t = page.t
    grounds: dict[str, int] = {}
    for row in by_region:
        for ground, n in row["refusals_by_ground"].items():
            grounds[ground] = grounds.get(ground, 0) + n
    ordered = sorted(grounds.items(), key=lambda item: (-item[1], item[0]))
    return Panel(
        name="refusals",
        title=t("overview.chart.refusals"),
        caption=_caption(page, period),
        columns=[t("field.ground"), t("overview.refused")],
        rows=[
            [
                Cell(i18n.label("ground", ground, page.lang), kind="text"),
                Cell(n, register_link(event="refused", ground=ground, **period.drill)),
            ]
            for ground, n in ordered
        ],
        keys=[ground for ground, _ in ordered],
    )


def reversals_by_office(page: Page, period: Period, by_office: list[dict[str, Any]]) -> Panel:
    """Decisions reviewed by a higher office in the period, by the office whose decision
    it was, and how many were found unlawful: the reversal rate."""
    t = page.t
    rows, keys = [], []
    for row in sorted(by_office, key=lambda r: (-r["overturned"], -r["reviewed"], r["key"])):
        if not row["reviewed"]:
            continue
        office = row["key"]
        keys.append(office)
        rows.append(
            [
                Cell(_name(page, office), kind="text"),
                Cell(
                    row["reviewed"], register_link(event="reviewed", office=office, **period.drill)
                ),
                Cell(
                    row["overturned"],
                    register_link(event="overturned", office=office, **period.drill),
                ),
                _share(row["overturned"], row["reviewed"]),
            ]
        )
    return Panel(
        name="reversals",
        title=t("panel.reversals"),
        caption=_caption(page, period),
        columns=[t("col.office"), t("panel.reviewed"), t("panel.overturned"), t("panel.rate")],
        rows=rows,
        keys=keys,
    )


def centre_statistics(page: Page, period: Period, rows: list[dict[str, Any]]) -> Panel:
    """The Center for Law Enforcement Services: visits in the period and the help given."""
    t = page.t
    received = {"channel": "law_enforcement_center"}
    out = []
    for row in rows:
        centre = row["centre"]
        visits = {
            **received,
            "under": period.office,
            "received_at": centre,
            "received_from": period.start,
            "received_to": period.end,
        }
        out.append(
            [
                Cell(_name(page, centre), kind="text"),
                Cell(row["citizens_received"], register_link(**visits)),
                Cell(row["given_legal_help"], register_link(help="legal_help", **visits)),
                Cell(row["helped_by_psychologist"], register_link(help="psychologist", **visits)),
                Cell(row["helped_by_lawyers"], register_link(help="lawyer", **visits)),
                Cell(row["applications_accepted"], register_link(help="accepted", **visits)),
            ]
        )
    return Panel(
        name="centres",
        title=t("panel.centres"),
        caption=_caption(page, period),
        columns=[
            t("panel.centre"),
            t("panel.citizens_received"),
            t("panel.legal_help"),
            t("panel.psychologist"),
            t("panel.lawyers"),
            t("panel.accepted"),
        ],
        rows=out,
        keys=[row["centre"] for row in rows],
    )


def redirects_by_agency(page: Page, period: Period, rows: list[dict[str, Any]]) -> Panel:
    t = page.t
    out = []
    for row in rows:
        agency = row["agency"]
        out.append(
            [
                Cell(agency, kind="text"),
                Cell(
                    row["redirected"],
                    register_link(event="redirected", agency=agency, **period.drill),
                ),
                Cell(
                    row["late"],
                    register_link(event="redirected_late", agency=agency, **period.drill),
                ),
                _share(row["late"], row["redirected"]),
                Cell(row["avg_working_days"], kind="number"),
            ]
        )
    return Panel(
        name="redirects",
        title=t("panel.redirects"),
        caption=_caption(page, period),
        columns=[
            t("field.agency"),
            t("panel.redirected"),
            t("panel.late"),
            t("panel.late_rate"),
            t("panel.avg_days"),
        ],
        rows=out,
        keys=[row["agency"] for row in rows],
    )


class Figures:
    """What the overview reads from the oversight read models: each figure read once,
    when a panel first needs it (an export of one panel reads only its own)."""

    def __init__(self, page: Page, period: Period) -> None:
        self._oversight = page.container.oversight
        self._scope = period.scope
        self._today = page.today

    @cached_property
    def by_region(self) -> list[dict[str, Any]]:
        return self._oversight.activity(self._scope, "region", self._today)

    @cached_property
    def by_office(self) -> list[dict[str, Any]]:
        return self._oversight.activity(self._scope, "office", self._today)

    @cached_property
    def centres(self) -> list[dict[str, Any]]:
        return self._oversight.reception_statistics(self._scope)

    @cached_property
    def redirects(self) -> list[dict[str, Any]]:
        return self._oversight.redirects_by_agency(self._scope)


PANELS: dict[str, Callable[[Page, Period, Figures], Panel]] = {
    "refusals": lambda page, period, f: refusals_by_ground(page, period, f.by_region),
    "overdue": lambda page, period, f: overdue_by_region(page, period, f.by_region),
    "reversals": lambda page, period, f: reversals_by_office(page, period, f.by_office),
    "centres": lambda page, period, f: centre_statistics(page, period, f.centres),
    "redirects": lambda page, period, f: redirects_by_agency(page, period, f.redirects),
}
"""Every table of the overview, by name, in the order the page shows them."""


def _name(page: Page, code: str) -> str:
    return i18n.label("office", code, page.lang)


def _caption(page: Page, period: Period) -> str:
    return page.t(
        "panel.period",
        office=_name(page, period.office),
        start=l10n.day(period.start),
        end=l10n.day(period.end),
    )


def period_of(page: Page) -> Period:
    """The office and period the overview (or an export of it) was asked for: the
    user's office and the last PERIOD_DAYS days unless chosen."""
    q = Params(page)
    office = page.office_in_scope(q.text("office") or page.user.office)
    end = q.day("to") or page.today
    start = q.day("from") or end - timedelta(days=PERIOD_DAYS)
    if start > end:
        raise PageError(400, page.t("error.bad_period"))
    return Period(office=office, start=start, end=end, offices=page.scope(office))
