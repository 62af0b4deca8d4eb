"""Pages: the review desk (the queue, assignments, escalations, proposals, withdrawals) and
the signed-in user's digest preview."""

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.auth import service as auth
from app.config import Settings
from app.deps import IdPath, Today
from app.errors import Conflict, HindsightError, Invalid
from app.models import Role, Subscription, User
from app.notifications import digest
from app.predictions import service as predictions
from app.resolutions import service as resolutions
from app.resolutions.schemas import RejectIn
from app.web import service as web
from app.web.forms import errors_of
from app.web.pages import (
    FormDep,
    PageRoute,
    PageSession,
    Rejected,
    Visitor,
    VisitorDep,
    redirect,
    render,
    require,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Scope = Literal["mine", "unassigned", "all"]
ShowQuery = Annotated[Scope, Query(description="Whose predictions: mine, unassigned or all.")]
OffsetQuery = Annotated[int, Query(ge=0, le=10_000_000)]
PAGE = 25
SHOWN_ESCALATIONS = 20
SHOWN_PROPOSALS = 50
SCOPES: tuple[tuple[Scope, str], ...] = (
    ("all", "All"),
    ("mine", "Assigned to me"),
    ("unassigned", "Unassigned"),
)
_BODY = re.compile(r"<body[^>]*>(.*)</body>", re.DOTALL | re.IGNORECASE)
_HEADING = re.compile(r"<(/?)h([1-5])\b", re.IGNORECASE)


@router.get("/review")
def review(
    request: Request,
    visitor: VisitorDep,
    session: PageSession,
    today: Today,
    show: ShowQuery = "all",
    offset: OffsetQuery = 0,
) -> Response:
    """The queue of due predictions, the most overdue first, with escalations and proposals."""
    user = require(visitor, Role.editor)
    return _review_page(request, visitor, session, user, today, show=show, offset=offset)


def _review_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    user: User,
    today: Any,
    *,
    show: Scope,
    offset: int,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    settings: Settings = request.app.state.settings
    common = {"session": session, "today": today, "escalation_weeks": settings.escalation_weeks}
    items, total = resolutions.review_queue(
        **common, scope=show, user=user, limit=PAGE, offset=offset
    )
    escalated, escalated_total = resolutions.review_queue(
        **common, scope="all", user=user, limit=SHOWN_ESCALATIONS, offset=0, escalated_only=True
    )
    proposals = resolutions.pending_proposals(session=session, limit=SHOWN_PROPOSALS)
    context = {
        "items": items,
        "page": {"total": total, "limit": PAGE, "offset": offset},
        "show": show,
        "scopes": SCOPES,
        "escalated": escalated,
        "escalated_total": escalated_total,
        "escalation_weeks": settings.escalation_weeks,
        "proposals": proposals,
        "names": web.names_of(
            session=session,
            slugs={i.author for i in [*items, *escalated]} | {p[2] for p in proposals},
        ),
        "staff": auth.staff(session=session),
        "errors": errors or {},
        "values": values or {},
    }
    return render(request, visitor, "review/index.html", context, status=status)


def _back(form: dict[str, str]) -> tuple[Scope, int]:
    show = form.get("show", "all")
    offset = form.get("offset", "0")
    scope: Scope = show if show in ("mine", "unassigned", "all") else "all"  # type: ignore[assignment]
    return scope, int(offset) if offset.isdigit() else 0


def _back_url(form: dict[str, str]) -> str:
    show, offset = _back(form)
    return f"/review?show={show}" + (f"&offset={offset}" if offset else "")


def _rejected(
    request: Request,
    visitor: Visitor,
    user: User,
    today: Any,
    form: dict[str, str],
    key: str,
    exc: Exception,
) -> Rejected:
    """The desk again with the error beside the form that failed (`key` names it)."""
    status = 409 if isinstance(exc, Conflict) else 422
    message = next(iter(errors_of(exc).values()), "this form could not be sent")
    show, offset = _back(form)

    def again(session: Session, errors: dict[str, str]) -> Response:
        return _review_page(
            request,
            visitor,
            session,
            user,
            today,
            show=show,
            offset=offset,
            errors=errors,
            values={key: form.get("reason", "")},
            status=status,
        )

    return Rejected({key: message}, again)


@router.post("/review/{prediction_id}/assign")
def assign(
    prediction_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
    today: Today,
) -> Response:
    """Give a prediction's verdict to a colleague; a form older than the last change is a 409."""
    user = require(visitor, Role.editor)
    try:
        if not form.get("assignee"):
            raise Invalid("choose the colleague to assign from the list", field="assignee")
        prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
        chosen = resolutions.assign(
            session=session,
            prediction=prediction,
            email=form.get("assignee", ""),
            by=user,
            now=request.app.state.clock.now(),
            previous=form.get("previous", ""),
        )
    except HindsightError as exc:
        raise _rejected(
            request, visitor, user, today, form, f"assign-{prediction_id}", exc
        ) from exc
    notice = f"Prediction #{prediction_id} assigned to {chosen.display_name or chosen.email}."
    return redirect(request, _back_url(form), notice=notice)


@router.post("/review/proposals/{proposal_id}/confirm")
def confirm(
    proposal_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
    today: Today,
) -> Response:
    """Record a proposed verdict as the prediction's verdict, with the check's evidence."""
    user = require(visitor, Role.editor)
    try:
        result = resolutions.confirm_proposal(
            session=session,
            proposal_id=proposal_id,
            user=user,
            today=today,
            now=request.app.state.clock.now(),
        )
    except HindsightError as exc:
        raise _rejected(
            request, visitor, user, today, form, f"proposal-{proposal_id}", exc
        ) from exc
    pid = result.resolution.prediction_id
    notice = f"Verdict recorded on prediction #{pid}: {result.resolution.outcome.value}."
    return redirect(request, _back_url(form), notice=notice)


@router.post("/review/proposals/{proposal_id}/reject")
def reject(
    proposal_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
    today: Today,
) -> Response:
    """Refuse a proposed verdict, saying why (the reason goes into the prediction's history)."""
    user = require(visitor, Role.editor)
    try:
        body = RejectIn.model_validate({"reason": form.get("reason", "")})
        resolutions.reject_proposal(
            session=session, proposal_id=proposal_id, user=user, reason=body.reason
        )
    except (ValidationError, HindsightError) as exc:
        raise _rejected(request, visitor, user, today, form, f"reject-{proposal_id}", exc) from exc
    return redirect(request, _back_url(form), notice=f"Proposal {proposal_id} rejected.")


@router.post("/review/{prediction_id}/withdraw")
def withdraw(
    prediction_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
    today: Today,
) -> Response:
    """Withdraw a prediction logged in error (admins), with the reason; it stays on record."""
    user = require(visitor, Role.admin)
    key = f"withdraw-{prediction_id}"
    try:
        reason = RejectIn.model_validate({"reason": form.get("reason", "")}).reason
        prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
        predictions.withdraw(session=session, prediction=prediction, reason=reason, user=user)
    except (ValidationError, HindsightError) as exc:
        raise _rejected(request, visitor, user, today, form, key, exc) from exc
    return redirect(request, _back_url(form), notice=f"Prediction #{prediction_id} withdrawn.")


@router.get("/review/digest")
def digest_preview(
    request: Request, visitor: VisitorDep, session: PageSession, today: Today
) -> Response:
    """The digest the signed-in user would get this week, as the digest job would build it."""
    user = require(visitor, Role.viewer)
    settings: Settings = request.app.state.settings
    now = request.app.state.clock.now()
    week = digest.current_week(settings, now)
    subscription, subscribed = _digest_subscription(session, user)
    built = digest.build_digest(session, subscription, week, today, settings=settings)
    mail = digest.mail_for(built, settings)
    found = _BODY.search(mail.html)
    context = {
        "week": week,
        "mail": mail,
        # The digest's own HTML, made by its autoescaping templates from stored rows.
        "body": _nested(found.group(1) if found else mail.html),
        "subscribed": subscribed,
    }
    return render(request, visitor, "review/digest.html", context)


def _nested(html: str) -> str:
    """The mail's headings one level down, under the page's own h1."""
    return _HEADING.sub(lambda m: f"<{m[1]}h{int(m[2]) + 1}", html)


def _digest_subscription(session: Session, user: User) -> tuple[Subscription, bool]:
    """The user's digest subscription; else the one they would get by subscribing (their
    own queue), never stored."""
    for subscription in digest.digest_subscriptions(session):
        if subscription.user_id == user.id:
            return subscription, True
    assert user.id is not None
    unsaved = Subscription(
        user_id=user.id,
        channel="email",
        address=user.email,
        events=[digest.DIGEST_EVENT],
        authors=[],
        tags=[],
        created_at=user.created_at,
    )
    return unsaved, False
