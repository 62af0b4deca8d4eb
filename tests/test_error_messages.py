"""Errors a person can act on (issue 13, deliverable 5): every field of every write schema in
the OpenAPI document, sent a value of the wrong type and one out of range, is refused with a
message that names the field by its API path and holds none of pydantic's internal words."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app

INTERNAL = (
    "constrained",
    "literal_error",
    "function-after",
    "function-before",
    "function-wrap",
    "function-plain",
    "union",
    "model_type",
    "int_parsing",
    "float_parsing",
    "string_type",
    "lax-or-strict",
    "json-or-python",
    "by-object",
    "by-text",
    "by-id",
    "errors.pydantic.dev",
    "Input should",
    "Value error",
)
WRITES = ("post", "put", "patch")
MAX_DEPTH = 3


def openapi() -> dict[str, Any]:
    document: dict[str, Any] = create_app(Settings(database_url="sqlite://")).openapi()
    return document


def resolve(document: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def branches(document: dict[str, Any], schema: dict[str, Any]) -> list[dict[str, Any]]:
    """A field's schema and every alternative it allows, resolved."""
    schema = resolve(document, schema)
    found = [schema]
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            found += branches(document, part)
    return found


def fields(
    document: dict[str, Any], schema: dict[str, Any], prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """Every (path, branches) under an object schema, nested objects included."""
    for name, field in resolve(document, schema).get("properties", {}).items():
        path = (*prefix, name)
        alternatives = branches(document, field)
        yield path, alternatives
        if len(path) < MAX_DEPTH:
            for branch in alternatives:
                if "properties" in branch:
                    yield from fields(document, branch, path)


def kinds(alternatives: list[dict[str, Any]]) -> set[str]:
    return {b["type"] for b in alternatives if isinstance(b.get("type"), str)} | {
        "object" for b in alternatives if "properties" in b
    }


def wrong_type(alternatives: list[dict[str, Any]]) -> Any:
    """A value no alternative of the field accepts."""
    return {"not": "a list"} if "array" in kinds(alternatives) else [["not", "this"]]


def out_of_range(alternatives: list[dict[str, Any]]) -> list[Any]:
    """Values just past each bound the field's schema states."""
    values: list[Any] = []
    for b in alternatives:
        if "maxLength" in b:
            values.append("x" * (b["maxLength"] + 1))
        if b.get("minLength", 0) >= 1:
            values.append("")
        if "maximum" in b:
            values.append(b["maximum"] + 1)
        if "minimum" in b:
            values.append(b["minimum"] - 1)
        if "maxItems" in b:
            values.append(["a"] * (b["maxItems"] + 1))
    return values


def nest(path: tuple[str, ...], value: Any) -> dict[str, Any]:
    body: Any = value
    for name in reversed(path):
        body = {name: body}
    assert isinstance(body, dict)
    return body


def cases() -> Iterator[Any]:
    document = openapi()
    for route, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            if method not in WRITES or "application/json" not in content:
                continue
            url = re.sub(r"\{[^}]+\}", "1", route)
            for path, alternatives in fields(document, content["application/json"]["schema"]):
                name = ".".join(path)
                yield pytest.param(method, url, path, wrong_type(alternatives), id=f"{url}:{name}")
                for n, value in enumerate(out_of_range(alternatives)):
                    yield pytest.param(method, url, path, value, id=f"{url}:{name}:range{n}")


CASES = list(cases())


def messages(body: dict[str, Any]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = body.get("errors") or [
        {"field": body["field"], "message": body["detail"]}
    ]
    return errors


def test_the_walk_reaches_nested_fields_and_bounds() -> None:
    names = {c.id for c in CASES}
    assert "/api/v1/predictions:source.outlet" in names
    assert "/api/v1/predictions:author.name" in names
    assert any(n.startswith("/api/v1/predictions:quote:range") for n in names)
    assert len(CASES) > 150


@pytest.mark.parametrize(("method", "url", "path", "value"), CASES)
def test_a_bad_value_is_refused_naming_its_field_without_internal_words(
    client: TestClient, admin_headers: dict, method: str, url: str, path: tuple, value: Any
) -> None:
    response = client.request(method, url, json=nest(path, value), headers=admin_headers)
    assert response.status_code == 422, response.text
    name = ".".join(path)
    named = [e for e in messages(response.json()) if (e["field"] or "").startswith(name)]
    assert named, f"no error names {name}: {response.text}"
    for word in INTERNAL:
        assert word not in response.text, f"{word!r} in {response.text}"


def test_a_field_of_several_forms_lists_them_with_an_example(
    client: TestClient, editor_headers: dict
) -> None:
    response = client.post("/api/v1/predictions", json={"author": 12}, headers=editor_headers)
    assert response.status_code == 422
    assert messages(response.json())[0] == {
        "field": "author",
        "message": "give a slug ('andrew-latham'), a name ('Andrew Latham') or an object "
        '{"name": "Andrew Latham"} to create one',
    }


def test_malformed_json_names_the_line_and_column(client: TestClient, editor_headers: dict) -> None:
    body = b'{\n  "author": "andrew-latham",\n  "quote": "x",,\n}'
    headers = {**editor_headers, "Content-Type": "application/json"}
    response = client.post("/api/v1/predictions", content=body, headers=headers)
    assert response.status_code == 422
    assert "at line 3, column 16" in response.json()["detail"]


def test_a_form_sent_to_a_json_route_is_told_to_send_json(
    client: TestClient, editor_headers: dict
) -> None:
    form = {"author": "andrew-latham", "quote": "x"}
    response = client.post("/api/v1/predictions", data=form, headers=editor_headers)
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "this route takes JSON, not a form: send a JSON object with Content-Type: application/json"
    )
