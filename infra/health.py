"""What `/health` and `/metrics` report: database, relay, feeders, and in distributed
mode Kafka and consumer lag per group and partition. Computed when asked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from psycopg_pool import ConnectionPool

from infra.kafka_admin import EndOffsets
from infra.settings import Settings


@dataclass
class Figures:
    event_store_head: int
    feeder_positions: dict[str, int]
    relay_positions: dict[str, int]
    stored_offsets: dict[str, dict[int, int]] = field(default_factory=dict)
    """Per consumer group, the next offset stored with the read model, per partition."""


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
        self.end_offsets = (
            EndOffsets(settings.kafka_bootstrap_servers)
            if settings.kafka_bootstrap_servers
            else None
        )

    def close(self) -> None:
        if self.end_offsets is not None:
            self.end_offsets.close()

    def figures(self) -> Figures:
        with self.pool.connection(timeout=5) as conn:
            positions: dict[str, int] = {
                str(k): int(v)
                for k, v in conn.execute(
                    "SELECT consumer, position FROM projection_positions"
                ).fetchall()
            }
            relays: dict[str, int] = {}
            exists = conn.execute("SELECT to_regclass('relay_positions') IS NOT NULL").fetchone()
            if exists and exists[0]:
                relays = {
                    str(k): int(v)
                    for k, v in conn.execute("SELECT relay, position FROM relay_positions")
                }
            offsets: dict[str, dict[int, int]] = {}
            for group, partition, next_offset in conn.execute(
                "SELECT consumer, partition, next_offset FROM consumer_offsets WHERE topic = %s",
                (self.settings.topic,),
            ):
                offsets.setdefault(str(group), {})[int(partition)] = int(next_offset)
        return Figures(self.event_store_head(), positions, relays, offsets)

    def consumer_lag(self, figures: Figures) -> dict[str, dict[int, int]]:
        """End offset minus stored offset, per group (the configured one at least) and
        partition. Needs the broker."""
        assert self.end_offsets is not None
        ends = self.end_offsets(self.settings.topic)
        groups = {self.settings.consumer_group, *figures.stored_offsets}
        return {
            group: {
                p: max(end - figures.stored_offsets.get(group, {}).get(p, 0), 0)
                for p, end in sorted(ends.items())
            }
            for group in sorted(groups)
        }

    def check(self) -> tuple[bool, dict[str, Any]]:
        report: dict[str, Any] = {
            "mode": "distributed" if self.settings.distributed else "embedded"
        }
        ok = True
        figures: Figures | None = None
        try:
            with self.pool.connection(timeout=5) as conn:
                conn.execute("SELECT 1")
            figures = self.figures()
            head = figures.event_store_head
            report["database"] = {"ok": True}
            report["projections"] = {
                name: {
                    "position": figures.feeder_positions.get(name, 0),
                    "behind_event_store": max(head - figures.feeder_positions.get(name, 0), 0),
                }
                for name in self.feeders
            }
            report["event_store"] = {"position": head}
            if figures.relay_positions:
                report["relays"] = {
                    name: {"position": pos, "behind_event_store": max(head - pos, 0)}
                    for name, pos in figures.relay_positions.items()
                }
        except Exception as exc:
            ok = False
            report["database"] = {"ok": False, "error": str(exc)}
        if self.settings.distributed:
            try:
                lag = self.consumer_lag(figures or Figures(0, {}, {}))
                report["kafka"] = {
                    "ok": True,
                    "topic": self.settings.topic,
                    "consumer_lag": {
                        group: {
                            "total": sum(parts.values()),
                            "partitions": {str(p): n for p, n in parts.items()},
                        }
                        for group, parts in lag.items()
                    },
                }
            except Exception as exc:
                ok = False
                report["kafka"] = {"ok": False, "error": str(exc)}
        report["status"] = "ok" if ok else "unavailable"
        return ok, report
