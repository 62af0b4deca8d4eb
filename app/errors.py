"""Domain errors carrying a status code, and the handlers that render every error alike."""

import math
import re
from typing import Any

import psycopg
from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException


class HindsightError(Exception):
    """An error a client can fix; rendered as {"detail": ..., "field": ...}."""

    status_code = status.HTTP_400_BAD_REQUEST

    def __init__(self, detail: str, *, field: str | None = None, **extra: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.field = field
        self.extra = extra


class NotFound(HindsightError):
    status_code = status.HTTP_404_NOT_FOUND


class Conflict(HindsightError):
    status_code = status.HTTP_409_CONFLICT


class Invalid(HindsightError):
    status_code = status.HTTP_422_UNPROCESSABLE_CONTENT


class Unauthorized(HindsightError):
    status_code = status.HTTP_401_UNAUTHORIZED


class Forbidden(HindsightError):
    status_code = status.HTTP_403_FORBIDDEN


class TooLarge(HindsightError):
    status_code = status.HTTP_413_CONTENT_TOO_LARGE


class ErrorBody(BaseModel):
    """Every error's body: what to fix, the field at fault; some errors add details."""

    model_config = ConfigDict(extra="allow")

    detail: str
    field: str | None


def error_body(detail: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    """The one error shape of the API."""
    return {"detail": detail, "field": field, **extra}


_LOCATIONS = ("body", "query", "path", "header", "cookie")
_FIELD_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def field_path(loc: tuple[Any, ...], *, last_is_a_key: bool = False) -> str | None:
    """A validation error's location as the API's dotted field name ('source.outlet').

    Pydantic puts the union branch it tried into the location ('by-object', 'str',
    'function-after[...]', 'AuthorCreate'); those are not the client's words, so they go.
    """
    parts = list(loc)
    if parts and parts[0] in _LOCATIONS:
        parts = parts[1:]
    last = len(parts) - 1
    kept = [
        str(p)
        for i, p in enumerate(parts)
        if isinstance(p, int) or _FIELD_NAME.fullmatch(str(p)) or (last_is_a_key and i == last)
    ]
    return ".".join(kept) or None


_SAYINGS = {
    "int_type": "give a whole number, e.g. 12",
    "int_parsing": "give a whole number, e.g. 12",
    "int_from_float": "give a whole number, e.g. 12",
    "float_type": "give a number, e.g. 0.7",
    "float_parsing": "give a number, e.g. 0.7",
    "bool_type": "give true or false",
    "bool_parsing": "give true or false",
    "string_type": "give text in quotes",
    "list_type": 'give a list in square brackets, e.g. ["ukraine"]',
    "dict_type": "give an object in curly braces",
    "model_type": "give an object in curly braces",
    "model_attributes_type": "give an object in curly braces",
    "url_type": 'give a URL as text, e.g. "https://www.example.com/article"',
    "url_parsing": "give a full URL, e.g. https://www.example.com/article",
    "url_scheme": "give an http or https URL, e.g. https://www.example.com/article",
    "date_type": "give a date, e.g. 2025-03-14",
    "datetime_type": "give a date and time, e.g. 2025-03-14T09:00:00Z",
}
_DATES = ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact")
_DATETIMES = ("datetime_parsing", "datetime_from_date_parsing")


def hint(error: dict[str, Any]) -> str:
    """A validation error's message, phrased as what to fix, in the API's words."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    message = str(error.get("msg", "invalid value"))
    given = error.get("input")
    if kind == "missing":
        return "this field is required"
    if kind in ("json_invalid", "json_type"):
        return "the body is not valid JSON: send a JSON object with Content-Type: application/json"
    if kind == "extra_forbidden":
        return "unknown field: remove it (see /docs for the accepted fields)"
    if kind in _SAYINGS:
        return _SAYINGS[kind]
    if kind in _DATES:
        return f"'{given}' is not a date: give 2025-03-14, March 14, 2025 or 14 Mar 2025"
    if kind in _DATETIMES:
        return f"'{given}' is not a date: give 2025-03-14T09:00:00Z or March 14, 2025"
    if kind == "string_pattern_mismatch":
        return _pattern_hint(str(ctx.get("pattern", "")))
    if kind in ("literal_error", "enum"):
        return f"give one of {ctx.get('expected', '')}".rstrip()
    message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return message[0].lower() + message[1:] if message else message


def _pattern_hint(pattern: str) -> str:
    if pattern.startswith("^[a-z0-9]+(?:-[a-z0-9]+)*$"):
        return "give a slug: lower-case letters, digits and hyphens, e.g. 'andrew-latham'"
    if "@" in pattern:
        return "give an email address (it must match the pattern), e.g. desk@example.org"
    return "this text does not match the field's pattern: see /docs for the accepted form"


async def _domain_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HindsightError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else {}
    if "retry_after" in exc.extra:
        headers["Retry-After"] = str(math.ceil(exc.extra["retry_after"]))
    body = error_body(exc.detail, exc.field, **exc.extra)
    return JSONResponse(body, status_code=exc.status_code, headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [_client_error(dict(e), exc.body) for e in exc.errors()]
    if _is_form(request) and any(e["field"] is None or "object" in e["message"] for e in errors):
        errors = [{"field": None, "message": _SEND_JSON}]
    first = errors[0] if errors else {"field": None, "message": "invalid request"}
    detail = f"{first['field']}: {first['message']}" if first["field"] else str(first["message"])
    body = error_body(detail, first["field"], errors=errors)
    return JSONResponse(body, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


_SEND_JSON = (
    "this route takes JSON, not a form: send a JSON object with Content-Type: application/json"
)


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("application/x-www-form-urlencoded", "multipart/form-data")


def _client_error(error: dict[str, Any], body: Any) -> dict[str, Any]:
    loc = tuple(error.get("loc", ()))
    if error.get("type") == "json_invalid" and isinstance(body, str | bytes):
        return {"field": None, "message": _json_hint(error, body, loc)}
    last_is_a_key = error.get("type") == "extra_forbidden"
    return {"field": field_path(loc, last_is_a_key=last_is_a_key), "message": hint(error)}


def _json_hint(error: dict[str, Any], body: str | bytes, loc: tuple[Any, ...]) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    position = loc[-1] if loc and isinstance(loc[-1], int) else 0
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    reason = str((error.get("ctx") or {}).get("error", "malformed JSON"))
    return (
        f"the body is not valid JSON: {reason[0].lower() + reason[1:]} at line {line}, "
        f"column {column}; send a JSON object with Content-Type: application/json"
    )


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    page = getattr(request.app.state, "error_page", None)
    if page is not None and wants_html(request):
        response: Response = page(request, exc.status_code, str(exc.detail))
        return response
    return JSONResponse(
        error_body(str(exc.detail)), status_code=exc.status_code, headers=exc.headers
    )


async def _data_error(_request: Request, exc: Exception) -> JSONResponse:
    # A safety net: input the database cannot store (e.g. a number out of its range) is the
    # client's to fix, not a server fault. Validation should catch such input earlier.
    detail = "a value cannot be stored by the database: check numbers and text for odd values"
    return JSONResponse(error_body(detail), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)


async def _integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    # A safety net behind the services' own checks: a constraint the database enforced
    # (often a racing request that got there first) is the client's to resolve, not a 500.
    orig = getattr(exc, "orig", exc)
    constraint, table, detail = _violation(orig)
    if getattr(orig, "sqlstate", None) in ("23502", "23514") or str(orig).startswith(
        ("CHECK", "NOT NULL")
    ):
        detail = f"a value breaks the database rule {constraint or table}: check the fields sent"
        return JSONResponse(error_body(detail), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT)
    body = error_body(f"conflicts with an existing {table} record: {detail}", constraint=constraint)
    return JSONResponse(body, status_code=status.HTTP_409_CONFLICT)


def _violation(orig: BaseException) -> tuple[str | None, str, str]:
    """The constraint, table and what clashed, from PostgreSQL's diagnostics or SQLite's text."""
    diag = getattr(orig, "diag", None)
    if diag is not None:
        found = diag.message_detail or diag.message_primary or "a constraint was violated"
        return diag.constraint_name, diag.table_name or "database", found
    message = str(orig).splitlines()[0] if str(orig) else "a constraint was violated"
    columns = message.partition(": ")[2]
    table = columns.split(".")[0] if "." in columns else "database"
    return None, table, f"{message}; reload it and try again"


BUSY_RETRY_SECONDS = 2


async def _busy(request: Request, exc: Exception) -> Response:
    # An exhausted pool, or SQLite's write lock still taken after the busy timeout: a 503 the
    # client may retry, never a request parked for long (issue 10).
    if isinstance(exc, OperationalError) and "database is locked" not in str(exc.orig):
        raise exc
    detail = "the service is busy: too many requests at once; try again in a few seconds"
    headers = {"Retry-After": str(BUSY_RETRY_SECONDS)}
    page = getattr(request.app.state, "error_page", None)
    if page is not None and wants_html(request):
        response: Response = page(request, status.HTTP_503_SERVICE_UNAVAILABLE, detail)
        response.headers.update(headers)
        return response
    body = error_body(detail)
    return JSONResponse(body, status_code=status.HTTP_503_SERVICE_UNAVAILABLE, headers=headers)


def wants_html(request: Request) -> bool:
    """A browser asking for a page, not an API client."""
    path = request.url.path
    accept = request.headers.get("accept", "")
    return not path.startswith(("/api/", "/docs", "/openapi")) and "text/html" in accept


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through the one body shape."""
    app.add_exception_handler(DataError, _data_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(psycopg.IntegrityError, _integrity_error)
    app.add_exception_handler(PoolTimeout, _busy)
    app.add_exception_handler(OperationalError, _busy)
    app.add_exception_handler(HindsightError, _domain_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
