"""What an applicant raises when booking a reception is sealed with their key, in
PostgreSQL as everywhere, and erasing their reference makes it unreadable for good."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.integration.reception_api_helpers import (
    GPO_SCHEDULE,
    approve,
    book,
    client_fixture,  # noqa: F401
    clock_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
)
from tests.support import as_user

pytestmark = pytest.mark.postgres

MATTER = "Kuanysh Bekov's relative is held without charge at the IVS of Almaty"
HR1 = as_user("hr.1", "administrator", "GPO")
HR2 = as_user("hr.2", "administrator", "GPO")


def stored_bytes(client: TestClient) -> bytes:
    container = client.app.state.container  # type: ignore[attr-defined]
    with container.pool.connection() as conn:
        rows = conn.execute("SELECT state FROM appeals_events").fetchall()
    return b"".join(bytes(row[0]) for row in rows)


def test_the_matter_of_a_booking_is_sealed_and_erasable(client: TestClient) -> None:
    schedule_id = approve(client, "GPO", GPO_SCHEDULE)
    appointment_id = book(client, schedule_id, applicant_ref="caller-115-0042", matter=MATTER)
    url = f"/appointments/{appointment_id}"
    assert client.get(url).json()["matter"] == MATTER
    assert b"Kuanysh" not in stored_bytes(client)  # only the sealed form is stored

    asked = client.post(
        "/applicants/caller-115-0042/erasure-requests",
        json={"ground": "consent_withdrawn"},
        headers=HR1,
    )
    assert asked.status_code == 201, asked.text
    approval = f"/erasure-requests/{asked.json()['erasure_id']}/approval"
    assert client.post(approval, headers=HR2).json()["status"] == "executed"
    assert client.get(url).json()["matter"] == "[erased]"
