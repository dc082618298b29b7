"""Rebuilding the history read model into a new table version, from the event store and
from the topic, while the live one keeps serving and its feeder keeps feeding; after
the swap the new table equals, row for row, the live one."""

from __future__ import annotations

from uuid import UUID

import pytest
from typer.testing import CliRunner

from consumers.eventstore_feed import EventStoreFeed
from consumers.rebuild import rebuild_from_event_store
from domain.commands import AssignAppeal, Decide, IssueInstruction, ReceiveInstruction, Redirect
from infra.bootstrap import Container, all_projections, build, build_consumer, build_relay
from infra.cli.main import app as cli
from infra.observability.logging import configure_logging
from projections.history import AppealHistory
from projections.versions import live_table
from tests.support import heard_then, new_appeal, prosecutor, settings_for, staff, wait_until

pytestmark = [pytest.mark.postgres]


def file_appeals(container: Container, n: int) -> list[UUID]:
    ids = []
    for i in range(n):
        outcome = container.service.bus.send(
            new_appeal(channel="call_centre_115", office="REG-KOS", summary=f"r{i}"), staff("reg")
        )
        container.service.bus.send(
            AssignAppeal(appeal_id=outcome.appeal_id, assignee="p", office="REG-KOS"),
            staff("h", "REG-KOS"),
        )
        ids.append(outcome.appeal_id)
    return ids


def rows(container: Container, table: str) -> list[tuple[object, ...]]:
    with container.pool.connection() as conn:
        return conn.execute(f"SELECT * FROM {table} ORDER BY appeal_id, version").fetchall()


def current(container: Container) -> str:
    with container.pool.connection() as conn:
        return live_table(conn, "appeal_history")


class WritesDuringRebuild:
    """A progress sink that, mid-rebuild, checks queries still read the old table and
    lets commands and the live feeder go on."""

    def __init__(self, container: Container, feed: EventStoreFeed) -> None:
        self.container, self.feed = container, feed
        self.calls = 0
        self.checked = False

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, count: int) -> None:
        self.calls += 1
        if self.calls == 2:
            assert current(self.container) == "appeal_history"
            (appeal_id,) = file_appeals(self.container, 1)
            while self.feed.run_once():
                pass
            assert len(self.container.history.history(appeal_id)) == 2
            self.checked = True


def test_rebuild_from_event_store_swaps_in_an_equal_table(container: Container) -> None:
    feed = EventStoreFeed(app=container.service, pool=container.pool, projections=all_projections())
    file_appeals(container, 10)
    while feed.run_once():
        pass
    sink = WritesDuringRebuild(container, feed)
    result = rebuild_from_event_store(
        container.pool, container.service, AppealHistory(), batch_size=4, progress=sink
    )
    assert sink.checked and sink.total == 20
    assert (result.table, result.version, result.old_table) == (
        "appeal_history_v2",
        2,
        "appeal_history",
    )
    assert current(container) == "appeal_history_v2"
    assert result.applied == 22  # the two written mid-way came in with the tail
    assert rows(container, "appeal_history_v2") == rows(container, "appeal_history")

    # The live feeder follows the swap; queries read the new table.
    (later,) = file_appeals(container, 1)
    while feed.run_once():
        pass
    assert len(container.history.history(later)) == 2
    assert len(rows(container, "appeal_history_v2")) == 24
    assert len(rows(container, "appeal_history")) == 22  # the old version, kept

    # Through the command line, dropping the old version this time.
    live_before = rows(container, "appeal_history_v2")
    done = CliRunner().invoke(
        cli,
        ["rebuild", "history", "--drop-old"],
        env={"DATABASE_URL": container.database_url, "APPEALS_LOG_LEVEL": "WARNING"},
    )
    configure_logging("console", "WARNING")
    assert done.exit_code == 0, done.output
    assert "appeal_history_v3 (version 3) is live" in done.output
    assert current(container) == "appeal_history_v3"
    assert rows(container, "appeal_history_v3") == live_before
    with container.pool.connection() as conn:
        gone = conn.execute("SELECT to_regclass('appeal_history_v2')").fetchone()
    assert gone == (None,)


@pytest.mark.kafka
def test_rebuild_from_topic_start_equals_the_live_table(
    database_url: str, kafka_bootstrap: str
) -> None:
    container = build(settings_for(database_url, kafka_bootstrap))
    try:
        file_appeals(container, 8)
        relay = build_relay(container)
        while relay.run_once():
            pass
        consumer = build_consumer(container)
        try:

            def applied() -> bool:
                consumer.poll_once(timeout_ms=300)
                return len(rows(container, "appeal_history")) == 16

            wait_until(applied, timeout=60, interval=0, what="16 live rows")
            runner = CliRunner()
            env = {
                "DATABASE_URL": container.database_url,
                "KAFKA_BOOTSTRAP_SERVERS": kafka_bootstrap,
                "APPEALS_TOPIC": container.settings.topic,
                "APPEALS_LOG_LEVEL": "WARNING",
            }
            done = runner.invoke(cli, ["rebuild", "history", "--from", "kafka"], env=env)
            configure_logging("console", "WARNING")
            assert done.exit_code == 0, done.output
            assert "16 events applied, 0 skipped" in done.output
            assert current(container) == "appeal_history_v2"
            assert rows(container, "appeal_history_v2") == rows(container, "appeal_history")

            # The live consumer now writes to the new version.
            file_appeals(container, 1)
            while relay.run_once():
                pass

            def followed() -> bool:
                consumer.poll_once(timeout_ms=300)
                return len(rows(container, "appeal_history_v2")) == 18

            wait_until(followed, timeout=60, interval=0, what="the consumer to follow the swap")
            assert len(rows(container, "appeal_history")) == 16
        finally:
            consumer.close()
            relay.producer.close()
    finally:
        container.close()


@pytest.mark.parametrize(
    ("name", "order_by"),
    [
        ("appeal_register", "appeal_id"),
        ("oversight_facts", "event_id"),
        ("instruction_status", "instruction_id"),
    ],
)
def test_register_and_oversight_facts_rebuild_row_for_row(
    container: Container, name: str, order_by: str
) -> None:
    from datetime import timedelta

    from projections.instructions import InstructionStatus
    from projections.oversight import OversightFacts
    from projections.register import AppealRegister

    feed = EventStoreFeed(app=container.service, pool=container.pool, projections=all_projections())
    s = container.service
    ids = file_appeals(container, 4)
    heard_then(
        s,
        Decide(appeal_id=ids[0], outcome="refused", reasons="r", ground="no_violation_of_law"),
        prosecutor("p", "REG-KOS"),
    )
    s.bus.send(
        Redirect(appeal_id=ids[1], agency="Akimat", egov_reference=None, applicant_notified=True),
        staff("p", "REG-KOS"),
    )
    old = s.bus.send(new_appeal(received_on=s.today() - timedelta(days=40)), staff("r"))
    s.deem_refused_if_overdue([old.appeal_id])
    issued = container.service.bus.send(
        IssueInstruction(
            issuing_office="GPO",
            addressee_office="REG-KOS",
            subject="Check",
            body="Report",
            due_on=s.today() + timedelta(days=20),
            appeal_id=ids[2],
        ),
        staff("gpo", "GPO"),
    )
    container.service.bus.send(
        ReceiveInstruction(instruction_id=issued.instruction_id, office="REG-KOS"),
        staff("kos", "REG-KOS"),
    )
    while feed.run_once():
        pass
    offices = s.offices
    projection = {
        "appeal_register": AppealRegister(offices.region_of),
        "oversight_facts": OversightFacts(offices.region_of),
        "instruction_status": InstructionStatus(),
    }[name]
    result = rebuild_from_event_store(container.pool, s, projection, batch_size=3)
    assert result.table == f"{name}_v2"

    def table_rows(table: str) -> list[tuple[object, ...]]:
        with container.pool.connection() as conn:
            return conn.execute(f"SELECT * FROM {table} ORDER BY {order_by}").fetchall()

    live = table_rows(name)
    assert len(live) >= {"appeal_register": 5, "oversight_facts": 5, "instruction_status": 1}[name]
    assert table_rows(f"{name}_v2") == live


def index_shapes(container: Container, table: str) -> list[str]:
    """The table's index definitions, without their own and the table's names."""
    with container.pool.connection() as conn:
        found = conn.execute(
            "SELECT pg_get_indexdef(indexrelid) FROM pg_index WHERE indrelid = to_regclass(%s)",
            (table,),
        ).fetchall()
    return sorted(str(d).split(" USING ", 1)[1] for (d,) in found)


def test_a_rebuilt_table_has_every_index_of_the_live_one(container: Container) -> None:
    # The rebuild loads without the secondary indexes and builds them after.
    feed = EventStoreFeed(app=container.service, pool=container.pool, projections=all_projections())
    file_appeals(container, 3)
    while feed.run_once():
        pass
    for projection in all_projections():
        if projection.name not in ("appeal_history", "appeal_register", "oversight_facts"):
            continue
        with container.pool.connection() as conn:
            before = live_table(conn, projection.name)
        shapes = index_shapes(container, before)
        result = rebuild_from_event_store(container.pool, container.service, projection)  # type: ignore[arg-type]
        assert result.table != before
        assert index_shapes(container, result.table) == shapes
        if projection.name == "appeal_register":
            assert len(shapes) > 5  # its secondary indexes were deferred and built again
