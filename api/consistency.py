"""Read-your-writes: a query may name the position of a command it made (the
`position` of the command's response) and wait, bounded, for the read model to reach
it; if it does not in time, 503 problem+json with Retry-After. A position that no
event has yet is refused at once (422).

"Reached" means the feeder's stored position in `projection_positions` is at least
the one asked for: for the embedded feed every event up to it is applied; for a Kafka
consumer group it is the minimum over partitions of each partition's applied position
(see consumers/kafka_consumer.py). Events parked as dead letters count as consumed.
"""

from __future__ import annotations

import math
import time
from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse

from api.deps import ContainerDep
from api.problems import problem
from consumers.dead_letters import blocking
from consumers.positions import load_position
from domain.errors import ConflictError, InvalidCommand
from infra.bootstrap import Container

POLL_SECONDS = 0.05


class PositionNotRecorded(InvalidCommand):
    """No event has that position yet: no read model can reach it by waiting (422)."""

    rule = "position-not-recorded"


class ReadModelBehind(Exception):
    def __init__(self, wanted: int, reached: int, waited: float) -> None:
        super().__init__(f"read model at {reached}, {wanted} asked for")
        self.wanted, self.reached, self.waited = wanted, reached, waited


def feeder_name(container: Container) -> str:
    """The feeder whose position this process's read models follow."""
    settings = container.settings
    if container.feed is not None or not settings.distributed:
        return container.feed.name if container.feed is not None else "eventstore"
    return settings.consumer_group


def wait_for_position(
    container: ContainerDep,
    min_position: Annotated[
        int | None,
        Query(
            ge=1,
            description="Wait until the read model has applied every event up to this "
            "position (a command response's `position`); 503 if it does not in time.",
        ),
    ] = None,
) -> int | None:
    if min_position is None:
        return None
    # A position past the event store's head was never returned by a command: waiting
    # for it would only hold the request for the whole bound and end in a 503.
    head = container.service.recorder.max_notification_id() or 0
    if min_position > head:
        raise PositionNotRecorded(
            f"No event has position {min_position}; the last recorded is {head}.",
            field="min_position",
        )
    bound = container.settings.read_your_writes_timeout_seconds
    feeder = feeder_name(container)
    started = time.monotonic()
    while True:
        with container.pool.connection() as conn:
            reached = load_position(conn, feeder)
        if reached >= min_position:
            return reached
        waited = time.monotonic() - started
        if waited >= bound:
            raise ReadModelBehind(min_position, reached, waited)
        time.sleep(min(POLL_SECONDS, bound - waited))


MinPositionDep = Annotated[int | None, Depends(wait_for_position)]
"""Add to any read endpoint: `_: MinPositionDep`."""


class EventParked(ConflictError):
    """The read model passed the position, but an event of the appeal was parked as a
    dead letter on the way: what it shows of the appeal is not caught up (409)."""

    rule = "event-parked"


def check_not_parked(container: Container, aggregate_id: str) -> None:
    """Refuse to answer as caught up while an event of ``aggregate_id`` waits, parked."""
    feeder = feeder_name(container)
    with container.pool.connection() as conn:
        parked = blocking(conn, feeder, [aggregate_id]).get(aggregate_id)
    if parked is not None:
        raise EventParked(
            f"Event {parked} of {aggregate_id} is parked as a dead letter of {feeder}, and "
            "the later events of this appeal wait behind it: the read model is not caught "
            f"up. An operator lists it with `appeals dlq list --consumer {feeder}` and "
            "re-applies it with `appeals dlq retry` once the cause is fixed.",
            field="min_position",
        )


def install_consistency_handler(app: FastAPI) -> None:
    @app.exception_handler(ReadModelBehind)
    async def behind(_: Request, exc: ReadModelBehind) -> JSONResponse:
        retry_after = max(1, math.ceil(exc.waited / 2))
        return problem(
            503,
            "Read model behind",
            f"The read model has reached position {exc.reached}, not yet {exc.wanted}; "
            f"retry in {retry_after}s.",
            rule="read-model-behind",
            field="min_position",
            headers={"Retry-After": str(retry_after)},
            kind="read-model-behind",
            values={"reached": exc.reached, "wanted": exc.wanted, "retry": retry_after},
            position=exc.reached,
        )
