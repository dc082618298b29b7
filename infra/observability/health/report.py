"""The `/health` report, built from readings only (no dependency is called here).

``unavailable`` (503): the database is down or its figures are too old, so the API
cannot serve. ``degraded`` (200): the API serves, but something behind it needs an
operator: Kafka away (distributed mode), a worker down or failing, dead letters
waiting. Lag is computed only from fresh figures of both sides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from infra.adapters.heartbeats import Heartbeat
from infra.observability.health.probes import Figures
from infra.observability.health.sampler import Reading

Status = Literal["ok", "degraded", "unavailable"]


@dataclass(frozen=True)
class Snapshot:
    """The readings one report or one scrape is made of."""

    mode: Literal["embedded", "distributed"]
    topic: str
    consumer_group: str
    feeders: tuple[str, ...]
    database: Reading[Figures]
    kafka: Reading[dict[int, int]] | None
    """End offsets per partition of the topic; None in embedded mode."""

    def workers(self) -> list[Heartbeat]:
        """Heartbeats aged by the figures' own age: a worker's silence goes on
        counting while the figures are not re-read."""
        figures = self.database.value
        if figures is None:
            return []
        extra = self.database.age_seconds or 0.0
        return [replace(h, age_seconds=h.age_seconds + extra) for h in figures.heartbeats]

    def consumer_lag(self) -> dict[str, dict[int, int]] | None:
        """End offset minus stored offset, per group (the configured one at least) and
        partition; None unless both sides are fresh."""
        figures, ends = self.database.value, self.kafka.value if self.kafka else None
        if figures is None or ends is None:
            return None
        return consumer_lag(figures, ends, self.consumer_group)


def consumer_lag(
    figures: Figures, ends: dict[int, int], consumer_group: str
) -> dict[str, dict[int, int]]:
    groups = {consumer_group, *figures.stored_offsets}
    return {
        group: {
            p: max(end - figures.stored_offsets.get(group, {}).get(p, 0), 0)
            for p, end in sorted(ends.items())
        }
        for group in sorted(groups)
    }


def _dependency(reading: Reading[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"ok": reading.up, "age_seconds": _seconds(reading.age_seconds)}
    if reading.error is not None:
        out["error"] = reading.error
    return out


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _worker(h: Heartbeat, figures: Figures) -> dict[str, Any]:
    beat_at = figures.beat_at.get(h.worker)
    return {
        "worker": h.worker,
        "kind": h.kind,
        "state": h.state,
        "down": h.down,
        "last_beat_at": beat_at.isoformat() if beat_at else None,
        "age_seconds": _seconds(h.age_seconds),
        "lag": h.lag,
        "error": h.error,
        "host": h.host,
        "pid": h.pid,
    }


def problems(snapshot: Snapshot) -> list[dict[str, str]]:
    """What makes the status other than ``ok``, each naming its component."""
    found: list[dict[str, str]] = []
    if not snapshot.database.up:
        found.append({"component": "database", "detail": snapshot.database.error or "down"})
        return found  # the rest is unknown without the database's figures
    if snapshot.kafka is not None and not snapshot.kafka.up:
        found.append({"component": "kafka", "detail": snapshot.kafka.error or "down"})
    for h in snapshot.workers():
        if h.state == "stopped":
            found.append({"component": f"worker:{h.worker}", "detail": "stopped"})
        elif h.down:
            found.append(
                {
                    "component": f"worker:{h.worker}",
                    "detail": f"no heartbeat for {h.age_seconds:.0f} s (down)",
                }
            )
        elif h.state == "failing":
            found.append({"component": f"worker:{h.worker}", "detail": f"failing: {h.error}"})
    figures = snapshot.database.value
    for consumer, n in sorted((figures.dead_letters if figures else {}).items()):
        found.append(
            {
                "component": f"dead_letters:{consumer}",
                "detail": f"{n} unresolved (appeals dlq list --consumer {consumer})",
            }
        )
    return found


def status_of(found: list[dict[str, str]]) -> Status:
    if any(p["component"] == "database" for p in found):
        return "unavailable"
    return "degraded" if found else "ok"


def build_report(snapshot: Snapshot) -> dict[str, Any]:
    found = problems(snapshot)
    report: dict[str, Any] = {
        "status": status_of(found),
        "mode": snapshot.mode,
        "problems": found,
        "database": _dependency(snapshot.database),
    }
    figures = snapshot.database.value
    if figures is not None:
        head = figures.event_store_head
        report["event_store"] = {"position": head}
        report["projections"] = {
            name: {
                "position": figures.feeder_positions.get(name, 0),
                "behind_event_store": max(head - figures.feeder_positions.get(name, 0), 0),
            }
            for name in snapshot.feeders
        }
        if figures.relay_positions:
            report["relays"] = {
                name: {"position": pos, "behind_event_store": max(head - pos, 0)}
                for name, pos in sorted(figures.relay_positions.items())
            }
        report["workers"] = {h.worker: _worker(h, figures) for h in snapshot.workers()}
        report["dead_letters"] = {
            "unresolved": sum(figures.dead_letters.values()),
            "by_consumer": dict(sorted(figures.dead_letters.items())),
        }
    if snapshot.kafka is not None:
        kafka = {**_dependency(snapshot.kafka), "topic": snapshot.topic}
        lag = snapshot.consumer_lag()
        kafka["consumer_lag"] = {
            group: {
                "total": sum(parts.values()),
                "partitions": {str(p): n for p, n in parts.items()},
            }
            for group, parts in (lag or {}).items()
        }
        if lag is None:
            kafka["consumer_lag_unknown"] = "needs fresh figures from both Kafka and the database"
        report["kafka"] = kafka
    return report
