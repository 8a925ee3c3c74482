"""Property-based fuzzing of every endpoint from the OpenAPI schema (schemathesis).

A bounded number of generated requests per operation and per role (admin,
association, partner, researcher, each with its own API token), against the
real app on the real embedded store holding the MINI district: no 5xx, and
every response matches its documented schema.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from api.main import create_app
from collabgraph.store.falkor import FalkorStore
from tests.api.conftest import app_settings, bearer, mini_yaml


@pytest.fixture
def api_schema(api_store: FalkorStore, admin_token: str) -> Iterator[Any]:
    for district in api_store.list_districts():
        api_store.delete_district(district)
    app = create_app(app_settings(query_timeout_ms=500), store=api_store)
    with TestClient(app, headers=bearer(admin_token)) as client:
        res = client.post("/imports", files={"file": ("mini.yaml", mini_yaml())})
        assert res.status_code == 200, res.text
    yield schemathesis.openapi.from_asgi("/openapi.json", app, headers=bearer(admin_token))


#: No 5xx; every status code, content type, header and body as documented. (The
#: "positive data acceptance" check is left out on purpose: a request can match the
#: schema and still be a bad workbook or an unknown district, which we refuse.)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.mark.parametrize(
    ("role", "examples"), [("admin", 6), ("association", 3), ("partner", 3), ("researcher", 3)]
)
def test_no_server_errors_and_responses_match_schema(
    api_schema: Any, role_tokens: dict[str, str], role: str, examples: int
) -> None:
    headers = bearer(role_tokens[role])
    checked = 0
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def fuzz(case: Any) -> None:
            case.call_and_validate(checks=CHECKS, headers=headers)

        fuzz()
        checked += 1
    assert checked >= 30  # every operation of the API was exercised
