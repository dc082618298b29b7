"""Helpers for tests that drive the pipeline through a built ``Container``: record an
appeal or an instruction, and see what an operator would see of the workers."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from psycopg_pool import ConnectionPool

from consumers.positions import load_position
from domain.commands import IssueInstruction
from domain.instruction import Instruction
from infra.adapters.heartbeats import Heartbeat, read_heartbeats
from infra.bootstrap import Container
from tests.support import new_appeal, staff


def issue(container: Container, addressee: str) -> UUID:
    """An instruction from the General Prosecutor's Office, due in 30 days."""
    return container.service.bus.send(
        IssueInstruction(
            issuing_office="GPO",
            addressee_office=addressee,
            subject="Check",
            body="Report back",
            due_on=container.service.today() + timedelta(days=30),
        ),
        staff("gpo.1", "GPO"),
    ).instruction_id


def receipts(container: Container, instruction_id: UUID) -> int:
    """How many times the addressee recorded receiving the instruction."""
    events = container.service.events.get(instruction_id)
    return sum(isinstance(e, Instruction.ReceivedByAddressee) for e in events)


def record_appeal(container: Container) -> int:
    """Receive a new appeal; returns the event store's position after it."""
    container.service.bus.send(new_appeal(), staff("reg.1"))
    return container.service.recorder.max_notification_id() or 0


def applied_up_to(container: Container, position: int) -> bool:
    """Whether the projection consumer has applied every event up to ``position``."""
    with container.pool.connection() as conn:
        return load_position(conn, container.settings.consumer_group) >= position


def heartbeat(pool: ConnectionPool, worker: str) -> Heartbeat | None:
    """The worker's last heartbeat, as /health shows it."""
    with pool.connection() as conn:
        return next((h for h in read_heartbeats(conn) if h.worker == worker), None)


def in_state(pool: ConnectionPool, worker: str, state: str) -> Heartbeat | None:
    found = heartbeat(pool, worker)
    return found if found is not None and found.state == state else None
