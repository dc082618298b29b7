"""Runs the real Kafka consumer in its own process with one extra projection that
stops dead at the N-th event it is given, so that a test can SIGKILL the process in
the middle of a batch. Settings come from the environment, as in production."""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from psycopg import Connection

from consumers.kafka_consumer import ProjectionConsumer
from infra.adapters.settings import Settings
from infra.bootstrap import all_projections, build
from projections.records import EventRecord
from tests.integration.counting import CountingProjection, create_test_tables


class StallAt:
    name = "stall"

    def __init__(self, n: int, marker: Path) -> None:
        self.n = n
        self.seen = 0
        self.marker = marker

    def create_tables(self, conn: Connection) -> None:
        pass

    def apply(self, conn: Connection, record: EventRecord) -> None:
        self.seen += 1
        if self.seen == self.n:
            self.marker.write_text(record.event_id)
            time.sleep(3600)


def main() -> None:
    stall_at, marker = int(sys.argv[1]), Path(sys.argv[2])
    settings = Settings()
    container = build(settings)
    assert settings.kafka_bootstrap_servers
    stall = StallAt(stall_at, marker)
    create_test_tables(container.pool, CountingProjection(), stall)
    consumer = ProjectionConsumer(
        bootstrap_servers=settings.kafka_bootstrap_servers,
        topic=settings.topic,
        group_id=settings.consumer_group,
        pool=container.pool,
        projections=[*all_projections(), CountingProjection(), stall],
        batch_size=settings.consumer_batch_size,
    )
    consumer.run(threading.Event())


if __name__ == "__main__":
    main()
