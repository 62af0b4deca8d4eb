"""What every page shares: templates, the visitor (who is signed in), CSRF and HTML errors."""

import math
import secrets
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import ORMExecuteState
from sqlmodel import Session

from app.client import is_https
from app.clock import Clock
from app.config import Settings
from app.db import write_session
from app.errors import Forbidden, HindsightError, field_path, hint
from app.models import Role, User, WebSession
from app.web import service

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
SESSION_COOKIE = "hindsight_session"
CSRF_COOKIE = "hindsight_csrf"
FLASH_COOKIE = "hindsight_flash"
CSRF_FIELD = "csrf_token"
READS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class Visitor:
    """Who is looking at a page, and the CSRF token their forms carry."""

    user: User | None
    csrf: str
    public_reads: bool
    new_csrf: bool = False
    session_token: str | None = field(default=None, repr=False)

    def can(self, role: Role) -> bool:
        """Whether the visitor holds at least `role`."""
        return self.user is not None and Role(self.user.role).rank >= role.rank

    @property
    def can_log(self) -> bool:
        """Editors log, resolve and snooze."""
        return self.can(Role.editor)

    @property
    def can_read(self) -> bool:
        """Track records and the leaderboard: open to all when public reads are on."""
        return self.public_reads or self.can(Role.viewer)


class SignInRequired(Exception):
    """The page needs a signed-in user; the browser is sent to sign in and back."""


class CsrfRefused(Exception):
    """A form arrived without the token of the page that showed it."""


async def get_visitor(request: Request) -> Visitor:
    """The signed-in user from the session cookie, or an anonymous visitor."""
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        # The lookup waits for a pooled connection: in the threadpool, never on the event loop.
        found = await run_in_threadpool(_find_session, request.app.state.engine, token, clock.now())
        if found is not None:
            row, user = found
            return Visitor(user, row.csrf_token, settings.public_reads, session_token=token)
    anonymous = request.cookies.get(CSRF_COOKIE, "")
    if len(anonymous) == 43:
        return Visitor(None, anonymous, settings.public_reads)
    return Visitor(None, secrets.token_urlsafe(32), settings.public_reads, new_csrf=True)


def _find_session(engine: Engine, token: str, now: datetime) -> tuple[WebSession, User] | None:
    with Session(engine) as session:
        return service.find_session(session=session, token=token, now=now)


VisitorDep = Annotated[Visitor, Depends(get_visitor)]


def require(visitor: Visitor, role: Role) -> User:
    """The signed-in user when they hold `role`; else sign in, or a 403 page."""
    if visitor.user is None:
        raise SignInRequired
    if not visitor.can(role):
        raise Forbidden(
            f"this page needs the {role.value} role; you are signed in as "
            f"{visitor.user.email} ({visitor.user.role}). Ask an admin for access.",
        )
    return visitor.user


def require_reader(visitor: Visitor) -> None:
    """Public pages: anyone when public reads are on, else a signed-in viewer."""
    if not visitor.public_reads:
        require(visitor, Role.viewer)


async def checked_form(request: Request, visitor: VisitorDep) -> dict[str, str]:
    """The posted form's fields, once its CSRF token matches the visitor's."""
    form = await request.form()
    sent = form.get(CSRF_FIELD)
    if not isinstance(sent, str) or not secrets.compare_digest(sent, visitor.csrf):
        raise CsrfRefused
    return {key: value.strip() for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(checked_form)]


def field_errors(exc: ValidationError) -> dict[str, str]:
    """A pydantic error as one message per form field (the first wins)."""
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = field_path(tuple(error.get("loc", ()))) or "form"
        empty = error["type"] == "string_too_short" and error.get("ctx", {}).get("min_length") == 1
        message = "this field is required" if empty else hint(dict(error))
        errors.setdefault(name.split(".")[0], message)
    return errors


def domain_errors(exc: HindsightError) -> dict[str, str]:
    """A service's error as a message for its field."""
    name = (exc.field or "form").split(".")[0]
    return {name: _unprefixed(exc.detail, exc.field)}


def _unprefixed(detail: str, field: str | None) -> str:
    """The API's message names its field ("resolve_by: ..."); beside a labelled input the
    name is noise in the program's words, so the page drops it."""
    for name in {n for n in (field, (field or "").split(".")[0]) if n}:
        for prefix in (f"{name}: ", f"`{name}`: "):
            if detail.startswith(prefix):
                return detail[len(prefix) :]
        # "resolved_on 2030-01-01 is in the future": the value speaks for itself.
        if detail.startswith(f"{name} ") and detail[len(name) + 1 : len(name) + 2].isdigit():
            return detail[len(name) + 1 :]
    return detail


def render(
    request: Request,
    visitor: Visitor,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HTMLResponse:
    """A page, with the visitor, the one-time notice and a fresh CSRF cookie when needed."""
    flash = request.cookies.get(FLASH_COOKIE)
    values = {
        "visitor": visitor,
        "flash": unquote(flash) if flash else None,
        "csrf_field": CSRF_FIELD,
        "today": request.app.state.clock.now().date(),
        **(context or {}),
    }
    response = TEMPLATES.TemplateResponse(request, template, values, status_code=status)
    secure = is_https(request)
    if visitor.new_csrf:
        response.set_cookie(CSRF_COOKIE, visitor.csrf, httponly=True, samesite="lax", secure=secure)
    if flash:
        response.delete_cookie(FLASH_COOKIE)
    response.headers["Cache-Control"] = "no-store" if visitor.user else "no-cache"
    return response


def redirect(request: Request, url: str, *, notice: str | None = None) -> RedirectResponse:
    """See-other after a form, with a notice shown once on the next page."""
    response = RedirectResponse(url, status_code=303)
    if notice:
        secure = is_https(request)
        response.set_cookie(
            FLASH_COOKIE, quote(notice), max_age=60, httponly=True, samesite="lax", secure=secure
        )
    return response


def error_page(request: Request, status: int, detail: str) -> HTMLResponse:
    """The HTML face of an error (a plain visitor: no database needed to say it)."""
    settings: Settings = request.app.state.settings
    visitor = Visitor(None, "", settings.public_reads)
    context = {"status": status, "detail": detail}
    return render(request, visitor, "error.html", context, status=status)


Handler = Callable[[Request], Coroutine[Any, Any, Response]]
Reshow = Callable[[Session, dict[str, str]], Response]


class Rejected(Exception):
    """A form's errors by field, and the page that shows them beside the fields again."""

    def __init__(self, errors: dict[str, str], reshow: Reshow) -> None:
        super().__init__(errors)
        self.errors = errors
        self.reshow = reshow


class WriteOnRead(RuntimeError):
    """A GET tried to write: pages change data only from a form post."""


def _refuse_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.new or session.deleted or any(session.is_modified(row) for row in session.dirty):
        raise WriteOnRead("a page read tried to store rows: writes belong to a form post")


def _refuse_dml(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise WriteOnRead("a page read ran an INSERT, UPDATE or DELETE: writes belong to a post")


def page_session(engine: Engine, *, writes: bool) -> Session:
    """A page's session: a form post's takes SQLite's write lock at its first statement; a
    read's refuses to write (issue 12: a GET never writes)."""
    if writes:
        return write_session(engine)
    session = Session(engine)
    event.listen(session, "before_flush", _refuse_flush)
    event.listen(session, "do_orm_execute", _refuse_dml)
    return session


async def get_page_session(request: Request) -> Session:
    """The session PageRoute opened for this page; PageRoute commits or rolls it back."""
    session: Session = request.state.page_session
    return session


PageSession = Annotated[Session, Depends(get_page_session)]


def _close(session: Session, *, commit: bool) -> None:
    with session:
        if commit:
            session.commit()


async def _end(session: Session, *, commit: bool) -> None:
    """Commit or roll back, in the threadpool when a transaction is open (closing one does I/O)."""
    if session.in_transaction():
        await run_in_threadpool(_close, session, commit=commit)
    else:
        session.close()


def _reshow(engine: Engine, rejected: Rejected) -> Response:
    with page_session(engine, writes=False) as session:
        return rejected.reshow(session, rejected.errors)


class PageRoute(APIRoute):
    """The pages' one transaction owner, as SessionDep is the API's: a form post commits
    when its handler returns and rolls back when it raises; a rejected form is shown again
    with its errors; other errors become pages (sign-in redirects, 403/404, 400s)."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            engine: Engine = request.app.state.engine
            writes = request.method not in READS
            session = page_session(engine, writes=writes)
            request.state.page_session = session
            try:
                response = await handler(request)
            except Rejected as exc:
                await _end(session, commit=False)
                return await run_in_threadpool(_reshow, engine, exc)
            except Exception as exc:
                await _end(session, commit=False)
                shown = _error_page(request, exc)
                if shown is None:
                    raise
                return shown
            await _end(session, commit=writes)
            return response

        return page


def _error_page(request: Request, exc: Exception) -> Response | None:
    """The page for an error; None for those the app's handlers answer (503s, 409s, bugs)."""
    if isinstance(exc, SignInRequired):
        query = f"?{request.url.query}" if request.url.query else ""
        target = quote(request.url.path + query, safe="")
        return RedirectResponse(f"/sign-in?next={target}", status_code=303)
    if isinstance(exc, CsrfRefused):
        detail = (
            "this form was sent without the page's security token (it may have expired "
            "or come from another site): go back, reload the page and send it again"
        )
        return error_page(request, 403, detail)
    if isinstance(exc, HindsightError):
        response = error_page(request, exc.status_code, exc.detail)
        if "retry_after" in exc.extra:
            response.headers["Retry-After"] = str(math.ceil(exc.extra["retry_after"]))
        return response
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {}
        where = field_path(tuple(first.get("loc", ()))) or "request"
        return error_page(request, 400, f"{where}: {hint(dict(first))}")
    return None


def percent(value: float | None) -> str:
    """0.85 → '85%'; small and large values keep a decimal."""
    if value is None:
        return "–"
    shown = value * 100
    return f"{shown:.0f}%" if 1 <= shown <= 99 else f"{shown:.1f}%"


def score(value: float | None, digits: int = 3) -> str:
    """A score to three decimals, or a dash."""
    return "–" if value is None else f"{value:.{digits}f}"


def day(value: date | datetime | None) -> str:
    """A date as '25 Nov 2026'."""
    if value is None:
        return "–"
    return f"{value.day} {value:%b %Y}"


TEMPLATES.env.filters.update(percent=percent, score=score, day=day)
