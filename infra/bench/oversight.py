"""Oversight queries at the register bench's size: facts for the synthetic appeals
(each one received; decided, refused, redirected or deemed refused as its register
status says), then each question the oversight endpoints and the dashboard ask, over a
month, a quarter and a year, nationwide and for one region."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from domain.offices import OfficeDirectory
from projections.oversight_queries import OversightQueries, Scope

FACTS = [
    """
    INSERT INTO oversight_facts (event_id, appeal_id, kind, day, office, region, actor, detail)
    SELECT appeal_id || '/1', appeal_id, 'received', received_on, receiving_office, region,
        'reg', jsonb_build_object('channel', channel, 'anonymous', anonymous,
                                  'received_on', received_on, 'event_version', 1)
    FROM appeal_register
    """,
    """
    INSERT INTO oversight_facts (event_id, appeal_id, kind, day, office, region, actor, detail)
    SELECT appeal_id || '/3', appeal_id, 'decided', received_on + 9, office, region, assignee,
        jsonb_build_object(
            'outcome', CASE status WHEN 'refused' THEN 'refused' ELSE 'satisfied' END,
            'ground', CASE status WHEN 'refused' THEN 'unfounded' END,
            'late', hashtext(appeal_id::text) % 10 = 0, 'event_version', 3)
    FROM appeal_register WHERE status IN ('decided', 'refused', 'refusal_pending_explanation')
    """,
    """
    INSERT INTO oversight_facts (event_id, appeal_id, kind, day, office, region, actor, detail)
    SELECT appeal_id || '/2', appeal_id, 'redirected', received_on + 2, office, region, assignee,
        jsonb_build_object('agency', 'police', 'late', false, 'urgent', false,
                           'working_days_taken', 2, 'event_version', 2)
    FROM appeal_register WHERE status = 'redirected'
    """,
    """
    INSERT INTO oversight_facts (event_id, appeal_id, kind, day, office, region, actor, detail)
    SELECT appeal_id || '/4', appeal_id, 'deemed_refused', due_on + 1, office, region, 'system',
        jsonb_build_object('event_version', 4)
    FROM appeal_register WHERE status = 'deemed_refused'
    """,
]


def fill_facts(url: str) -> int:
    """Facts for every appeal of the register; returns how many."""
    with psycopg.connect(url, autocommit=True) as conn:
        for statement in FACTS:
            conn.execute(statement)
        conn.execute("VACUUM ANALYZE oversight_facts")
        row = conn.execute("SELECT count(*) FROM oversight_facts").fetchone()
        return int(row[0]) if row else 0


def cases(pool: ConnectionPool, today: date) -> dict[str, Callable[[], Any]]:
    """Each question, by the label the bench prints."""
    queries = OversightQueries(pool)
    offices = OfficeDirectory.default()
    almaty = [o.code for o in offices.subtree("REG-ALA")]
    month = Scope(today - timedelta(days=30), today)
    quarter = Scope(today - timedelta(days=91), today)
    year = Scope(today - timedelta(days=365), today)
    almaty_quarter = Scope(quarter.start, quarter.end, almaty)
    return {
        "oversight: activity by region, month": lambda: queries.activity(month, "region", today),
        "oversight: activity by office, quarter": lambda: queries.activity(
            quarter, "office", today
        ),
        "oversight: activity by region, year": lambda: queries.activity(year, "region", today),
        "oversight: decisions (cohort) by region, month": lambda: queries.decisions(
            month, "region", today
        ),
        "oversight: decisions (cohort) by office, one region's quarter": lambda: queries.decisions(
            almaty_quarter, "office", today
        ),
        "oversight: redirects by agency, quarter": lambda: queries.redirects_by_agency(quarter),
        "oversight: reception centres, quarter": lambda: queries.reception_statistics(quarter),
    }


def time_case(run: Callable[[], Any], repeats: int) -> tuple[float, float]:
    """(median, slowest) milliseconds of ``repeats`` runs."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)
