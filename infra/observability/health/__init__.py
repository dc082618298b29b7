"""What `/health`, `/health/ready` and `/metrics` report: database, event store, relay,
feeders, workers' heartbeats, dead letters, and in distributed mode Kafka and consumer
lag per group and partition. Measured in the background by samplers (``sampler``),
never on a request's path."""

from infra.observability.health.check import HealthCheck
from infra.observability.health.probes import Figures

__all__ = ["Figures", "HealthCheck"]
