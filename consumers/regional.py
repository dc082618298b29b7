"""A regional office's consumer of the instructions addressed to it.

It reads only its region's topic (the relay routes each instruction there), so other
regions' instructions never reach it, and records receipt back into the system as a
command. Receipt is idempotent, so a redelivered instruction is received once; Kafka
offsets are committed after the command, so nothing is skipped after a crash.

A message that does not decode, or whose receipt fails for a reason that would recur
(the rules refuse it, the instruction is malformed), is parked in ``dead_letters``
(consumer ``regional-<region>``, with its partition, offset and reason) and the
consumer goes on; later messages of the same instruction are parked behind it, so
order per instruction holds while other instructions go on. An outage of the
database or the broker is not the message's fault: it propagates, the consumer seeks
back, and the worker loop (``infra.workers.loop``) polls the same messages again.
"""

from __future__ import annotations

import threading
from uuid import UUID

import structlog
from kafka import KafkaConsumer
from kafka.consumer.fetcher import ConsumerRecord
from psycopg_pool import ConnectionPool

from consumers.dead_letters import blocking, describe, park
from domain.access import Principal, Role
from domain.commands import ReceiveInstruction
from domain.errors import ConflictError
from domain.instruction_service import InstructionService
from infra.adapters.kafka_reach import BrokerWatch
from infra.adapters.kafka_timeouts import CLIENT_TIMEOUTS
from infra.adapters.outages import is_outage
from infra.contract.envelope import from_kafka_value
from infra.contract.topics import regional_topic
from infra.workers.loop import run_worker

log = structlog.get_logger(__name__)


def receiver(region: str, office: str) -> Principal:
    """Who records a receipt taken off the region's topic: the region's consumer, for
    the addressee office (a regional-office role, which may handle instructions only)."""
    return Principal(
        sub=f"system:regional-consumer:{region}", role=Role.REGIONAL_OFFICE, office=office
    )


class _Contended(RuntimeError):
    """Others kept recording on the instruction: worth another try, not a dead letter."""


class RegionalInstructionConsumer:
    def __init__(
        self,
        *,
        bootstrap_servers: str,
        base_topic: str,
        region: str,
        instructions: InstructionService,
        pool: ConnectionPool,
    ) -> None:
        self.region = region
        self.instructions = instructions
        self.pool = pool
        self.group_id = f"regional-{region}"
        self.topic = regional_topic(base_topic, region)
        self.consumer = KafkaConsumer(
            self.topic,
            bootstrap_servers=bootstrap_servers,
            group_id=self.group_id,
            client_id=f"regional-{region}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
            **CLIENT_TIMEOUTS,
        )
        self.broker = BrokerWatch(self.consumer, bootstrap_servers)

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Receive every instruction in one poll; returns how many receipts it recorded."""
        recorded = 0
        batches = self.consumer.poll(timeout_ms=timeout_ms)
        if not batches:
            self.broker.check()
            return 0
        self.broker.seen()
        # Per partition, the first message not yet handled (received or parked).
        pending = {tp: messages[0].offset for tp, messages in batches.items() if messages}
        try:
            for tp, messages in batches.items():
                for message in messages:
                    recorded += self.handle(message)
                    pending[tp] = message.offset + 1
        except Exception:
            # An outage, not the message's fault: read from it again on the next poll
            # (the worker loop retries), or the consumer's position would skip it.
            for tp, offset in pending.items():
                self.consumer.seek(tp, offset)
            raise
        if batches:
            self.consumer.commit()
        return recorded

    def handle(self, message: ConsumerRecord) -> int:
        """Receive one message's instruction, or park the message; 1 if recorded."""
        key = message.key.decode("utf-8", "replace") if message.key is not None else None
        if key is not None:
            with self.pool.connection() as conn:
                behind = blocking(conn, self.group_id, [key]).get(key)
            if behind is not None:
                self.park(message, key, f"waiting behind {behind}")
                return 0
        try:
            record = from_kafka_value(message.key, message.value)
        except Exception as exc:  # the contract is broken: not ours to guess at
            self.park(message, key, describe(exc))
            return 0
        if record.type != "appeals.instruction.issued":
            return 0
        if record.data.get("addressee_region") != self.region:
            log.warning("regional.foreign_instruction", event_id=record.event_id)
            return 0
        try:
            return self.receive(record.aggregate_id, str(record.data["addressee_office"]))
        except Exception as exc:
            # An outage is retried by the worker loop; anything else (refused by the
            # rules, a malformed instruction) would fail the same way every time.
            if is_outage(exc) or isinstance(exc, _Contended):
                raise
            self.park(message, key, describe(exc), event_id=record.event_id, type=record.type)
            return 0

    def park(
        self,
        message: ConsumerRecord,
        key: str | None,
        error: str,
        *,
        event_id: str | None = None,
        type: str | None = None,
    ) -> None:
        with self.pool.connection() as conn:
            park(
                conn,
                consumer=self.group_id,
                topic=message.topic,
                partition=message.partition,
                offset=message.offset,
                aggregate_id=key,
                event_id=event_id,
                type=type,
                position=None,
                payload=message.value,
                error=error,
            )
        log.warning(
            "regional.parked",
            topic=message.topic,
            partition=message.partition,
            offset=message.offset,
            error=error,
        )

    def receive(self, instruction_id: UUID, office: str) -> int:
        for _ in range(3):
            try:
                outcome = self.instructions.app.bus.send(
                    ReceiveInstruction(instruction_id=instruction_id, office=office),
                    receiver(self.region, office),
                )
            except ConflictError:
                continue  # someone recorded something at the same moment; look again
            if outcome.position is not None:
                log.info("regional.received", instruction=str(instruction_id), office=office)
                return 1
            return 0
        raise _Contended(f"could not record receipt of {instruction_id}")

    def run(self, stop: threading.Event) -> None:
        """Receive until ``stop`` is set, retrying through outages; closes the consumer."""
        try:
            # poll() itself waits for messages, so an idle turn needs no extra wait.
            run_worker(
                self.poll_once,
                stop,
                self.pool,
                name=f"regional:{self.region}",
                kind="regional",
                idle_wait=0,
            )
        finally:
            self.consumer.close(autocommit=False)
