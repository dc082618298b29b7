"""The API against its own OpenAPI document, with Schemathesis: generated requests to
every JSON operation, in-process over ASGI, on real PostgreSQL, as a GPO supervisor and
as a regional registrar (whose many 403s must be documented too).

No request may end in a server error, every status code must be documented, and every
response body must match the schema documented for it. Bounded so that the file runs
in well under 90 s on two cores: derandomized, few examples per operation, no shrinking.

Schemathesis's own pytest plugin (`@schema.parametrize()`) does not run under pytest 9.2
(it reaches for a node attribute pytest removed), so the operations are driven here with
its public strategy API: ``operation.as_strategy()`` and ``case.call_and_validate()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    allow_header_conformance,
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from api.app import create_app
from infra.bootstrap import build
from tests.support import as_user, every_kind_of_event, settings_for

pytestmark = pytest.mark.postgres

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
    response_headers_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    allow_header_conformance,
    ignored_auth,
]


def form_fully_documented(ctx: Any, response: Any, case: schemathesis.Case) -> None:
    """A request the document calls valid is never refused for its form: a 422 on it
    must name a domain rule (hyphenated: `outside-competence`, `term-ended`), not a rule
    of form the document could have stated (pydantic's underscored error types,
    `control-character`, `if-match-invalid`, `unknown-parameter`). Schemathesis's own
    `positive_data_acceptance` would refuse every 422, and a schema cannot hold the
    domain's rules (an appeal's step, its term, the office's competence)."""
    if response.status_code != 422:
        return
    rule = str(response.json().get("rule", ""))
    if "_" in rule or rule in FORM_RULES:
        raise AssertionError(
            f"a request valid by the document was refused for its form: {rule} "
            f"({response.json().get('field')}); the document must state that rule"
        )


FORM_RULES = {"control-character", "if-match-invalid", "unknown-parameter"}
# A negative case's Authorization header is generated (and then replaced by the caller's
# token), so the check of ignored authentication would take it for a forged one.
CHECKS_BY_MODE = {
    GenerationMode.POSITIVE: [*CHECKS, form_fully_documented],
    GenerationMode.NEGATIVE: [c for c in CHECKS if c is not ignored_auth],
}
MAX_EXAMPLES = {GenerationMode.POSITIVE: 20, GenerationMode.NEGATIVE: 8}
BOUNDED = settings(
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
# /metrics is Prometheus text, not JSON; the dashboard's /ui pages are not in the document.
NOT_JSON_APIS = ["/metrics"]


class Known:
    """Real ids and office codes, so that generated requests get past the 404s and the
    unknown offices and reach the domain rules."""

    def __init__(self, appeal_ids: list[str], offices: list[str], auth: dict[str, str]) -> None:
        self.values = {"appeal_id": appeal_ids, "code": offices, "office": offices}
        self.auth = auth

    def cases(self, operation: Any, mode: GenerationMode) -> st.SearchStrategy[Any]:
        strategy = operation.as_strategy(generation_mode=mode)
        if mode is not GenerationMode.POSITIVE:
            return strategy.map(self._signed)
        return st.tuples(strategy, st.randoms(use_true_random=False)).map(self._substitute)

    def _signed(self, case: Any) -> Any:
        """The caller's valid token on the case itself, so that the ``ignored_auth`` check
        knows it, and probes the operation without it and with a forged one."""
        case.headers = {**(case.headers or {}), **self.auth}
        return case

    def _substitute(self, drawn: tuple[Any, Any]) -> Any:
        case, rnd = drawn
        self._signed(case)
        for params in (case.path_parameters, case.body):
            if not isinstance(params, dict):
                continue
            for name, choices in self.values.items():
                if name in params and rnd.random() < 0.7:
                    params[name] = rnd.choice(choices)
        return case


@pytest.fixture(
    params=[("contract", "supervisor", "GPO"), ("contract.reg", "registrar", "REG-ALA")],
    ids=["gpo-supervisor", "regional-registrar"],
)
def api(
    database_url: str, request: pytest.FixtureRequest
) -> Iterator[tuple[schemathesis.BaseSchema, Known]]:
    container = build(settings_for(database_url))
    container.start_feed()
    # Appeals in every state, so that not every generated request ends in a 404.
    appeal_ids = [str(i) for i in every_kind_of_event(container.service)]
    offices = [o.code for o in container.service.offices]
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(container))
    auth = {"Authorization": as_user(*request.param)["Authorization"]}
    yield schema.exclude(path=NOT_JSON_APIS), Known(appeal_ids, offices, auth)
    container.close()


def test_every_operation_honours_its_documented_contract(
    api: tuple[schemathesis.BaseSchema, Known],
) -> None:
    api_schema, known = api
    failures: list[str] = []
    tested = 0
    sent = [0]
    for result in api_schema.get_all_operations():
        operation = result.ok()
        tested += 1
        for mode, examples in MAX_EXAMPLES.items():
            checks = CHECKS_BY_MODE[mode]

            @settings(BOUNDED, max_examples=examples)
            @given(case=known.cases(operation, mode))
            def conforms(case: schemathesis.Case) -> None:
                sent[0] += 1
                case.call_and_validate(checks=checks)  # noqa: B023 (called right below)

            try:
                conforms()
            except Unsatisfiable:
                # Nothing to get wrong: no parameters, or only unconstrained strings.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as exc:  # report every failing operation
                failures.append(f"{operation.label} ({mode.value}):\n{exc}")
    print(f"\n{tested} operations, {sent[0]} generated requests, {len(failures)} failing")
    assert tested >= 40, f"only {tested} operations in the document"
    assert not failures, "\n\n".join(failures)
