"""The pages' routes: sign-in and sign-out here; desk, public and account pages beside."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.clock import Clock
from app.config import Settings
from app.db import begin_write
from app.errors import Invalid
from app.web import account, article, desk, log, public, service
from app.web.pages import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    FormDep,
    PageRoute,
    VisitorDep,
    redirect,
    render,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)
# log before desk: "/predictions/new" must win over "/predictions/{id}".
for pages in (log.router, desk.router, article.router, public.router, account.router):
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
def sign_in(request: Request, visitor: VisitorDep, form: FormDep) -> Response:
    """Check the password; start a session with its own CSRF token."""
    settings: Settings = request.app.state.settings
    clock: Clock = request.app.state.clock
    email, target = form.get("email", ""), _safe_next(form.get("next", "/desk"))
    with Session(request.app.state.engine) as session:
        begin_write(session)
        try:
            started = service.sign_in(
                session=session,
                email=email,
                password=form.get("password", ""),
                now=clock.now(),
                days=settings.session_days,
            )
        except Invalid as exc:
            started, problem = None, exc.detail
        else:
            problem = "the email or the password is wrong: check both and try again"
        session.commit()
    if started is None:
        context = {"next": target, "values": {"email": email}, "errors": {"form": problem}}
        return render(request, visitor, "sign_in.html", context, status=400)
    token = started[0]
    response = redirect(request, target, notice="Signed in.")
    secure = request.url.scheme == "https"
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


@router.post("/sign-out")
def sign_out(request: Request, visitor: VisitorDep, _form: FormDep) -> Response:
    """End the session everywhere the cookie was copied."""
    if visitor.session_token:
        with Session(request.app.state.engine) as session:
            begin_write(session)
            service.sign_out(session=session, token=visitor.session_token)
            session.commit()
    response = redirect(request, "/sign-in", notice="Signed out.")
    response.delete_cookie(SESSION_COOKIE)
    return response
