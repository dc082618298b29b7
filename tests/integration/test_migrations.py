"""The project's tables come from migrations alone: an empty database migrated serves
every read model and store the code uses; downgrading and upgrading again gives the
same schema; a process refuses a database that is behind; two migrations at once take
turns; a database made before migrations is adopted."""

from __future__ import annotations

import threading
from typing import Any

import psycopg
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from infra.adapters import schema
from infra.bootstrap import build
from infra.cli.main import app as cli
from infra.observability.logging import configure_logging
from tests.pipeline import issue
from tests.support import as_user, every_kind_of_event, settings_for, wait_until

pytestmark = [pytest.mark.postgres]

OWNED = {
    "appeal_history",
    "appeal_register",
    "oversight_facts",
    "instruction_status",
    "read_model_versions",
    "consumer_offsets",
    "projection_positions",
    "dead_letters",
    "relay_positions",
    "worker_heartbeats",
    "applicant_keys",
    "applicants",
    "rate_limits",
    "erasures",
    "personal_data_views",
}


def catalogue(url: str) -> dict[str, Any]:
    """The shape of the public schema as PostgreSQL reports it (not the library's
    event-store table, nor the migrations' own bookkeeping)."""
    skip = ("appeals_events", schema.VERSION_TABLE)
    with psycopg.connect(url) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name, data_type, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = 'public' "
            "AND table_name <> ALL(%s) ORDER BY 1, 2",
            (list(skip),),
        ).fetchall()
        indexes = conn.execute(
            "SELECT tablename, indexname, indexdef FROM pg_indexes "
            "WHERE schemaname = 'public' AND tablename <> ALL(%s) ORDER BY 1, 2",
            (list(skip),),
        ).fetchall()
        constraints = conn.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE connamespace = 'public'::regnamespace "
            "AND conrelid::regclass::text <> ALL(%s) ORDER BY 1, 2",
            (list(skip),),
        ).fetchall()
        triggers = conn.execute(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal "
            "ORDER BY 1, 2"
        ).fetchall()
    return {
        "columns": columns,
        "indexes": indexes,
        "constraints": constraints,
        "triggers": triggers,
    }


def tables(url: str) -> set[str]:
    with psycopg.connect(url) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    return {str(r[0]) for r in rows}


def test_an_empty_database_migrated_serves_every_read_model_and_store(
    empty_database_url: str,
) -> None:
    assert schema.current(empty_database_url) is None
    schema.upgrade(empty_database_url)
    assert schema.current(empty_database_url) == schema.head()
    assert tables(empty_database_url) >= OWNED

    container = build(settings_for(empty_database_url))
    try:
        ids = every_kind_of_event(container.service)
        instruction = issue(container, "DIS-ALA-MEDEU")
        position = container.service.recorder.max_notification_id()
        container.start_feed()
        with TestClient(create_app(container), headers=as_user()) as client:
            wait_until(
                lambda: (
                    client.get(
                        f"/appeals/{ids[0]}/history", params={"min_position": position}
                    ).status_code
                    == 200
                ),
                timeout=30,
                what="the feed to apply every event",
            )
            auditor = as_user("auditor.gpo", role="auditor", office="GPO")
            answers = {
                path: client.get(path, headers=auditor if path.endswith("/views") else None)
                for path in (
                    "/appeals?limit=50",
                    f"/appeals/{ids[0]}/history",
                    f"/appeals/{ids[0]}/applicant",  # the registry, and the access log
                    f"/appeals/{ids[0]}/views",
                    "/oversight/decisions",
                    "/oversight/redirects",
                    f"/instructions/{instruction}",
                    "/health",
                )
            }
        statuses = {path: r.status_code for path, r in answers.items()}
        assert set(statuses.values()) == {200}, statuses
        assert len(answers["/appeals?limit=50"].json()["items"]) == len(ids)
        assert answers[f"/appeals/{ids[0]}/views"].json(), "the view was logged"
        assert answers["/health"].json()["status"] == "ok"
    finally:
        container.close()


def test_downgrade_then_upgrade_gives_the_same_schema(empty_database_url: str) -> None:
    schema.upgrade(empty_database_url)
    migrated = catalogue(empty_database_url)
    assert {c[0] for c in migrated["columns"]} == OWNED

    schema.downgrade(empty_database_url, "base")
    assert schema.current(empty_database_url) is None
    assert tables(empty_database_url) & OWNED == set()

    schema.upgrade(empty_database_url)
    assert catalogue(empty_database_url) == migrated


def test_a_process_refuses_a_database_that_is_behind(empty_database_url: str) -> None:
    with pytest.raises(schema.SchemaBehind, match="appeals migrate"):
        build(settings_for(empty_database_url))


def test_migrations_started_together_take_turns(empty_database_url: str) -> None:
    errors: list[BaseException] = []

    def run() -> None:
        try:
            schema.upgrade(empty_database_url)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert schema.current(empty_database_url) == schema.head()


def test_a_database_made_before_migrations_is_adopted(empty_database_url: str) -> None:
    schema.upgrade(empty_database_url, schema.FIRST_REVISION)  # the tables constructors made
    with psycopg.connect(empty_database_url) as conn:
        conn.execute(f"DROP TABLE {schema.VERSION_TABLE}")  # as the constructors left it
    assert schema.current(empty_database_url) is None
    assert schema.upgrade(empty_database_url) == schema.FIRST_REVISION
    assert schema.current(empty_database_url) == schema.head()


def test_the_command_says_where_the_schema_is_and_moves_it(empty_database_url: str) -> None:
    env = {"DATABASE_URL": empty_database_url, "APPEALS_LOG_LEVEL": "WARNING"}
    runner = CliRunner()
    try:
        status = runner.invoke(cli, ["migrate", "--status"], env=env)
        assert status.exit_code == 0, status.output
        assert "never migrated" in status.output and schema.head() in status.output
        up = runner.invoke(cli, ["migrate"], env=env)
        assert up.exit_code == 0, up.output
        assert f"nothing -> {schema.head()}" in up.output
        again = runner.invoke(cli, ["migrate"], env=env)
        assert f"{schema.head()} -> {schema.head()}" in again.output
        down = runner.invoke(cli, ["migrate", "--down-to", "base"], env=env)
        assert down.exit_code == 0, down.output
        assert tables(empty_database_url) & OWNED == set()
    finally:
        configure_logging("console", "WARNING")  # the commands pointed logs at a closed stream
