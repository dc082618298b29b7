"""Dead letters: events a projection cannot apply, or that break the contract.

A poison record is parked here, with its error, in the same transaction as the rest
of its batch and the feeder's positions, so the batch's other records still commit.
From then on every later record of the same aggregate (appeal) is parked too, with
the error ``waiting behind <event id>``, until the first is resolved: order per
appeal holds while other appeals go on. ``retry`` re-applies a consumer's unresolved
dead letters in their original order, per aggregate, through the same apply code,
stopping at the first that still fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from psycopg import Connection
from psycopg.rows import dict_row

from infra.adapters.outages import is_outage
from projections.records import EventRecord

EVENT_STORE_TOPIC = "eventstore"
"""The ``topic`` of dead letters parked by the embedded feed; ``offset`` is then the
event-store position."""


@dataclass(frozen=True)
class DeadLetter:
    id: int
    consumer: str
    topic: str
    partition: int
    offset: int
    aggregate_id: str | None
    event_id: str | None
    type: str | None
    position: int | None
    payload: bytes
    error: str
    failed_at: datetime
    retried_at: datetime | None
    resolved: bool

    @property
    def ref(self) -> str:
        """How later records of the same appeal name the one they wait behind."""
        return self.event_id or f"{self.topic}/{self.partition}@{self.offset}"


def lock_key(consumer: str) -> str:
    """Advisory-lock key: batches hold it shared, a retry holds it exclusively."""
    return f"dlq:{consumer}"


def park(
    conn: Connection,
    *,
    consumer: str,
    topic: str,
    partition: int,
    offset: int,
    aggregate_id: str | None,
    event_id: str | None,
    type: str | None,
    position: int | None,
    payload: bytes,
    error: str,
) -> None:
    conn.execute(
        """
        INSERT INTO dead_letters (consumer, topic, partition, "offset", aggregate_id,
                                  event_id, type, position, payload, error)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
        ON CONFLICT (consumer, topic, partition, "offset") DO NOTHING
        """,
        (
            consumer,
            topic,
            partition,
            offset,
            aggregate_id,
            event_id,
            type,
            position,
            payload,
            error,
        ),
    )


def blocking(conn: Connection, consumer: str, aggregate_ids: Iterable[str]) -> dict[str, str]:
    """For each of ``aggregate_ids`` with an unresolved dead letter, the first one's ref."""
    ids = sorted(set(aggregate_ids))
    if not ids:
        return {}
    rows = conn.execute(
        """
        SELECT DISTINCT ON (aggregate_id) aggregate_id,
               coalesce(event_id, topic || '/' || partition || '@' || "offset")
        FROM dead_letters
        WHERE consumer = %s AND NOT resolved AND aggregate_id = ANY(%s)
        ORDER BY aggregate_id, partition, "offset"
        """,
        (consumer, ids),
    ).fetchall()
    return {str(a): str(ref) for a, ref in rows}


def list_dead_letters(
    conn: Connection, consumer: str | None = None, *, include_resolved: bool = False
) -> list[DeadLetter]:
    clauses, params = [], []
    if consumer is not None:
        clauses.append("consumer = %s")
        params.append(consumer)
    if not include_resolved:
        clauses.append("NOT resolved")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    with conn.cursor(row_factory=dict_row) as cur:
        cur.execute(
            f'SELECT * FROM dead_letters {where} ORDER BY consumer, partition, "offset"',
            params,
        )
        return [DeadLetter(**row) for row in cur.fetchall()]


def resolve(conn: Connection, ids: Sequence[int]) -> int:
    """Mark dead letters resolved without applying them (discard)."""
    cur = conn.execute(
        "UPDATE dead_letters SET resolved = true WHERE id = ANY(%s) AND NOT resolved",
        (list(ids),),
    )
    return cur.rowcount


Decoder = Callable[[DeadLetter], EventRecord]


@dataclass
class RetryReport:
    applied: list[int]
    failed: list[tuple[int, str]]
    waiting: int


def retry(
    conn: Connection,
    consumer: str,
    decode: Decoder,
    apply_one: Callable[[EventRecord], None],
) -> RetryReport:
    """Re-apply ``consumer``'s unresolved dead letters inside the caller's transaction.

    Per aggregate in original (partition, offset) order; the first that still fails
    stops its aggregate (its error is updated, the rest keep waiting).
    """
    report = RetryReport(applied=[], failed=[], waiting=0)
    letters = list_dead_letters(conn, consumer)
    groups: dict[str, list[DeadLetter]] = {}
    for letter in letters:
        groups.setdefault(letter.aggregate_id or f"#{letter.id}", []).append(letter)
    for group in groups.values():
        for index, letter in enumerate(group):
            try:
                record = decode(letter)
                apply_one(record)
            except Exception as exc:
                if is_outage(exc):
                    raise
                error = describe(exc)
                conn.execute(
                    "UPDATE dead_letters SET error = %s, retried_at = now() WHERE id = %s",
                    (error, letter.id),
                )
                report.failed.append((letter.id, error))
                report.waiting += len(group) - index - 1
                break
            conn.execute(
                "UPDATE dead_letters SET resolved = true, retried_at = now() WHERE id = %s",
                (letter.id,),
            )
            report.applied.append(letter.id)
    return report


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
