"""The checks every appeal step makes over HTTP (If-Match, unknown appeal, extra fields,
signed-in user), in embedded mode on real PostgreSQL, each refusal a problem detail with
nothing recorded."""

from __future__ import annotations

from uuid import uuid4

import pytest

from tests.integration.appeal_api_fixtures import (
    api_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
)
from tests.integration.appeal_api_helpers import (
    STEP_BODIES,
    AppealApi,
    problem,
)

pytestmark = pytest.mark.postgres


# --- every step: If-Match, unknown appeal, extra fields ------------------------------------

STEPS = sorted(STEP_BODIES)


def test_stale_if_match_is_a_version_conflict_on_every_step(api: AppealApi) -> None:
    appeal_id = api.assigned()  # version 2
    for path in STEPS:
        for stale in ('"1"', '"3"'):
            api.refuse(appeal_id, path, STEP_BODIES[path], 409, "version-conflict", if_match=stale)


def test_malformed_if_match_is_refused_on_every_step(api: AppealApi) -> None:
    appeal_id = api.assigned()
    for path in STEPS:
        body = STEP_BODIES[path]
        api.refuse(appeal_id, path, body, 422, "if-match-invalid", "If-Match", if_match="v2")


def test_if_match_must_be_a_version_etag(api: AppealApi) -> None:
    appeal_id = api.receive()
    body = STEP_BODIES["assignment"]
    for if_match in ["abc", '"two"', '"1", "2"', '"-1"', '"0"', "*", '""']:
        api.refuse(
            appeal_id, "assignment", body, 422, "if-match-invalid", "If-Match", if_match=if_match
        )


def test_if_match_accepts_the_etag_forms_of_the_version(api: AppealApi) -> None:
    for if_match in ['"1"', "1", 'W/"1"', ' "1" ']:
        appeal_id = api.receive()
        r = api.post(appeal_id, "assignment", STEP_BODIES["assignment"], if_match=if_match)
        assert r.status_code == 200, (if_match, r.text)
        assert r.headers["etag"] == '"2"' and api.state(appeal_id)["assignee"] == "pros.1"


def test_without_if_match_the_step_applies_to_the_current_version(api: AppealApi) -> None:
    appeal_id = api.assigned()
    r = api.post(appeal_id, "materials", {"documents": ["d"]})
    assert r.status_code == 200 and r.json()["version"] == 3


def test_every_step_on_an_unknown_appeal_is_404(api: AppealApi) -> None:
    for path in STEPS:
        r = api.post(str(uuid4()), path, STEP_BODIES[path], if_match='"1"')
        problem(r, 404, "appeal-not-found", context=path)
        r = api.post("not-a-uuid", path, STEP_BODIES[path])
        problem(r, 422, "uuid_parsing", "appeal_id", context=path)
    assert api.position() == 0


def test_every_step_refuses_extra_fields(api: AppealApi) -> None:
    appeal_id = api.assigned()
    for path in STEPS:
        if STEP_BODIES[path] is not None:
            body = {**(STEP_BODIES[path] or {}), "unexpected": 1}
            api.refuse(appeal_id, path, body, 422, "extra_forbidden", "unexpected")


def test_every_step_needs_a_signed_in_user(api: AppealApi) -> None:
    appeal_id = api.assigned()
    for path in STEPS:
        url = f"/appeals/{appeal_id}/{path}"
        r = api.client.post(url, json=STEP_BODIES[path], headers={"Authorization": ""})
        problem(r, 401, "not-authenticated", "Authorization", context=path)
        r = api.client.post(url, json=STEP_BODIES[path], headers={"Authorization": "Basic x"})
        problem(r, 401, "not-authenticated", "Authorization", context=path)
    assert api.state(appeal_id)["version"] == 2
