"""The pages' routes: sign-in and sign-out here; desk, public and account pages beside."""

import math
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import ratelimit
from app.auth import service as auth
from app.client import client_key, is_https
from app.clock import Clock
from app.config import Settings
from app.errors import Invalid
from app.models import User
from app.web import account, admin, article, browse, desk, log, public, review, service
from app.web.pages import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    FormDep,
    PageRoute,
    PageSession,
    Visitor,
    VisitorDep,
    redirect,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
# log before desk: "/predictions/new" must win over "/predictions/{id}".
for pages in (
    log.router,
    browse.router,
    desk.router,
    article.router,
    public.router,
    account.router,
    review.router,
    admin.router,
):
    router.include_router(pages)

Next = Annotated[str, Query(max_length=2000)]


def _safe_next(target: str) -> str:
    # Only paths on this site: "//evil.example" or "https://..." would be an open redirect.
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/desk"


@router.get("/")
async def home(visitor: VisitorDep) -> RedirectResponse:
    """The desk for journalists; the leaderboard for everyone else."""
    if visitor.user is not None:
        return RedirectResponse("/desk", status_code=303)
    return RedirectResponse("/leaderboard" if visitor.public_reads else "/sign-in", 303)


@router.get("/sign-in")
async def sign_in_page(request: Request, visitor: VisitorDep, next: Next = "/desk") -> Response:
    """The sign-in form."""
    if visitor.user is not None:
        return RedirectResponse(_safe_next(next), status_code=303)
    context = {"next": _safe_next(next), "values": {}, "errors": {}}
    return render(request, visitor, "sign_in.html", context)


@router.post("/sign-in")
def sign_in(request: Request, visitor: VisitorDep, form: FormDep, session: PageSession) -> Response:
    """Check the password; start a session with its own CSRF token."""
    settings: Settings = request.app.state.settings
    email, target = form.get("email", ""), _safe_next(form.get("next", "/desk"))
    limiter, address = request.app.state.limiter, client_key(request)
    # Refused before the hash: a throttled guess costs the server no argon2 work (issue 11).
    wait = ratelimit.sign_in_wait(limiter=limiter, email=email, address=address)
    if wait > 0:
        return _throttled(request, visitor, target, email, wait)
    problem = "the email or the password is wrong: check both and try again"
    try:
        checked = _checked_user(request.app.state.engine, email, form.get("password", ""))
    except Invalid as exc:
        checked, problem = None, exc.detail
    if checked is None:
        ratelimit.count_sign_in_failure(limiter=limiter, email=email, address=address)
        context = {"next": target, "values": {"email": email}, "errors": {"form": problem}}
        return render(request, visitor, "sign_in.html", context, status=400)
    token = _start_session(request, session, *checked)
    response = redirect(request, target, notice="Signed in.")
    secure = is_https(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_days * 86_400,
        httponly=True,
        samesite="lax",
        secure=secure,
    )
    response.delete_cookie(CSRF_COOKIE)
    return response


def _throttled(
    request: Request, visitor: Visitor, target: str, email: str, wait: float
) -> Response:
    """The sign-in page again, with 429 and Retry-After: too many failures lately."""
    minutes = math.ceil(wait / 60)
    problem = (
        "too many failed sign-ins for this account or from this address: wait "
        f"{minutes} minute{'s' if minutes != 1 else ''} and try again"
    )
    context = {"next": target, "values": {"email": email}, "errors": {"form": problem}}
    response = render(request, visitor, "sign_in.html", context, status=429)
    response.headers["Retry-After"] = str(math.ceil(wait))
    return response


def _checked_user(engine: Engine, email: str, password: str) -> tuple[User, str | None] | None:
    """The user if the password fits, with a fresh hash to store when the old one is stale.

    The user is read in a transaction that ends before the argon2 work starts: anonymous
    wrong-password posts never hold a connection or the write lock while hashing (issue 10).
    """
    with Session(engine) as session:
        user = auth.get_user_by_email(session=session, email=email)
    stored = user.password_hash if user is not None else None
    # Hashed even for an unknown email, so the answer's timing does not reveal which it was.
    if not auth.password_matches(password_hash=stored, password=password) or user is None:
        return None
    assert stored is not None
    return user, auth.rehash_if_stale(password_hash=stored, password=password)


def _start_session(request: Request, session: Session, user: User, fresh_hash: str | None) -> str:
    """The session row (and a stale hash's replacement), written after the hashing; its token."""
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    assert user.id is not None
    if fresh_hash is not None:
        auth.store_password_hash(session=session, user=user, password_hash=fresh_hash)
    token, _row = service.sign_in(
        session=session, user_id=user.id, now=clock.now(), days=settings.session_days
    )
    return token


@router.post("/sign-out")
def sign_out(
    request: Request, visitor: VisitorDep, _form: FormDep, session: PageSession
) -> Response:
    """End the session everywhere the cookie was copied."""
    if visitor.session_token:
        service.sign_out(session=session, token=visitor.session_token)
    response = redirect(request, "/sign-in", notice="Signed out.")
    response.delete_cookie(SESSION_COOKIE)
    return response
