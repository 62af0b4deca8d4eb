"""Subscriptions and their webhook deliveries."""

from datetime import datetime

import httpx
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import fetch_page
from app.errors import Conflict, Invalid, NotFound
from app.links import Links
from app.models import (
    Author,
    Prediction,
    PredictionTag,
    Role,
    Subscription,
    User,
    WebhookDelivery,
)
from app.notifications.calendar import Deadline
from app.notifications.schemas import SubscriptionCreate
from app.notifications.webhooks import new_secret
from app.outbound import (
    NotPublic,
    Refused,
    Resolver,
    Unresolved,
    checked_address,
    default_resolver,
)
from app.predictions.service import OPEN_STATUSES


def create_subscription(
    *,
    session: Session,
    user: User,
    data: SubscriptionCreate,
    now: datetime,
    settings: Settings,
    resolver: Resolver = default_resolver,
) -> Subscription:
    """A new subscription owned by the user; a webhook gets a secret when it sent none."""
    assert user.id is not None
    if data.url is not None:  # before any statement: a slow resolver holds no connection
        check_url(str(data.url), allow_private=settings.webhook_allow_private, resolver=resolver)
    _within_quota(session, user, settings.max_subscriptions)
    secret = (data.secret or new_secret()) if data.channel == "webhook" else None
    subscription = Subscription(
        user_id=user.id,
        channel=data.channel,
        address=data.address.lower() if data.address else None,
        url=str(data.url) if data.url else None,
        secret=secret,
        events=list(data.events),
        authors=list(data.authors),
        tags=list(data.tags),
        timezone=data.timezone,
        created_at=now,
    )
    session.add(subscription)
    session.flush()
    return subscription


def check_url(url: str, *, allow_private: bool, resolver: Resolver = default_resolver) -> None:
    """Refuse (422) a webhook URL the outbound guard would refuse to deliver to.

    A name that does not resolve yet is accepted: every delivery checks it again.
    """
    try:
        checked_address(httpx.URL(url), resolver=resolver, allow_private=allow_private)
    except NotPublic as exc:
        raise Invalid(f"{exc.rule()}: webhooks go to public hosts", field="url") from None
    except Unresolved:
        return
    except Refused as exc:
        raise Invalid(str(exc), field="url") from None


def _within_quota(session: Session, user: User, most: int) -> None:
    """Refuse (409) a subscription beyond the user's quota of active ones."""
    # Lock the user's row so two parallel requests cannot both take the last place.
    session.get(User, user.id, with_for_update=True)
    statement = select(func.count()).where(
        col(Subscription.user_id) == user.id, col(Subscription.active)
    )
    if int(session.scalar(statement) or 0) >= most:
        raise Conflict(
            f"you have {most} active subscriptions, the most allowed (HINDSIGHT_MAX_SUBSCRIPTIONS):"
            " cancel one first (DELETE /api/v1/subscriptions/{id}, or Cancel on /account/"
            "subscriptions)"
        )


def get_subscription(*, session: Session, user: User, subscription_id: int) -> Subscription:
    """The user's subscription (admins may reach anyone's), or 404."""
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or (subscription.user_id != user.id and user.role != Role.admin):
        raise NotFound(f"no subscription with id {subscription_id}", field="id")
    return subscription


def list_subscriptions(
    *, session: Session, user: User, limit: int, offset: int
) -> tuple[list[Subscription], int]:
    """The user's active subscriptions, oldest first."""
    statement = (
        select(Subscription)
        .where(col(Subscription.user_id) == user.id, col(Subscription.active))
        .order_by(col(Subscription.id))
    )
    return fetch_page(session, statement, limit=limit, offset=offset)


def cancel(*, session: Session, subscription: Subscription) -> None:
    """Stop a subscription; its history of deliveries stays."""
    if not subscription.active:
        raise Conflict(f"subscription {subscription.id} is already cancelled", field="id")
    subscription.active = False
    session.add(subscription)
    session.flush()


def deliveries(
    *, session: Session, subscription: Subscription, limit: int, offset: int
) -> tuple[list[WebhookDelivery], int]:
    """A webhook's deliveries, newest first."""
    statement = (
        select(WebhookDelivery)
        .where(col(WebhookDelivery.subscription_id) == subscription.id)
        .order_by(col(WebhookDelivery.id).desc())
    )
    return fetch_page(session, statement, limit=limit, offset=offset)


def redeliver(
    *, session: Session, subscription: Subscription, delivery_id: int, now: datetime
) -> WebhookDelivery:
    """Send an event again (same id), now."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        raise NotFound(f"no delivery {delivery_id} for subscription {subscription.id}", field="id")
    delivery.status, delivery.next_attempt_at = "pending", now
    session.add(delivery)
    session.flush()
    return delivery


def open_deadlines(
    *, session: Session, author: str | None, tag: str | None, base_url: str | None
) -> list[Deadline]:
    """Deadlines of predictions still awaiting a verdict, for the calendar feed."""
    statement = (
        select(Prediction, Author.slug)
        .join(Author, col(Author.id) == col(Prediction.author_id))
        .where(col(Prediction.status).in_(OPEN_STATUSES))
        .order_by(col(Prediction.resolve_by))
    )
    if author:
        statement = statement.where(col(Author.slug) == author)
    if tag:
        tagged = select(col(PredictionTag.prediction_id)).where(col(PredictionTag.tag) == tag)
        statement = statement.where(col(Prediction.id).in_(tagged))
    pages = Links(base_url)
    return [
        Deadline(p.id or 0, slug, p.claim, p.resolve_by, pages.prediction_page(p.id or 0))
        for p, slug in session.execute(statement)
    ]
