"""An appeal outlives its applicant's data: once the person is erased, every step still
works on real PostgreSQL, and what is written about them afterwards is not kept either
(docs/security.md, "Erasure")."""

from __future__ import annotations

import pytest

from tests.integration.appeal_api_fixtures import (
    api_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
)
from tests.integration.appeal_api_helpers import STEP_BODIES, AppealApi
from tests.support import wait_until

pytestmark = pytest.mark.postgres

ERASED = "[erased]"


def erased_appeal(api: AppealApi) -> str:
    appeal_id = api.assigned()
    ref = api.state(appeal_id)["applicant_ref"]
    assert api.container.service.applicants.erase(ref, erased_by="hr.test")
    assert api.state(appeal_id)["summary"] == ERASED
    return appeal_id


def test_every_step_works_on_an_appeal_whose_applicant_was_erased(api: AppealApi) -> None:
    appeal_id = erased_appeal(api)
    for path in ("materials", "consultations"):
        api.step(appeal_id, path, STEP_BODIES[path])
    api.heard(appeal_id)
    refused = {"outcome": "refused", "reasons": "Not confirmed: Aigerim lied"}
    state = api.step(appeal_id, "decision", {**refused, "ground": "arguments_not_confirmed"})
    assert state["status"] == "refused"
    assert api.step(appeal_id, "closure")["status"] == "closed"
    reopened = api.step(appeal_id, "reopening", STEP_BODIES["reopening"])
    assert reopened["status"] == "in_progress"
    # What was written after the erasure names the person, and was not kept.
    reasons = api.client.get(
        f"/appeals/{appeal_id}/reasons", headers=api.caller(appeal_id, "reasons", None, "pros.1")
    )
    assert reasons.status_code == 200, reasons.text
    assert "Aigerim" not in reasons.text
    assert {s["reasons"] for s in reasons.json()["steps"]} == {ERASED}
    history = f"/appeals/{appeal_id}/history"
    wait_until(lambda: len(api.client.get(history).json().get("events", [])) >= 8, timeout=20)
    assert "Aigerim" not in api.client.get(history).text


def test_the_applicant_of_an_erased_appeal_is_gone_not_an_error(api: AppealApi) -> None:
    appeal_id = erased_appeal(api)
    r = api.client.get(f"/appeals/{appeal_id}/applicant")
    assert r.status_code == 410 and r.json()["rule"] == "person-erased", r.text
