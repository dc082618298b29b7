"""`appeals bench-register`: the appeal register's queries at a large size.

Fills a scratch database's register table with synthetic rows straight in SQL (the
read model's own table and indexes, not the event store: this measures the queries the
API makes, not the pipeline), then times each query the register endpoint can run.
"""

from __future__ import annotations

import statistics
import time
from contextlib import ExitStack
from datetime import date, timedelta

import psycopg
from rich.console import Console
from rich.table import Table

from domain.offices import OfficeDirectory
from infra.adapters.database import open_pool
from infra.adapters.settings import Settings
from infra.bench.oversight import cases as oversight_cases
from infra.bench.oversight import fill_facts, time_case
from infra.bench.scratch import scratch_database
from infra.bench.targets import Target, targets_table
from projections.register import RegisterFilter, RegisterQueries

FILL = """
INSERT INTO appeal_register (appeal_id, version, status, channel, receiving_office, office,
    region, assignee, anonymous, received_on, due_on, outcome, refusal_ground, updated_at)
SELECT gen_random_uuid(), 1 + (i %% 7),
    (ARRAY['received','in_progress','decided','refused','redirected','deemed_refused',
           'closed','not_considered','refusal_pending_explanation'])[1 + (i %% 9)],
    (ARRAY['call_centre_115','electronic_portal','written','personal_reception',
           'law_enforcement_center'])[1 + (i %% 5)],
    o.office, o.office, o.region, 'pros.' || (i %% 400), (i %% 50) = 0,
    %(start)s::date + (i %% 700), %(start)s::date + (i %% 700) + 21, NULL, NULL, now()
FROM generate_series(1, %(rows)s) AS i
JOIN (SELECT row_number() OVER () - 1 AS n, office, region
      FROM unnest(%(offices)s::text[], %(regions)s::text[]) AS t(office, region)) o
  ON o.n = i %% %(office_count)s
"""


QUERY_MS = 20.0


def run_register_bench(rows: int, repeats: int, console: Console) -> tuple[Table, Table]:
    """Each register and oversight query's times, and issue 12's target for them: the
    slowest of the runs under 20 ms."""
    base = Settings()
    offices = OfficeDirectory.default()
    codes = [o.code for o in offices]
    regions = [offices.region_of(c) for c in codes]
    with ExitStack() as stack:
        _, url = scratch_database(base, stack, "bench_register")
        started = time.perf_counter()
        with (
            console.status(f"filling the register with {rows:,} rows"),
            psycopg.connect(url, autocommit=True) as conn,
        ):
            conn.execute(
                FILL,
                {
                    "rows": rows,
                    "start": date(2024, 1, 1),
                    "offices": codes,
                    "regions": regions,
                    "office_count": len(codes),
                },
            )
            # As autovacuum leaves a table in steady use: statistics and a visibility map.
            conn.execute("VACUUM ANALYZE appeal_register")
        fill_seconds = time.perf_counter() - started
        pool = open_pool(url, size=2)
        stack.callback(pool.close)
        queries = RegisterQueries(pool)
        today = date(2025, 6, 1)
        almaty = [o.code for o in offices.subtree("REG-ALA")]
        cases: dict[str, RegisterFilter] = {
            "everything, newest first": RegisterFilter(),
            "region + status": RegisterFilter(region="REG-ALA", status="in_progress"),
            "office + status": RegisterFilter(office="DIS-ALA-MEDEU", status="decided"),
            "assignee": RegisterFilter(assignee="pros.17"),
            "channel + received period": RegisterFilter(
                channel="written",
                received_from=today - timedelta(days=30),
                received_to=today,
            ),
            "overdue today": RegisterFilter(overdue_on=today),
            "a supervisor's scope (REG-ALA and below)": RegisterFilter(within=almaty),
        }
        table = Table(
            title=f"register (page of 50, with total) and oversight queries at {rows:,} appeals"
        )
        table.add_column("query")
        table.add_column("matches", justify="right")
        table.add_column("median ms", justify="right")
        table.add_column("max ms", justify="right")
        slowest: list[tuple[str, float]] = []
        for label, f in cases.items():
            timings = []
            matches = ""
            for _ in range(repeats):
                t0 = time.perf_counter()
                total, _rows = queries.search(f, limit=50)
                timings.append((time.perf_counter() - t0) * 1000)
                matches = f"{total.count:,}" if total.exact else f"~{total.count:,} (estimate)"
            table.add_row(
                label, matches, f"{statistics.median(timings):.1f}", f"{max(timings):.1f}"
            )
            slowest.append((label, max(timings)))
        with console.status("filling the oversight facts for the same appeals"):
            facts = fill_facts(url)
        for label, run in oversight_cases(pool, today).items():
            median, worst = time_case(run, repeats)
            table.add_row(label, f"{facts:,} facts", f"{median:.1f}", f"{worst:.1f}")
            slowest.append((label, worst))
        table.caption = f"filled in {fill_seconds:.1f} s; {repeats} runs per query"
    targets = [
        Target(f"{label} < {QUERY_MS:.0f} ms", f"{worst:,.1f} ms", worst < QUERY_MS)
        for label, worst in slowest
    ]
    return table, targets_table(
        f"issue 12 targets: queries at {rows:,} appeals (slowest of {repeats} runs)", targets
    )
