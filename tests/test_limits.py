"""Body limits: a streamed (chunked) body over the limit is a 413, JSON nested deeper than 32
levels is a 422 naming the limit, on every JSON route and in JSONL import rows."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.config import Settings
from app.limits import json_depth
from app.main import create_app
from app.models import Role
from tests.conftest import make_key
from tests.live import serving

LIMIT = 10_000
IMPORT_LIMIT = 50_000
DEPTH_MESSAGE = "the JSON nests deeper than 32 levels of arrays and objects: flatten it"


def nested(levels: int) -> str:
    """A JSON object whose `name` holds `levels` - 1 nested arrays (`levels` in all)."""
    return '{"name": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"", 0),
        (b'"[[["', 0),
        (b"{}", 1),
        (b"[[], {}]", 2),
        (b'[1, [2, [3, {"a": [4]}]]]', 5),
        (b'{"a": "\\"[[[[", "b": ["]]]"]}', 2),
        (b'{"a": [1]}\n{"b": [[2]]}\n', 3),
    ],
)
def test_json_depth_counts_arrays_and_objects_not_brackets_in_strings(
    text: bytes, depth: int
) -> None:
    assert json_depth(text) == depth


def chunks(total: int, size: int = 1000) -> Iterator[bytes]:
    """A body with no length known in advance: httpx sends it chunked."""
    for _ in range(total // size):
        yield b"x" * size


@pytest.fixture
def live(engine: Engine, database_url: str) -> Iterator[tuple[str, dict[str, str]]]:
    settings = Settings(
        database_url=database_url, max_body_bytes=LIMIT, max_import_bytes=IMPORT_LIMIT
    )
    headers = {"Authorization": f"Bearer {make_key(engine, 'limits@example.org', Role.editor)}"}
    with serving(create_app(settings)) as base_url:
        yield base_url, headers


@pytest.mark.parametrize(
    ("path", "limit", "total"),
    [
        ("/api/v1/authors", LIMIT, LIMIT + 1000),
        ("/api/v1/authors", LIMIT, 100 * LIMIT),
        ("/api/v1/predictions/import?format=csv", IMPORT_LIMIT, IMPORT_LIMIT + 1000),
    ],
)
def test_a_chunked_body_over_the_limit_is_413(
    live: tuple[str, dict[str, str]], path: str, limit: int, total: int
) -> None:
    base_url, headers = live
    with httpx.Client(base_url=base_url) as http:
        response = http.post(path, content=chunks(total), headers=headers)
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert "content-length" not in response.request.headers
    assert response.status_code == 413
    assert response.json() == {
        "detail": f"the request body is over {limit:,} bytes: send less, or split an import",
        "field": "body",
    }


def test_a_chunked_body_within_the_limit_arrives_whole(
    live: tuple[str, dict[str, str]],
) -> None:
    base_url, headers = live
    body = b'{"name": "Chunked ' + b"a" * 150 + b'"}'
    pieces = (body[i : i + 16] for i in range(0, len(body), 16))
    with httpx.Client(base_url=base_url) as http:
        response = http.post(
            "/api/v1/authors",
            content=pieces,
            headers={**headers, "Content-Type": "application/json"},
        )
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 201, response.text
    assert response.json()["name"] == "Chunked " + "a" * 150


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/authors"),
        ("POST", "/api/v1/predictions"),
        ("PATCH", "/api/v1/predictions/1"),
        ("POST", "/api/v1/predictions/1/resolution"),
        ("POST", "/api/v1/subscriptions"),
    ],
)
@pytest.mark.parametrize("levels", [33, 100_000])
def test_json_nested_too_deeply_is_422_naming_the_limit(
    client: TestClient, editor_headers: dict, method: str, path: str, levels: int
) -> None:
    response = client.request(
        method,
        path,
        content=nested(levels).encode(),
        headers={**editor_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json() == {"detail": DEPTH_MESSAGE, "field": "body"}


def test_json_without_a_content_type_is_checked_too(
    client: TestClient, editor_headers: dict
) -> None:
    response = client.post("/api/v1/authors", content=nested(40).encode(), headers=editor_headers)
    assert response.status_code == 422
    assert response.json()["detail"] == DEPTH_MESSAGE


def test_json_at_the_limit_reaches_validation(client: TestClient, editor_headers: dict) -> None:
    response = client.post(
        "/api/v1/authors",
        content=nested(32).encode(),
        headers={**editor_headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["field"] == "name"


def test_brackets_inside_strings_do_not_count(client: TestClient, editor_headers: dict) -> None:
    name = "[{" * 50
    response = client.post("/api/v1/authors", json={"name": name}, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["name"] == name


@pytest.mark.parametrize("content_type", ["application/x-ndjson", "text/plain"])
@pytest.mark.parametrize("levels", [33, 100_000])
def test_a_jsonl_row_nested_too_deeply_is_422_naming_its_line(
    client: TestClient, editor_headers: dict, content_type: str, levels: int
) -> None:
    good = '{"author": "Ann Smith", "tags": ["a"]}'
    deep = '{"author": ' + "[" * (levels - 1) + "]" * (levels - 1) + "}"
    response = client.post(
        "/api/v1/predictions/import?format=jsonl",
        content=f"{good}\n{deep}\n".encode(),
        headers={**editor_headers, "Content-Type": content_type},
    )
    assert response.status_code == 422
    assert response.json()["detail"] == f"line 2: {DEPTH_MESSAGE}"
