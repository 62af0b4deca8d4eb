"""/api/v1/subscriptions, /digests/preview and /calendar.ics"""

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request, Response, status
from sqlmodel import col, select

from app.auth.schemas import Email
from app.deps import IdPath, Limit, Offset, Reader, SessionDep, SettingsDep, ViewerUser
from app.errors import Forbidden, NotFound
from app.links import Links
from app.models import DigestLog, Role
from app.notifications import digest, service
from app.notifications.calendar import calendar
from app.notifications.schemas import (
    DeliveriesPage,
    DeliveryPublic,
    DigestPreview,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
    SubscriptionsPage,
)

router = APIRouter(tags=["reminders"])


@router.post(
    "/subscriptions", status_code=status.HTTP_201_CREATED, response_model=SubscriptionCreated
)
def subscribe(
    body: SubscriptionCreate,
    session: SessionDep,
    settings: SettingsDep,
    user: ViewerUser,
    request: Request,
) -> SubscriptionCreated:
    """Subscribe an email address to the weekly digest, or a webhook (public hosts) to events."""
    now = request.app.state.clock.now()
    created = service.create_subscription(
        session=session, user=user, data=body, now=now, settings=settings
    )
    return SubscriptionCreated(
        **SubscriptionPublic.model_validate(created).model_dump(), secret=created.secret
    )


@router.get("/subscriptions", response_model=SubscriptionsPage)
def list_subscriptions(
    session: SessionDep, user: ViewerUser, limit: Limit = 50, offset: Offset = 0
) -> SubscriptionsPage:
    """Your active subscriptions."""
    rows, total = service.list_subscriptions(session=session, user=user, limit=limit, offset=offset)
    items = [SubscriptionPublic.model_validate(s) for s in rows]
    return SubscriptionsPage(items=items, total=total, limit=limit, offset=offset)


@router.delete("/subscriptions/{subscription_id}", status_code=status.HTTP_204_NO_CONTENT)
def unsubscribe(subscription_id: IdPath, session: SessionDep, user: ViewerUser) -> Response:
    """Cancel a subscription (its delivery history is kept)."""
    found = service.get_subscription(session=session, user=user, subscription_id=subscription_id)
    service.cancel(session=session, subscription=found)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=DeliveriesPage)
def list_deliveries(
    subscription_id: IdPath,
    session: SessionDep,
    user: ViewerUser,
    limit: Limit = 50,
    offset: Offset = 0,
) -> DeliveriesPage:
    """A webhook's deliveries, newest first, with attempts and the last error."""
    found = service.get_subscription(session=session, user=user, subscription_id=subscription_id)
    rows, total = service.deliveries(
        session=session, subscription=found, limit=limit, offset=offset
    )
    items = [DeliveryPublic.model_validate(d) for d in rows]
    return DeliveriesPage(items=items, total=total, limit=limit, offset=offset)


@router.post(
    "/subscriptions/{subscription_id}/deliveries/{delivery_id}/redeliver",
    response_model=DeliveryPublic,
)
def redeliver(
    subscription_id: IdPath,
    delivery_id: IdPath,
    session: SessionDep,
    user: ViewerUser,
    request: Request,
) -> DeliveryPublic:
    """Send an event again, with the same id, at the next delivery run."""
    found = service.get_subscription(session=session, user=user, subscription_id=subscription_id)
    delivery = service.redeliver(
        session=session,
        subscription=found,
        delivery_id=delivery_id,
        now=request.app.state.clock.now(),
    )
    return DeliveryPublic.model_validate(delivery)


@router.get("/digests/preview", response_model=DigestPreview)
def preview_digest(
    email: Annotated[Email, Query(description="Your own address; an admin may give any.")],
    session: SessionDep,
    settings: SettingsDep,
    user: ViewerUser,
    request: Request,
    week: Annotated[
        str | None, Query(description="ISO week, e.g. 2026-W48; this week if omitted.")
    ] = None,
) -> DigestPreview:
    """Exactly what the weekly digest would send to your address (an admin: to any address)."""
    if email.lower() != user.email.lower() and user.role != Role.admin:
        raise Forbidden(
            f"a digest preview is for its own recipient: ask for email={user.email}, "
            "or ask an admin",
            field="email",
        )
    now = request.app.state.clock.now()
    week = week or digest.current_week(settings, now)
    digest.week_bounds(week)
    subscription = next(
        (s for s in digest.digest_subscriptions(session) if s.address == email.lower()), None
    )
    if subscription is None:
        raise NotFound(f"'{email}' is not subscribed to the weekly digest", field="email")
    built = digest.build_digest(session, subscription, week, now.date(), settings=settings)
    mail = digest.mail_for(built, settings)
    sent = session.exec(
        select(DigestLog.id).where(
            DigestLog.recipient == email.lower(),
            DigestLog.iso_week == week,
            col(DigestLog.status).in_(["sent", "recorded"]),
        )
    ).first()
    return DigestPreview(
        recipient=mail.to,
        week=week,
        already_sent=sent is not None,
        subject=mail.subject,
        text=mail.text,
        html=mail.html,
    )


@router.get(
    "/calendar.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}, "description": "An iCalendar feed."}},
)
def calendar_feed(
    session: SessionDep,
    settings: SettingsDep,
    _reader: Reader,
    request: Request,
    author: Annotated[str | None, Query(max_length=120, description="An author's slug.")] = None,
    tag: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """Every open prediction's deadline as an all-day event, to subscribe to in a calendar."""
    deadlines = service.open_deadlines(
        session=session, author=author, tag=tag.lower() if tag else None, base_url=settings.base_url
    )
    host = urlsplit(Links(settings.base_url).base).hostname or "hindsight"
    body = calendar(deadlines, now=request.app.state.clock.now(), host=host)
    return Response(body, media_type="text/calendar; charset=utf-8")
