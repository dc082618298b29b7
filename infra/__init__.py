"""Adapters and the composition root: settings, PostgreSQL, Kafka, the relay, logging,
and the scripts that start local services."""
