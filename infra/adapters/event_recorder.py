"""The event store's recorder: the library's PostgreSQL recorder, which also writes
what a command registered (an applicant's identity and key) in the same transaction as
the command's events, pipelined with them (issue 12: one transaction per command)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor
from psycopg.rows import DictRow

from domain.applicants import EnrolmentRaced
from infra.adapters.applicants import PostgresEnrolment

TOPIC = "infra.adapters.event_recorder:AppealsRecorder"
"""For the library's APPLICATION_RECORDER_TOPIC setting."""

_PERSON_UNIQUE = "applicants_iin_digest_key"


class AppealsRecorder(PostgresApplicationRecorder):
    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        try:
            return super().insert_events(stored_events, **kwargs)
        except IntegrityError as exc:
            cause = exc.__cause__
            diag = getattr(cause, "diag", None)
            if getattr(diag, "constraint_name", None) == _PERSON_UNIQUE:
                raise EnrolmentRaced(
                    "The applicant was registered by another command at the same moment; "
                    "send the request again."
                ) from exc
            raise

    def _insert_events(
        self,
        curs: Cursor[DictRow],
        stored_events: Sequence[StoredEvent],
        *,
        enrolment: PostgresEnrolment | None = None,
        **kwargs: Any,
    ) -> None:
        super()._insert_events(curs, stored_events, **kwargs)
        if enrolment is not None:
            enrolment.write(curs)
