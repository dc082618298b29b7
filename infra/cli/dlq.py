"""`appeals dlq`: list, retry and discard dead letters (see consumers/dead_letters.py)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.table import Table

from consumers import dead_letters
from consumers.apply import retry_dead_letters
from consumers.eventstore_feed import CONSUMER_NAME, dead_letter_decoder
from consumers.kafka_consumer import decode_dead_letter
from consumers.regional import receiver
from domain.commands import ReceiveInstruction
from infra.bootstrap import Container, all_projections
from projections.base import Projection
from projections.records import EventRecord


def default_consumer(container: Container) -> str:
    """The feeder this process's settings describe: the Kafka group, or the embedded feed."""
    settings = container.settings
    return settings.consumer_group if settings.distributed else CONSUMER_NAME


def decoder(container: Container) -> dead_letters.Decoder:
    from_event_store = dead_letter_decoder(container.service)

    def decode(letter: dead_letters.DeadLetter) -> EventRecord:
        if letter.topic == dead_letters.EVENT_STORE_TOPIC:
            return from_event_store(letter)
        return decode_dead_letter(letter)

    return decode


def list_letters(
    container: Container, consumer: str | None, include_resolved: bool = False
) -> list[dead_letters.DeadLetter]:
    with container.pool.connection() as conn:
        return dead_letters.list_dead_letters(conn, consumer, include_resolved=include_resolved)


def counts_by_consumer(container: Container) -> dict[str, int]:
    """Unresolved dead letters per consumer, so a listing of one can point at the others
    (a regional consumer's letters are not the default consumer's)."""
    with container.pool.connection() as conn:
        rows = conn.execute(
            "SELECT consumer, count(*) FROM dead_letters WHERE NOT resolved "
            "GROUP BY consumer ORDER BY consumer"
        ).fetchall()
    return {str(consumer): int(count) for consumer, count in rows}


def table(letters: Sequence[dead_letters.DeadLetter]) -> Table:
    out = Table(title=f"{len(letters)} dead letter(s)")
    for column in ("id", "consumer", "topic/partition@offset", "event (appeal/version)", "type"):
        out.add_column(column, no_wrap=True)
    out.add_column("failed")
    out.add_column("error", overflow="fold", min_width=30)
    for d in letters:
        out.add_row(
            str(d.id) + (" ✓" if d.resolved else ""),
            d.consumer,
            f"{d.topic}/{d.partition}@{d.offset}",
            d.event_id or f"{d.aggregate_id or '?'}/?",
            d.type or "-",
            d.failed_at.strftime("%Y-%m-%d %H:%M:%S"),
            d.error,
        )
    return out


REGIONAL_PREFIX = "regional-"


def receive_again(container: Container, region: str) -> Callable[[EventRecord], None]:
    """A regional consumer's effect, for its dead letters: record the receipt."""

    def receive(record: EventRecord) -> None:
        if record.type != "appeals.instruction.issued":
            return
        if record.data.get("addressee_region") != region:
            return
        office = str(record.data["addressee_office"])
        container.service.bus.send(
            ReceiveInstruction(instruction_id=record.aggregate_id, office=office),
            receiver(region, office),
        )

    return receive


def retry(
    container: Container, consumer: str, projections: Sequence[Projection] | None = None
) -> dead_letters.RetryReport:
    """Apply ``consumer``'s dead letters again: a projection feeder's through the read
    models, a regional consumer's (``regional-<region>``) by recording the receipt."""
    if consumer.startswith(REGIONAL_PREFIX):
        region = consumer.removeprefix(REGIONAL_PREFIX)
        with container.pool.connection() as conn, conn.transaction():
            return dead_letters.retry(
                conn, consumer, decode_dead_letter, receive_again(container, region)
            )
    with container.pool.connection() as conn:
        return retry_dead_letters(
            conn,
            consumer,
            list(projections) if projections is not None else all_projections(),
            decoder(container),
        )


def resolve(container: Container, ids: Sequence[int]) -> int:
    with container.pool.connection() as conn:
        return dead_letters.resolve(conn, ids)
