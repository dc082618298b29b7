"""Typed settings, read from the environment (and a `.env` file when present)."""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Configuration of every appeals process.

    ``DATABASE_URL`` and ``KAFKA_BOOTSTRAP_SERVERS`` keep their conventional names;
    everything else is prefixed ``APPEALS_``. Without ``DATABASE_URL`` an embedded
    PostgreSQL is started under ``data_dir``; without ``KAFKA_BOOTSTRAP_SERVERS`` the
    projections are fed in-process from the event store (embedded mode).
    """

    model_config = SettingsConfigDict(env_prefix="APPEALS_", env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None, validation_alias=AliasChoices("DATABASE_URL", "APPEALS_DATABASE_URL")
    )
    kafka_bootstrap_servers: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS", "APPEALS_KAFKA_BOOTSTRAP_SERVERS"),
    )
    data_dir: Path = Field(default=PROJECT_ROOT / ".data", description="Embedded PostgreSQL home.")
    topic: str = Field(default="appeals.events", description="Kafka topic of the event contract.")
    topic_partitions: int = Field(default=6, ge=1, le=1000)
    event_source: str = Field(
        default="urn:appeals:event-store", description="CloudEvents `source` of every event."
    )
    consumer_group: str = Field(default="appeals-projections")
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    consumer_batch_size: int = Field(default=500, ge=1, le=10_000)
    poll_interval_seconds: float = Field(default=0.2, gt=0, le=60)
    log_format: str = Field(default="auto", pattern="^(auto|json|console)$")
    log_level: str = Field(default="INFO")
    api_host: str = "127.0.0.1"
    api_port: int = Field(default=8000, ge=1, le=65535)
    db_pool_size: int = Field(default=5, ge=1, le=100)
    read_your_writes_timeout_seconds: float = Field(
        default=5.0,
        ge=0,
        le=60,
        description="How long a query with `min_position` waits for the read model.",
    )

    @property
    def distributed(self) -> bool:
        return bool(self.kafka_bootstrap_servers)
