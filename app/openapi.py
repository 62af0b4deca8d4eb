"""The OpenAPI document lists, on every operation, the errors it can answer in the shape sent."""

from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.deps import get_reader
from app.errors import ErrorBody

ERRORS = {
    401: "No valid API key (or session): send `Authorization: Bearer hs_...`.",
    403: "The key's role may not do this: viewer < editor < admin.",
    404: "No such resource, or none this caller may see.",
    409: "Conflicts with a stored record, or a quota is full.",
    413: "The request body is over the limit.",
    422: "Invalid input: `field` names the field at fault and `detail` the fix.",
    429: "Too many requests: Retry-After says when to try again.",
    503: "The service is busy: Retry-After says when to try again.",
}
WRITES_ONLY = {409}
READS = {"get", "head"}
REF = "#/components/schemas/ErrorBody"
# FastAPI's own 422 body ({"detail": [...]}) is not what the handlers send.
FASTAPI_ERRORS = ("HTTPValidationError", "ValidationError")


def document_errors(app: FastAPI) -> None:
    """Make app.openapi() list the error responses, with ErrorBody, on every operation."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = generate()
            _add_errors(schema)
            _mark_optional_keys(app, schema)
        assert app.openapi_schema is not None
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add_errors(schema: dict[str, Any]) -> None:
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorBody"] = ErrorBody.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    for name in FASTAPI_ERRORS:
        components.pop(name, None)
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, description in ERRORS.items():
                if method in READS and status in WRITES_ONLY:
                    continue
                entry = responses.setdefault(str(status), {"description": description})
                entry["content"] = {"application/json": {"schema": {"$ref": REF}}}


def _mark_optional_keys(app: FastAPI, schema: dict[str, Any]) -> None:
    # Every route reads the bearer key, but many also answer without one: say so (`{}` in
    # `security`), so clients and fuzzers know a key is optional there.
    public_reads = app.state.settings.public_reads
    for route, path in _api_routes(app):
        if _needs_key(route.dependant, public_reads):
            continue
        for method in route.methods or ():
            operation = schema["paths"].get(path, {}).get(method.lower())
            if operation is not None and operation.get("security"):
                operation["security"] = [{}, *operation["security"]]


def _api_routes(app: FastAPI) -> Iterator[tuple[APIRoute, str]]:
    """Each API route with its full path, under any FastAPI version the project allows."""
    contexts = getattr(routing, "iter_route_contexts", None)
    if contexts is None:  # before FastAPI included routers lazily, app.routes was flat
        yield from ((r, r.path_format) for r in app.routes if isinstance(r, APIRoute))
        return
    for context in contexts(app.routes):
        if isinstance(context.original_route, APIRoute):
            yield context.original_route, context.path_format


def _needs_key(dependant: Dependant, public_reads: bool) -> bool:
    calls = [d.call for d in _dependencies(dependant)]
    # require_role() makes a `check` closure per role; each refuses a caller without a key.
    by_role = any(getattr(c, "__qualname__", "").startswith("require_role.") for c in calls)
    return by_role or (get_reader in calls and not public_reads)


def _dependencies(dependant: Dependant) -> Iterator[Dependant]:
    for sub in dependant.dependencies:
        yield sub
        yield from _dependencies(sub)
