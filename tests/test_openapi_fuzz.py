"""schemathesis over /openapi.json against a live server, as no key, a viewer and an editor:
no input gives a server error, and every answer is what the document says (status code,
content type, headers, body schema). `make fuzz` runs it with HINDSIGHT_FUZZ_EXAMPLES=50."""

import os
from collections import Counter
from collections.abc import Iterator

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import demo
from app.config import Settings
from app.main import create_app
from app.models import Role
from tests.conftest import MovableClock, make_key
from tests.live import serving

# A bounded run inside `make test`; `make fuzz` asks for 50 examples per operation.
EXAMPLES_PER_OPERATION = int(os.environ.get("HINDSIGHT_FUZZ_EXAMPLES", "10"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    negative_data_rejection,
    missing_required_header,
    unsupported_method,
    ignored_auth,
]


@pytest.fixture
def live_api(engine: Engine, database_url: str, clock: MovableClock) -> Iterator[str]:
    with Session(engine) as session:
        demo.load(session=session, today=clock.now().date())
        session.commit()
    with serving(
        create_app(Settings(database_url=database_url, public_reads=True), clock=clock)
    ) as base_url:
        yield base_url


@pytest.mark.parametrize(
    "role", [None, Role.viewer, Role.editor], ids=["no-key", "viewer", "editor"]
)
def test_every_answer_conforms_and_none_is_a_server_error(
    live_api: str, engine: Engine, role: Role | None
) -> None:
    headers = {}
    if role is not None:
        headers["Authorization"] = f"Bearer {make_key(engine, f'fuzz-{role}@example.org', role)}"
    schema = schemathesis.openapi.from_url(f"{live_api}/openapi.json")
    failures: list[str] = []
    statuses: Counter[int] = Counter()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def call(case: schemathesis.Case) -> None:
            # The document names the bearer scheme, so cases may carry a made-up key: the
            # caller's own key, or none, is what this run is about.
            if case.headers:
                case.headers.pop("Authorization", None)
            response = case.call(base_url=live_api, headers=headers)
            statuses[response.status_code] += 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as group:
                failures.extend(f"{case.method} {case.path}: {f.title}" for f in group.exceptions)

        call()
    who = role or "no key"
    print(f"fuzz as {who}: {operations} operations, {statuses.total()} calls, {dict(statuses)}")
    assert sorted(set(failures)) == []
    assert statuses.total() >= operations  # every operation was called
    assert 200 in statuses
    assert 422 in statuses


def test_every_operation_documents_its_errors_with_the_body_sent(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    error_body = document["components"]["schemas"]["ErrorBody"]
    assert error_body["required"] == ["detail", "field"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    ref = {"$ref": "#/components/schemas/ErrorBody"}
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "403", "404", "413", "422", "429", "503"}
            expected |= set() if method == "get" else {"409"}
            for status in sorted(expected):
                content = operation["responses"].get(status, {}).get("content", {})
                if content.get("application/json", {}).get("schema") != ref:
                    missing.append(f"{method.upper()} {path} {status}")
    assert missing == []
