"""Pages: the signed-in user's account, API keys, subscriptions and password."""

from typing import Annotated, Any, get_args
from zoneinfo import available_timezones

from fastapi import APIRouter, Path, Request, Response
from pydantic import ValidationError
from sqlmodel import Session, col, select

from app.auth import service as auth
from app.deps import IdPath
from app.errors import HindsightError, NotFound
from app.models import Role, Subscription, User
from app.notifications import service as notifications
from app.notifications.schemas import Event, SubscriptionCreate
from app.web import service as web
from app.web.forms import FormProblem, errors_of, reshown_on_error
from app.web.pages import (
    FormDep,
    PageRoute,
    PageSession,
    VisitorDep,
    field_errors,
    redirect,
    render,
    require,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

EVENTS: tuple[str, ...] = get_args(Event)
ZONES = sorted(available_timezones())
Prefix = Annotated[str, Path(min_length=1, max_length=16)]
SHOWN_DELIVERIES = 20


@router.get("/account")
def account(request: Request, visitor: VisitorDep) -> Response:
    """Who you are, and where to manage keys, subscriptions and your password."""
    user = require(visitor, Role.viewer)
    return render(request, visitor, "account/index.html", {"user": user})


@router.get("/account/keys")
def keys(request: Request, visitor: VisitorDep, session: PageSession) -> Response:
    """Your API keys and a form to make one."""
    user = require(visitor, Role.viewer)
    return _keys_page(request, visitor, session, user)


@router.post("/account/keys")
def create_key(
    request: Request, visitor: VisitorDep, form: FormDep, session: PageSession
) -> Response:
    """Issue a key and show its secret, this once."""
    user = require(visitor, Role.viewer)
    name = form.get("name", "")

    def reshow(session: Session, errors: dict[str, str]) -> Response:
        return _keys_page(request, visitor, session, user, {"name": name}, errors, status=422)

    with reshown_on_error(reshow):
        if len(name) > 200:
            raise FormProblem({"name": "the name can have at most 200 characters"})
        issued = auth.issue_key(session=session, user=user, name=name or None)
    context = {"key": issued.api_key, "secret": issued.secret}
    response = render(request, visitor, "account/key_created.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.post("/account/keys/{prefix}/revoke")
def revoke_key(
    request: Request, visitor: VisitorDep, _form: FormDep, session: PageSession, prefix: Prefix
) -> Response:
    """Revoke one of your own keys."""
    user = require(visitor, Role.viewer)
    if not any(key.prefix == prefix for key in auth.list_keys(session=session, user=user)):
        raise NotFound(f"you have no API key with prefix '{prefix}'", field="prefix")
    auth.revoke_key(session=session, key=prefix)
    return redirect(request, "/account/keys", notice=f"Key {prefix} revoked.")


def _keys_page(
    request: Request,
    visitor: VisitorDep,
    session: Session,
    user: User,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> Response:
    context = {
        "keys": auth.list_keys(session=session, user=user),
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, visitor, "account/keys.html", context, status=status)


@router.get("/account/subscriptions")
def subscriptions(request: Request, visitor: VisitorDep, session: PageSession) -> Response:
    """Your subscriptions and a form to add one."""
    user = require(visitor, Role.viewer)
    values = {"channel": "email", "timezone": "UTC", "event:digest.weekly": "on"}
    return _subscriptions_page(request, visitor, session, user, values, {})


@router.post("/account/subscriptions")
def subscribe(
    request: Request, visitor: VisitorDep, form: FormDep, session: PageSession
) -> Response:
    """Subscribe an address to the digest or a webhook to events."""
    user = require(visitor, Role.viewer)

    def reshow(session: Session, errors: dict[str, str]) -> Response:
        return _subscriptions_page(request, visitor, session, user, form, errors, status=422)

    def placed(exc: Exception) -> dict[str, str]:
        if isinstance(exc, ValidationError):
            return _place(field_errors(exc), form.get("channel", ""))
        return errors_of(exc)

    with reshown_on_error(reshow, errors=placed):
        data = SubscriptionCreate.model_validate(_subscription_body(form))
        created = notifications.create_subscription(
            session=session,
            user=user,
            data=data,
            now=request.app.state.clock.now(),
            settings=request.app.state.settings,
        )
    if created.secret is None:
        return redirect(request, "/account/subscriptions", notice="Subscription created.")
    response = render(request, visitor, "account/webhook_created.html", {"sub": created})
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/account/subscriptions/{subscription_id}")
def subscription(
    request: Request, visitor: VisitorDep, session: PageSession, subscription_id: IdPath
) -> Response:
    """One subscription, with a webhook's recent deliveries."""
    user = require(visitor, Role.viewer)
    found = _own_subscription(session, user, subscription_id)
    rows, total = notifications.deliveries(
        session=session, subscription=found, limit=SHOWN_DELIVERIES, offset=0
    )
    context = {"sub": found, "deliveries": rows, "total": total}
    return render(request, visitor, "account/subscription.html", context)


@router.post("/account/subscriptions/{subscription_id}/cancel")
def cancel_subscription(
    request: Request,
    visitor: VisitorDep,
    _form: FormDep,
    session: PageSession,
    subscription_id: IdPath,
) -> Response:
    """Stop one of your subscriptions."""
    user = require(visitor, Role.viewer)
    found = _own_subscription(session, user, subscription_id)
    notifications.cancel(session=session, subscription=found)
    return redirect(request, "/account/subscriptions", notice="Subscription cancelled.")


def _own_subscription(session: Session, user: User, subscription_id: int) -> Subscription:
    # The service lets admins reach anyone's; these pages are about your own.
    found = notifications.get_subscription(
        session=session, user=user, subscription_id=subscription_id
    )
    if found.user_id != user.id:
        raise NotFound(f"no subscription with id {subscription_id}", field="id")
    return found


def _subscription_body(form: dict[str, str]) -> dict[str, Any]:
    """The form as a SubscriptionCreate body: the channel picks address or URL."""
    channel = form.get("channel", "")
    body: dict[str, Any] = {"channel": channel, "timezone": form.get("timezone") or "UTC"}
    target = "url" if channel == "webhook" else "address"
    if form.get(target):
        body[target] = form[target]
    events = [event for event in EVENTS if form.get(f"event:{event}")]
    if events:
        body["events"] = events
    for name in ("authors", "tags"):
        body[name] = [part.strip() for part in form.get(name, "").split(",") if part.strip()]
    return body


_PLAIN = {
    "channel": "choose email or webhook",
    "address": "enter an email address, such as desk@example.org",
    "url": "enter the https:// address the webhook posts to",
    "authors": "give author slugs separated by commas, such as jane-doe, john-roe",
    "tags": "give tags (lowercase letters, digits and - _ . :) separated by commas",
}


def _place(errors: dict[str, str], channel: str) -> dict[str, str]:
    """Errors in a reader's words, each next to its field (whole-form ones included)."""
    message = errors.pop("form", None)
    if message is not None and "events" in message:
        errors.setdefault("events", message)
    elif message is not None:
        missing = "url" if channel == "webhook" else "address"
        errors.setdefault(missing, _PLAIN[missing])
    for name, plain in _PLAIN.items():
        if "pattern" in errors.get(name, "") or (name == "channel" and name in errors):
            errors[name] = plain
    return errors


def _subscriptions_page(
    request: Request,
    visitor: VisitorDep,
    session: Session,
    user: User,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    status: int = 200,
) -> Response:
    mine = session.exec(
        select(Subscription)
        .where(col(Subscription.user_id) == user.id)
        .order_by(col(Subscription.active).desc(), col(Subscription.id).desc())
        .limit(200)
    ).all()
    context = {
        "subscriptions": mine,
        "events": EVENTS,
        "zones": ZONES,
        "values": values,
        "errors": errors,
    }
    return render(request, visitor, "account/subscriptions.html", context, status=status)


@router.get("/account/password")
def password(request: Request, visitor: VisitorDep) -> Response:
    """The form to change your password."""
    require(visitor, Role.viewer)
    return render(request, visitor, "account/password.html", {"errors": {}})


@router.post("/account/password")
def change_password(
    request: Request, visitor: VisitorDep, form: FormDep, session: PageSession
) -> Response:
    """Check the current password, then store the new one."""
    user = require(visitor, Role.viewer)
    # The argon2 work runs before the session's first statement, so no transaction (nor
    # SQLite's write lock) is open meanwhile: PageSession connects lazily (issue 10).

    def reshow(_session: Session, errors: dict[str, str]) -> Response:
        return render(request, visitor, "account/password.html", {"errors": errors}, status=422)

    with reshown_on_error(reshow):
        new_hash = _new_password_hash(user, form)
    assert user.id is not None
    stored = session.get(User, user.id)
    if stored is None:
        raise NotFound(f"no user with id {user.id}", field="id")
    auth.store_password_hash(session=session, user=stored, password_hash=new_hash)
    web.end_other_sessions(session=session, user_id=user.id, keep_token=visitor.session_token)
    # API keys are separate credentials and stay valid (README, "In a browser"); the notice says so.
    notice = (
        "Password changed; other sign-ins were ended. "
        "Your API keys still work: revoke any you no longer trust under API keys."
    )
    return redirect(request, "/account", notice=notice)


def _new_password_hash(user: User, form: dict[str, str]) -> str:
    """The new password's hash when everything checks out; else a FormProblem saying what to fix."""
    new = form.get("new_password", "")
    current = form.get("current_password", "")
    if not auth.password_matches(password_hash=user.password_hash, password=current):
        raise FormProblem({"current_password": "this is not your current password"})
    if new != form.get("new_password_again", ""):
        problem = "the two new passwords differ: type the same one twice"
        raise FormProblem({"new_password_again": problem})
    try:
        return auth.hash_password(new)
    except HindsightError as exc:
        raise FormProblem({"new_password": exc.detail}) from None
