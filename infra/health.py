"""What `/health` reports: database, and in distributed mode Kafka and consumer lag."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg_pool import ConnectionPool

from infra.kafka_admin import end_offsets
from infra.settings import Settings


class HealthCheck:
    def __init__(
        self,
        settings: Settings,
        pool: ConnectionPool,
        feeders: list[str],
        event_store_head: Callable[[], int],
    ) -> None:
        self.settings = settings
        self.pool = pool
        self.feeders = feeders
        self.event_store_head = event_store_head

    def check(self) -> tuple[bool, dict[str, Any]]:
        report: dict[str, Any] = {
            "mode": "distributed" if self.settings.distributed else "embedded"
        }
        ok = True
        try:
            with self.pool.connection(timeout=5) as conn:
                conn.execute("SELECT 1")
                positions: dict[str, int] = dict(
                    conn.execute("SELECT consumer, position FROM projection_positions").fetchall()
                )
                offsets = conn.execute(
                    "SELECT partition, next_offset FROM consumer_offsets "
                    "WHERE consumer = %s AND topic = %s",
                    (self.settings.consumer_group, self.settings.topic),
                ).fetchall()
            head = self.event_store_head()
            report["database"] = {"ok": True}
            report["projections"] = {
                name: {
                    "position": int(positions.get(name, 0)),
                    "behind_event_store": max(head - int(positions.get(name, 0)), 0),
                }
                for name in self.feeders
            }
            report["event_store"] = {"position": head}
        except Exception as exc:
            ok = False
            report["database"] = {"ok": False, "error": str(exc)}
            offsets = []
        if self.settings.distributed:
            try:
                assert self.settings.kafka_bootstrap_servers
                ends = end_offsets(self.settings.kafka_bootstrap_servers, self.settings.topic)
                stored = {int(p): int(o) for p, o in offsets}
                lag = {str(p): max(end - stored.get(p, 0), 0) for p, end in sorted(ends.items())}
                report["kafka"] = {
                    "ok": True,
                    "topic": self.settings.topic,
                    "consumer_lag": {
                        self.settings.consumer_group: {
                            "total": sum(lag.values()),
                            "partitions": lag,
                        }
                    },
                }
            except Exception as exc:
                ok = False
                report["kafka"] = {"ok": False, "error": str(exc)}
        report["status"] = "ok" if ok else "unavailable"
        return ok, report
