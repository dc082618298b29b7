"""Time is an input: only infra/adapters/clock.py reads the wall clock. A module that calls
``datetime.now()``, ``date.today()`` or ``time.time()`` itself gives answers that
depend on the day the suite runs; this test names each such call."""

from __future__ import annotations

import ast
from pathlib import Path

from infra.adapters.settings import PROJECT_ROOT

PACKAGES = ("domain", "projections", "consumers", "api", "infra", "tests")
THE_CLOCK = PROJECT_ROOT / "infra" / "adapters" / "clock.py"
WALL_CLOCK_READS = {
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
    ("date", "today"),
    ("time", "time"),
    ("time", "time_ns"),
}


def wall_clock_reads(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", None)
        if (name, node.func.attr) in WALL_CLOCK_READS:
            found.append(f"{path.name}:{node.lineno} {name}.{node.func.attr}()")
    return found


def project_modules() -> list[Path]:
    return [
        path
        for package in PACKAGES
        for path in sorted((PROJECT_ROOT / package).rglob("*.py"))
        if path != THE_CLOCK
    ]


def test_only_the_clock_module_reads_the_wall_clock() -> None:
    offenders = [read for path in project_modules() for read in wall_clock_reads(path)]
    assert offenders == [], "read the time through a Clock (infra/adapters/clock.py) instead"


def test_the_check_finds_a_wall_clock_read(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt\nimport time\n"
        "a = dt.datetime.now()\nb = dt.date.today()\nc = time.time()\nd = time.monotonic()\n"
    )
    assert wall_clock_reads(sample) == [
        "sample.py:3 datetime.now()",
        "sample.py:4 date.today()",
        "sample.py:5 time.time()",
    ]


def test_the_clock_module_is_where_the_time_is_read() -> None:
    assert wall_clock_reads(THE_CLOCK), "infra/adapters/clock.py should be the one reader"
