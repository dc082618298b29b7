"""Typed settings, read from the environment (and a `.env` file when present)."""

from __future__ import annotations

import base64
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, AwareDatetime, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_KID = "dev"
DEV_SECRET = "development-only-signing-key-not-for-production"
DEV_PSEUDONYM_KEY = "development-only-pseudonym-key"
DEV_KEK_ID = "dev"
DEV_KEK = "hA_M-boQfLCu97sc0-NJ3UH_eVkvHJHuWaoqyZFqLF0="  # sha256("development-only-...")


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
    regional_topic_partitions: int = Field(
        default=1, ge=1, le=100, description="Partitions of each region's instruction topic."
    )
    event_source: str = Field(
        default="urn:appeals:event-store", description="CloudEvents `source` of every event."
    )
    consumer_group: str = Field(default="appeals-projections")
    relay_batch_size: int = Field(default=500, ge=1, le=10_000)
    consumer_batch_size: int = Field(default=500, ge=1, le=10_000)
    poll_interval_seconds: float = Field(default=0.05, gt=0, le=60)
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
    environment: Literal["development", "test", "production"] | None = Field(
        default=None,
        description="development, test or production. In test and production the default "
        "secrets below are refused outright; unset, they may mint tokens but no process "
        "serves the API with them: only an explicit development does (`make run` sets it).",
    )
    jwt_keys: dict[str, str] = Field(
        default={DEV_KID: DEV_SECRET},
        description='Signing keys by key id, as JSON: {"2026-11": "<32+ random bytes>"}.',
    )
    jwt_active_kid: str = Field(default=DEV_KID, description="Key id that signs new tokens.")
    jwt_issuer: str = "appeals"
    jwt_max_lifetime_hours: float = Field(
        default=24.0,
        gt=0,
        le=24 * 30,
        description="Tokens living longer than this from their issue are refused.",
    )
    pseudonym_key: str = Field(
        default=DEV_PSEUDONYM_KEY,
        description="Secret keying the applicant registry's IIN digests.",
    )
    key_encryption_keys: dict[str, str] = Field(
        default={DEV_KEK_ID: DEV_KEK},
        description="Keys that wrap each person's data key, by id, as JSON of base64url "
        'encodings of 32 random bytes: {"2026-12": "<44 characters>"}. Held outside the '
        "database; keep old ids until `appeals keys rotate` has rewrapped every key.",
    )
    active_key_encryption_key: str = Field(
        default=DEV_KEK_ID, description="Id of the key that wraps new and rotated keys."
    )
    api_workers: int = Field(
        default=1,
        ge=1,
        le=64,
        description="API worker processes (`appeals run` / `appeals api`): each its own "
        "interpreter, pool and handler threads on the same port. Above 1, the embedded "
        "feed and the deadline watcher run in the parent process, not in a worker.",
    )
    api_threads: int = Field(
        default=40,
        ge=1,
        le=400,
        description="Threads that run the API's request handlers, per process.",
    )
    trusted_proxies: list[str] = Field(
        default=[],
        description="Addresses (or networks) of the reverse proxies whose X-Forwarded-Proto "
        'and X-Forwarded-For are believed, as JSON: ["10.0.0.5", "10.1.0.0/16"]. Empty: none.',
    )
    rate_limit_per_caller: int = Field(
        default=240, ge=0, description="Requests a minute one signed-in user may make; 0: no limit."
    )
    rate_limit_per_address: int = Field(
        default=3000, ge=0, description="Requests a minute from one address; 0: no limit."
    )
    auth_failures_per_address: int = Field(
        default=10,
        ge=0,
        description="Failed authentications from one address in 15 minutes before further "
        "attempts there wait, longer each time; 0: no limit.",
    )
    max_request_bytes: int = Field(
        default=256 * 1024,
        ge=1,
        description="Request bodies over this many bytes are refused with 413.",
    )
    clock_start: AwareDatetime | date | None = Field(
        default=None,
        description="Run on a chosen day: the services' clock starts at this moment (a "
        "date starts at 09:00 Kazakhstan time) and runs on. For demos and tests; unset in "
        "production, where the real time is used.",
    )
    deadline_check_seconds: float = Field(
        default=60.0, gt=0, description="How often the embedded deadline watcher runs."
    )

    @model_validator(mode="after")
    def check_key_encryption_keys(self) -> Settings:
        if self.active_key_encryption_key not in self.key_encryption_keys:
            raise ValueError(
                f"APPEALS_ACTIVE_KEY_ENCRYPTION_KEY={self.active_key_encryption_key} is not "
                "among APPEALS_KEY_ENCRYPTION_KEYS"
            )
        for kid, value in self.key_encryption_keys.items():
            try:
                raw = base64.urlsafe_b64decode(value)
            except ValueError:
                raw = b""
            if len(raw) != 32:
                raise ValueError(
                    f"key-encryption key {kid!r} must be the base64url of 32 random bytes "
                    "(python -c 'import base64,os; print(base64.urlsafe_b64encode("
                    "os.urandom(32)).decode())')"
                )
        return self

    @model_validator(mode="after")
    def refuse_default_secrets(self) -> Settings:
        if self.environment in ("development", None):
            return self
        if self.uses_development_secrets:
            raise ValueError(
                f"APPEALS_ENVIRONMENT={self.environment} refuses the development secrets: "
                "set APPEALS_JWT_KEYS, APPEALS_JWT_ACTIVE_KID, APPEALS_PSEUDONYM_KEY and "
                "APPEALS_KEY_ENCRYPTION_KEYS."
            )
        if any(len(secret) < 32 for secret in self.jwt_keys.values()):
            raise ValueError("every APPEALS_JWT_KEYS secret needs at least 32 characters")
        return self

    @property
    def uses_development_secrets(self) -> bool:
        return (
            DEV_SECRET in self.jwt_keys.values()
            or self.pseudonym_key == DEV_PSEUDONYM_KEY
            or DEV_KEK in self.key_encryption_keys.values()
        )

    @property
    def key_encryption_key_bytes(self) -> dict[str, bytes]:
        return {kid: base64.urlsafe_b64decode(v) for kid, v in self.key_encryption_keys.items()}

    def check_servable(self) -> None:
        """Refuse to serve the API with the development secrets, published in the source,
        unless the environment is explicitly development."""
        if self.uses_development_secrets and self.environment != "development":
            raise RuntimeError(
                "The development signing and pseudonym keys are configured, and "
                "APPEALS_ENVIRONMENT is not development: anyone could sign tokens for this "
                "service. Set APPEALS_JWT_KEYS, APPEALS_JWT_ACTIVE_KID, "
                "APPEALS_KEY_ENCRYPTION_KEYS and APPEALS_PSEUDONYM_KEY (see README, "
                "Configuration), or "
                "APPEALS_ENVIRONMENT=development on a machine of your own."
            )

    @property
    def distributed(self) -> bool:
        return bool(self.kafka_bootstrap_servers)
