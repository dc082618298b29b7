"""A regional office's consumer of the instructions addressed to it.

It reads only its region's topic (the relay routes each instruction there), so other
regions' instructions never reach it, and records receipt back into the system as a
command. Receipt is idempotent, so a redelivered instruction is received once; Kafka
offsets are committed after the command, so nothing is skipped after a crash.
"""

from __future__ import annotations

import threading
from uuid import UUID

import structlog
from kafka import KafkaConsumer

from domain.errors import ConflictError
from domain.instruction_service import InstructionService
from infra.contract import from_kafka_value
from infra.relay import regional_topic

log = structlog.get_logger(__name__)


class RegionalInstructionConsumer:
    def __init__(
        self,
        *,
        bootstrap_servers: str,
        base_topic: str,
        region: str,
        instructions: InstructionService,
    ) -> None:
        self.region = region
        self.instructions = instructions
        self.topic = regional_topic(base_topic, region)
        self.actor = f"system:regional-consumer:{region}"
        self.consumer = KafkaConsumer(
            self.topic,
            bootstrap_servers=bootstrap_servers,
            group_id=f"regional-{region}",
            client_id=f"regional-{region}",
            enable_auto_commit=False,
            auto_offset_reset="earliest",
        )

    def poll_once(self, timeout_ms: int = 500) -> int:
        """Receive every instruction in one poll; returns how many receipts it recorded."""
        recorded = 0
        batches = self.consumer.poll(timeout_ms=timeout_ms)
        for messages in batches.values():
            for message in messages:
                record = from_kafka_value(message.key, message.value)
                if record.type != "appeals.instruction.issued":
                    continue
                if record.data.get("addressee_region") != self.region:
                    log.warning("regional.foreign_instruction", event_id=record.event_id)
                    continue
                recorded += self.receive(record.aggregate_id, str(record.data["addressee_office"]))
        if batches:
            self.consumer.commit()
        return recorded

    def receive(self, instruction_id: UUID, office: str) -> int:
        for _ in range(3):
            try:
                outcome = self.instructions.receive(instruction_id, office=office, actor=self.actor)
            except ConflictError:
                continue  # someone recorded something at the same moment; look again
            if outcome.position is not None:
                log.info("regional.received", instruction=str(instruction_id), office=office)
                return 1
            return 0
        raise RuntimeError(f"could not record receipt of {instruction_id}")

    def run(self, stop: threading.Event) -> None:
        log.info("regional.started", topic=self.topic)
        try:
            while not stop.is_set():
                self.poll_once()
        finally:
            self.consumer.close(autocommit=False)
            log.info("regional.stopped", region=self.region)
