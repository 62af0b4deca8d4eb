"""The OpenAPI document lists, on every operation, the errors it can answer in the shape sent;
/docs and /redoc render it with no CDN."""

from collections.abc import Iterator
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, routing
from fastapi.dependencies.models import Dependant
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

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


# Swagger UI and ReDoc come from the fastapi-offline package's copies of their bundles
# (MIT, like both projects), so /docs and /redoc work with no internet and no CDN.
DOCS_ASSETS = "/docs/assets"


def install_docs(app: FastAPI) -> None:
    """Serve /docs (Swagger UI) and /redoc (ReDoc) from files shipped in a package."""
    assets = files("fastapi_offline") / "static"
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(assets)), name="docs-assets")
    openapi_url = app.openapi_url or "/openapi.json"
    title = f"{app.title} API"

    @app.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=title,
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            oauth2_redirect_url="/docs/oauth2-redirect",
        )

    @app.get("/docs/oauth2-redirect", include_in_schema=False)
    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=title,
            redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_ASSETS}/favicon.png",
            with_google_fonts=False,
        )
