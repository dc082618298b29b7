"""Feeders of projections: from Kafka (distributed) or from the event store (embedded)."""
