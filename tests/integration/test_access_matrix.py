"""Access control as a matrix on real PostgreSQL, with the routes of access_routes.py
against the world of access_world.py built once for the module: every route against every
role (allowed by ``domain.access.PERMISSIONS`` -> served; not allowed -> 403), a user of
another region (404 for everything addressed by id; lists without the other region), bad
tokens (401) and fields a client may not set (422)."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any
from uuid import uuid4

import jwt
import pytest

from domain.access import Role
from domain.offices import OfficeDirectory
from infra.adapters.clock import system_clock
from infra.adapters.settings import Settings
from infra.adapters.tokens import TokenService
from tests.integration.access_requests import (
    REVIEW,
    appeal_body,
    instruction_body,
    is_problem,
    mass_assignment_cases,
)
from tests.integration.access_routes import (
    ROUTES,
    Foreign,
    Spec,
    allowed,
    app_routes,
)
from tests.integration.access_world import (
    ACCESS_RULES,
    ALA,
    ALA_AGENCY,
    ALA_DISTRICT,
    AST,
    AST_AGENCY,
    AST_DISTRICT,
    GPO,
    PROBLEM_JSON,
    Call,
    World,
    module_database_url_fixture,  # noqa: F401
    send,
    user,
    world_fixture,  # noqa: F401
)

pytestmark = pytest.mark.postgres


# --- every route has a row -----------------------------------------------------------------


def test_every_route_of_the_app_is_in_the_matrix(world: World) -> None:
    found = app_routes(world)
    missing = sorted(found - ROUTES.keys())
    stale = sorted(ROUTES.keys() - found)
    assert not missing, f"routes the access matrix does not know how to call: {missing}"
    assert not stale, f"matrix rows for routes the app no longer has: {stale}"
    for key, spec in ROUTES.items():
        assert spec.needs, key
        assert any(allowed(role, spec) for role in Role), f"nobody may call {key}"


# --- route x role -------------------------------------------------------------------------


@pytest.mark.parametrize("key", list(ROUTES), ids=[f"{m} {p}" for m, p in ROUTES])
def test_each_role_is_served_or_forbidden(world: World, key: tuple[str, str]) -> None:
    method, path = key
    spec = ROUTES[key]
    failures: list[str] = []
    served: list[str] = []
    for role in Role:
        before = world.position()
        r = send(world, method, spec.call(world), user(role, spec.office))
        answer = f"{role.value}@{spec.office}: {r.status_code} {r.text[:300]}"
        if not allowed(role, spec):
            body = r.json() if r.headers.get("content-type") == PROBLEM_JSON else {}
            if r.status_code != 403 or body.get("rule") != "forbidden":
                failures.append(f"should be 403 forbidden: {answer}")
            if world.position() != before:
                failures.append(f"a forbidden request recorded events: {answer}")
            continue
        if r.is_success:
            served.append(role.value)
            continue
        if r.status_code >= 500 or r.status_code in (401, 403, 404):
            failures.append(f"should be served: {answer}")
        elif r.headers.get("content-type") != PROBLEM_JSON:
            failures.append(f"not a problem document: {answer}")
        else:
            body = r.json()
            if body["rule"] in ACCESS_RULES or "errors" in body:
                failures.append(f"refused on access or input, not on the domain: {answer}")
            elif spec.refusal is not None and body["rule"] != spec.refusal:
                failures.append(f"expected the domain to refuse on {spec.refusal}: {answer}")
        if world.position() != before:
            failures.append(f"a refused command recorded events: {answer}")
    if spec.refusal is None and not served:
        failures.append("no permitted role was served: the matrix's request is not valid")
    if spec.refusal is not None and served:
        failures.append(f"served {served} although the world refuses on {spec.refusal}")
    assert not failures, f"{method} {path}:\n" + "\n".join(failures)


# --- a user of another region -----------------------------------------------------------


def foreign_user(spec: Spec) -> dict[str, str]:
    """A REG-AST user whose role may call the route (a supervisor where possible), so
    that what refuses them is the office scope, not the role."""
    roles = [Role.SUPERVISOR, *Role]
    role = next(r for r in roles if allowed(r, spec))
    return user(role, AST)


BY_ID = [key for key, spec in ROUTES.items() if spec.foreign is Foreign.NOT_FOUND]
CREATING = [key for key, spec in ROUTES.items() if spec.foreign is Foreign.OUT_OF_SCOPE]


@pytest.mark.parametrize("key", BY_ID, ids=[f"{m} {p}" for m, p in BY_ID])
def test_another_regions_resource_is_not_found(world: World, key: tuple[str, str]) -> None:
    method, _ = key
    spec = ROUTES[key]
    call = (spec.foreign_call or spec.call)(world)
    before = world.position()
    r = send(world, method, call, foreign_user(spec))
    body = is_problem(r, 404)
    assert body["rule"].endswith("-not-found"), body
    if not allowed(Role.SUPERVISOR, spec):
        # The role is checked before anything is looked up: a 403 tells nothing.
        r = send(world, method, call, user(Role.SUPERVISOR, AST))
        is_problem(r, 403, "forbidden")
    assert world.position() == before


@pytest.mark.parametrize("key", CREATING, ids=[f"{m} {p}" for m, p in CREATING])
def test_creating_at_another_regions_office_is_refused(world: World, key: tuple[str, str]) -> None:
    method, _ = key
    spec = ROUTES[key]
    before = world.position()
    r = send(world, method, spec.call(world), foreign_user(spec))
    body = is_problem(r, 422)
    assert body["rule"] in {"office-out-of-scope", "issuer-not-above-addressee"}, body
    assert world.position() == before


def test_the_office_directory_is_reference_data_for_every_region(world: World) -> None:
    for key, spec in ROUTES.items():
        if spec.foreign is Foreign.PUBLIC:
            r = send(world, key[0], spec.call(world), foreign_user(spec))
            assert r.status_code == 200, (key, r.text)


def test_lists_leave_out_another_regions_items(world: World) -> None:
    client = world.client
    offices = OfficeDirectory.default()
    ast_offices = {o.code for o in offices.subtree(AST)}
    ala_offices = {o.code for o in offices.subtree(ALA)}
    foreign = user(Role.SUPERVISOR, AST)
    ala = user(Role.SUPERVISOR, ALA)

    def get(path: str, headers: dict[str, str], **params: str) -> dict[str, Any]:
        r = client.get(path, params=params, headers=headers)
        assert r.status_code == 200, r.text
        body: dict[str, Any] = r.json()
        return body

    # The register.
    mine = get("/appeals", foreign, limit="200")
    ids = {item["appeal_id"] for item in mine["items"]}
    assert world.ast_appeal in ids and not ids & world.ala_ids
    assert {item["region"] for item in mine["items"]} == {AST}
    assert mine["total"] == len(mine["items"])
    theirs = get("/appeals", ala, limit="200")
    assert world.ala_ids <= {item["appeal_id"] for item in theirs["items"]}
    assert get("/appeals", foreign, region=ALA)["items"] == []
    assert get("/appeals", foreign, office=ALA_DISTRICT)["items"] == []

    # Instructions.
    listed = get("/instructions", foreign)["instructions"]
    ids = {i["instruction_id"] for i in listed}
    assert world.ast_instruction in ids and world.instruction not in ids
    assert all(i["addressee_office"] in ast_offices for i in listed), listed
    assert world.instruction in {
        i["instruction_id"] for i in get("/instructions", ala)["instructions"]
    }
    assert get("/instructions", foreign, addressee=ALA_DISTRICT)["instructions"] == []
    assert get("/instructions", foreign, region=ALA)["instructions"] == []

    # Oversight.
    for group_by, other in (("region", {ALA}), ("office", ala_offices), ("prosecutor", None)):
        rows = get("/oversight/decisions", foreign, group_by=group_by)["rows"]
        keys = {row["key"] for row in rows}
        assert keys, f"REG-AST has decisions by {group_by}"
        assert not keys & (other or {f"prosecutor.{ALA_DISTRICT.lower()}"}), (group_by, rows)
        ala_keys = {
            row["key"] for row in get("/oversight/decisions", ala, group_by=group_by)["rows"]
        }
        assert not ala_keys & {AST, *ast_offices, f"prosecutor.{AST_DISTRICT.lower()}"}, (
            group_by,
            ala_keys,
        )
    centres = {c["centre"] for c in get("/oversight/reception-statistics", foreign)["centres"]}
    assert centres == {AST_DISTRICT}
    assert {c["centre"] for c in get("/oversight/reception-statistics", ala)["centres"]} == {
        ALA_DISTRICT
    }
    agencies = {a["agency"] for a in get("/oversight/redirects", foreign)["agencies"]}
    assert AST_AGENCY in agencies and ALA_AGENCY not in agencies
    assert ALA_AGENCY in {a["agency"] for a in get("/oversight/redirects", ala)["agencies"]}
    for path in ("/oversight/decisions", "/oversight/reception-statistics", "/oversight/redirects"):
        is_problem(
            client.get(path, params={"under": ALA}, headers=foreign), 422, "office-out-of-scope"
        )


def test_another_regions_appeal_named_in_a_body_is_unknown(world: World) -> None:
    """An appeal of REG-ALA named in a command of a REG-AST user is refused as an unknown
    one would be: the answer tells nothing about whether it exists."""
    client = world.client
    foreign = user(Role.SUPERVISOR, AST)
    before = world.position()
    for appeal_id in (world.appeal, str(uuid4())):
        body = {**instruction_body(world, AST_DISTRICT), "appeal_id": appeal_id}
        r = client.post("/instructions", json=body, headers=foreign)
        is_problem(r, 422, "unknown-appeal")
    details = []
    for appeal_id in (world.closed, str(uuid4())):
        r = client.post("/appeals", json=appeal_body(AST, repeat_of=appeal_id), headers=foreign)
        body = is_problem(r, 422, "repeat-of-unknown")
        assert body["field"] == "repeat_of", body
        details.append(body["detail"].replace(appeal_id, "<id>"))
    assert details[0] == details[1]
    assert world.position() == before


# --- tokens -------------------------------------------------------------------------------


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _claims(**overrides: Any) -> dict[str, Any]:
    now = system_clock()
    claims: dict[str, Any] = {
        "sub": "sup.1",
        "role": "supervisor",
        "office": GPO,
        "iss": Settings().jwt_issuer,
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(hours=1)).timestamp()),
    }
    claims.update(overrides)
    return claims


def _signed(claims: dict[str, Any], *, key: str | None = None, kid: str | None = None) -> str:
    s = Settings()
    return jwt.encode(
        claims,
        key or s.jwt_keys[s.jwt_active_kid],
        algorithm="HS256",
        headers={"kid": kid or s.jwt_active_kid},
    )


def bad_credentials() -> dict[str, dict[str, str]]:
    s = Settings()
    service = TokenService.from_settings(s)
    expired = service.mint(sub="sup.1", role=Role.SUPERVISOR, office=GPO, ttl=timedelta(seconds=-5))
    unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': s.jwt_active_kid})}.{_b64(_claims())}."
    bearer = {
        "forged signature": _signed(_claims(), key="not-the-key-" + "x" * 40),
        "expired": expired,
        "alg none": unsigned,
        "unknown kid": _signed(_claims(), kid="retired-2019"),
        "unknown role": _signed(_claims(role="root")),
        "unknown office": _signed(_claims(office="REG-NOWHERE")),
        "other issuer": _signed(_claims(iss="someone-else")),
        "not a token": "nonsense",
    }
    cases = {name: {"Authorization": f"Bearer {token}"} for name, token in bearer.items()}
    cases["no token"] = {}
    cases["basic"] = {"Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()}
    return cases


BAD = bad_credentials()


@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_token_is_401_and_records_nothing(world: World, case: str) -> None:
    headers = BAD[case]
    calls = [
        ("GET", Call(f"/appeals/{world.appeal}")),
        ("GET", Call("/appeals")),
        ("POST", Call("/appeals", appeal_body())),
        ("POST", Call(f"/appeals/{world.appeal}/materials", {"documents": ["doc-9"]})),
        ("POST", Call("/instructions", instruction_body(world))),
    ]
    for method, call in calls:
        before = world.position()
        r = send(world, method, call, headers)
        body = is_problem(r, 401, "not-authenticated")
        assert body["field"] == "Authorization", body
        assert r.headers["www-authenticate"] == "Bearer", r.headers
        assert world.position() == before, f"{case}: {method} {call.url} recorded events"


def test_a_good_token_is_accepted(world: World) -> None:
    """The control for the cases above: the same claims, properly signed, pass."""
    r = world.client.get(
        f"/appeals/{world.appeal}", headers={"Authorization": f"Bearer {_signed(_claims())}"}
    )
    assert r.status_code == 200, r.text


# --- mass assignment ----------------------------------------------------------------------


def test_fields_a_client_may_not_set_are_refused(world: World) -> None:
    for method, call, name, headers in mass_assignment_cases(world):
        before = world.position()
        r = send(world, method, call, headers)
        body = is_problem(r, 422, "extra_forbidden")
        assert body["field"] == name, (call.url, body)
        assert world.position() == before, f"{call.url} with {name} recorded events"


def test_acting_as_another_office_is_refused(world: World) -> None:
    """The office one acts as comes from the token; naming another one is refused, even
    an office below one's own."""
    w = world
    ala = user(Role.SUPERVISOR, ALA)
    cases = [
        (
            Call(
                f"/appeals/{w.appeal}/case-file-requests",
                {"requesting_office": GPO, "case_ref": "C"},
            ),
            "requesting_office",
            ala,
        ),
        (
            Call(f"/appeals/{w.appeal}/reviews", {**REVIEW, "reviewing_office": GPO}),
            "reviewing_office",
            ala,
        ),
        (
            Call("/instructions", {**instruction_body(w), "issuing_office": ALA}),
            "issuing_office",
            user(Role.SUPERVISOR, GPO),
        ),
        (
            Call("/instructions", {**instruction_body(w), "issuing_office": GPO}),
            "issuing_office",
            ala,
        ),
    ]
    for path, body in (
        ("receipt", {}),
        ("acknowledgement", {}),
        ("execution", {"report": "Done"}),
    ):
        for instruction in (w.instruction, w.received_instruction, w.acknowledged_instruction):
            cases.append(
                (
                    Call(f"/instructions/{instruction}/{path}", {**body, "office": ALA_DISTRICT}),
                    "office",
                    ala,
                )
            )
    for call, name, headers in cases:
        before = w.position()
        r = send(w, "POST", call, headers)
        body = is_problem(r, 422, "office-not-yours")
        assert body["field"] == name, (call.url, body)
        assert w.position() == before, f"{call.url} as {name} recorded events"
