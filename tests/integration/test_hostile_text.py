"""Hostile text refused at the edge (docs/security.md, "Hostile input"): a control
character in any body field or query parameter, or a bidirectional override anywhere, is
a 422 naming the field, and nothing is recorded, so no event can ever carry text a read
model cannot store."""

from __future__ import annotations

import re

import pytest

from domain.text import plain_text_pattern
from tests.integration.appeal_api_fixtures import (
    api_fixture,  # noqa: F401
    container_fixture,  # noqa: F401
)
from tests.integration.appeal_api_helpers import AppealApi, appeal_body, problem
from tests.support import IIN_A

pytestmark = pytest.mark.postgres

NUL, RLO, NEL, ESC = "\u0000", "\u202e", "\u0085", "\u001b"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"summary": f"Threats{NUL}from a neighbour"}, "summary"),
        ({"summary": f"Threats {ESC}[31mfrom a neighbour"}, "summary"),
        ({"applicant": {"iin": IIN_A, "name": f"Aigerim {RLO}avonlruN"}}, "applicant.name"),
        ({"applicant": {"iin": IIN_A, "name": f"Aigerim{NEL}Nurlanovna"}}, "applicant.name"),
        ({"office": f"REG-ALA{NUL}"}, "office"),
    ],
)
def test_an_appeal_with_hostile_text_is_refused_naming_the_field(
    api: AppealApi, overrides: dict[str, object], field: str
) -> None:
    found = api.refuse_appeal(appeal_body(**overrides), 422, "control-character", field)
    assert "U+" in found["detail"]


def test_line_breaks_and_tabs_in_free_text_are_kept(api: AppealApi) -> None:
    appeal_id = api.receive(summary="First line\nSecond line\twith a tab")
    assert api.state(appeal_id)["summary"] == "First line\nSecond line\twith a tab"


def test_a_step_with_a_nul_in_an_identifier_records_nothing(api: AppealApi) -> None:
    appeal_id = api.receive()
    body = {"assignee": "p a\u0000b", "office": "REG-ALA"}
    api.refuse(appeal_id, "assignment", body, 422, "control-character", "assignee")
    # A line break is not part of an identifier either: only body text may hold one.
    assert api.step(appeal_id, "assignment", {"assignee": "pros.1", "office": "REG-ALA"})


@pytest.mark.parametrize(
    "query",
    ["assignee=a%00b", "region=REG%00", "assignee=a%0Ab", "status=%E2%80%AEopen"],
)
def test_hostile_query_parameters_are_refused(api: AppealApi, query: str) -> None:
    name = query.split("=")[0]
    problem(api.client.get(f"/appeals?{query}"), 422, "control-character", name)


def test_the_api_document_states_the_rule_a_client_must_follow(api: AppealApi) -> None:
    document = api.client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    receive = document["paths"]["/appeals"]["post"]
    body = receive["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    summary = schemas[body.rsplit("/", 1)[-1]]["properties"]["summary"]
    assert summary["pattern"] == plain_text_pattern(multiline=True)
    assign = document["paths"]["/appeals/{appeal_id}/assignment"]["post"]
    if_match = next(p for p in assign["parameters"] if p["name"] == "if-match")
    # Absent or a version: never null, never 0 (the store's versions begin at 1).
    assert if_match["schema"]["type"] == "string"
    assert re.fullmatch(if_match["schema"]["pattern"], 'W/"12"')
    assert not re.fullmatch(if_match["schema"]["pattern"], '"0"')
    listing = document["paths"]["/appeals"]["get"]
    assignee = next(p for p in listing["parameters"] if p["name"] == "assignee")
    assert assignee["schema"]["pattern"] == plain_text_pattern(multiline=False)
