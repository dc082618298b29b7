"""Offices of the prosecution service and their hierarchy, shipped as data."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from domain.errors import InvalidCommand


class Level(StrEnum):
    GPO = "gpo"
    REGIONAL = "regional"
    DISTRICT = "district"


RANK = {Level.GPO: 0, Level.REGIONAL: 1, Level.DISTRICT: 2}


@dataclass(frozen=True)
class Office:
    code: str
    name: str
    level: Level
    parent: str | None
    kind: str  # central, department, territorial, military, transport
    # The matter areas its reception takes (domain.competence): by its kind, or its own
    # list for a department of the GPO.
    competence: frozenset[str] = frozenset()


class UnknownOffice(InvalidCommand):
    rule = "unknown-office"


class OfficeDirectory:
    """The hierarchy: who is above whom, and which region an office belongs to."""

    def __init__(self, offices: Iterable[Office]) -> None:
        self._offices = {o.code: o for o in offices}
        for office in self._offices.values():
            if office.parent is not None and office.parent not in self._offices:
                raise ValueError(f"{office.code}: parent {office.parent} is not an office")

    @classmethod
    def default(cls) -> OfficeDirectory:
        text = resources.files("domain").joinpath("data", "offices.json").read_text("utf-8")
        data = json.loads(text)
        by_kind = data["competence"]["by_kind"]
        return cls(
            Office(
                r["code"],
                r["name"],
                Level(r["level"]),
                r["parent"],
                r["kind"],
                frozenset(r.get("competence", by_kind.get(r["kind"], []))),
            )
            for r in data["offices"]
        )

    def __iter__(self) -> Iterator[Office]:
        return iter(self._offices.values())

    def __contains__(self, code: object) -> bool:
        return code in self._offices

    def get(self, code: str, field: str = "office") -> Office:
        try:
            return self._offices[code]
        except KeyError:
            raise UnknownOffice(
                f"{code!r} is not an office code; GET /offices lists them.", field=field
            ) from None

    def ancestors(self, code: str) -> list[Office]:
        """Offices above ``code``, nearest first."""
        out = []
        parent = self.get(code).parent
        while parent is not None:
            office = self._offices[parent]
            out.append(office)
            parent = office.parent
        return out

    def is_above(self, higher: str, lower: str) -> bool:
        """True when ``higher`` is a strict ancestor of ``lower`` in the hierarchy, or a
        department of the GPO and ``lower`` a regional or district office: the GPO acts
        through its departments over every lower office (Constitutional Law "On the
        Prosecutor's Office" of 5 November 2022 No. 155-VII)."""
        if any(o.code == higher for o in self.ancestors(lower)):
            return True
        return self.get(higher).level == Level.GPO and self.get(lower).level != Level.GPO

    def within(self, code: str, root: str) -> bool:
        """True when ``code`` is ``root`` or below it."""
        return code == root or self.is_above(root, code)

    def subtree(self, root: str) -> list[Office]:
        return [o for o in self._offices.values() if self.within(o.code, root)]

    def region_of(self, code: str) -> str:
        """The regional-level office ``code`` belongs to (the GPO is its own region)."""
        office = self.get(code)
        if office.level in (Level.GPO, Level.REGIONAL):
            return office.code
        return next(o.code for o in self.ancestors(code) if o.level == Level.REGIONAL)
