"""The deadline watcher: records deemed refusals of appeals left undecided past their
due date (APPC art. 91(2)) and marks instructions overdue.

Candidates come from read models; each is re-checked against its own events before
anything is recorded, and the recorded events are the same whoever records them, so
several watchers (or a watcher and a person deciding) can run at once safely.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import structlog

from domain.instruction_service import InstructionService
from domain.service import AppealsService
from infra.workers.loop import run_worker
from projections.instructions import InstructionQueries
from projections.register import RegisterQueries

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class WatchResult:
    appeals_deemed_refused: int
    instructions_marked_overdue: int
    notices_marked_overdue: int = 0


class DeadlineWatcher:
    def __init__(
        self,
        service: AppealsService,
        instructions: InstructionService,
        register: RegisterQueries,
        instruction_queries: InstructionQueries,
    ) -> None:
        self.service = service
        self.instructions = instructions
        self.register = register
        self.instruction_queries = instruction_queries

    def run_once(self) -> WatchResult:
        today = self.service.today()
        deemed = self.service.deem_refused_if_overdue(self.register.overdue_ids(today))
        candidates = self.instruction_queries.overdue_candidates(today)
        marked = self.instructions.mark_overdue(today, candidates) if candidates else 0
        notices = self.service.mark_overdue_notices(self.register.notice_candidates(today))
        if deemed or marked or notices:
            log.info(
                "deadlines.recorded",
                deemed_refused=deemed,
                instructions_overdue=marked,
                notices_overdue=notices,
            )
        return WatchResult(deemed, marked, notices)

    def step(self) -> int:
        self.run_once()
        # Always "idle": the next check is due only after the interval, whatever it found.
        return 0

    def run(self, stop: threading.Event, interval: float) -> None:
        """Check every ``interval`` seconds until ``stop`` is set; an outage is retried
        with back-off and does not end the watcher."""
        run_worker(
            self.step,
            stop,
            self.register.pool,
            name="deadlines",
            kind="deadlines",
            idle_wait=interval,
        )
