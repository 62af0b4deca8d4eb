"""Events about predictions, written to the webhook outbox in the transaction that caused them."""

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from app import links
from app.config import get_settings
from app.models import Author, Prediction, PredictionTag, Subscription
from app.notifications.webhooks import enqueue

log = logging.getLogger("hindsight.webhooks")


def _listeners(session: Session, event_type: str) -> list[Subscription]:
    rows = session.scalars(
        select(Subscription)
        .where(col(Subscription.active), col(Subscription.channel) == "webhook")
        .order_by(col(Subscription.id))
    )
    return [s for s in rows if event_type in s.events]


def listeners_of(session: Session, event_type: str) -> list[Subscription]:
    """The active webhooks that want this event, oldest first, at most HINDSIGHT_MAX_FANOUT."""
    return _bounded(_listeners(session, event_type), get_settings().max_fanout)


def has_listeners(session: Session, event_type: str) -> bool:
    """Whether any webhook wants this event (so a sweep can skip building payloads)."""
    return bool(_listeners(session, event_type))


def payload(prediction: Prediction, author: str, tags: list[str]) -> dict[str, Any]:
    """What a webhook says about a prediction."""
    return {
        "id": prediction.id,
        "author": author,
        "claim": prediction.claim,
        "probability": prediction.probability,
        "resolve_by": prediction.resolve_by.isoformat(),
        "status": prediction.status,
        "outcome": prediction.outcome,
        "resolved_on": prediction.resolved_on.isoformat() if prediction.resolved_on else None,
        "tags": tags,
        "links": links.current().prediction(prediction.id or 0, author),
    }


def emit(
    session: Session,
    event_type: str,
    predictions: list[Prediction],
    now: datetime,
    *,
    max_fanout: int | None = None,
) -> int:
    """Queue the event for every webhook whose filters match; returns the rows written.

    One event reaches at most max_fanout webhooks (HINDSIGHT_MAX_FANOUT), the oldest
    subscriptions first: the write that caused it stays fast whatever the subscribers do.
    """
    most = max_fanout or get_settings().max_fanout
    listeners = _listeners(session, event_type)
    if not listeners or not predictions:
        return 0
    ids = [p.id for p in predictions]
    author_ids = {p.author_id for p in predictions}
    authors = dict(
        session.execute(
            select(col(Author.id), col(Author.slug)).where(col(Author.id).in_(author_ids))
        ).all()
    )
    tags: dict[int, list[str]] = {}
    for pid, tag in session.execute(
        select(col(PredictionTag.prediction_id), col(PredictionTag.tag)).where(
            col(PredictionTag.prediction_id).in_(ids)
        )
    ):
        tags.setdefault(pid, []).append(tag)
    written = 0
    for prediction in predictions:
        author, own_tags = authors[prediction.author_id], sorted(tags.get(prediction.id or 0, []))
        matches = _bounded([s for s in listeners if _matches(s, author, own_tags)], most)
        if matches:
            data = payload(prediction, author, own_tags)
            written += len(
                enqueue(session, event_type=event_type, payload=data, matches=matches, now=now)
            )
    return written


def _bounded(matches: list[Subscription], most: int) -> list[Subscription]:
    """The first `most` matches; the rest are dropped, and the log says how many."""
    if len(matches) > most:
        log.warning(
            "an event matched %d webhooks: HINDSIGHT_MAX_FANOUT=%d, the newest %d get nothing",
            len(matches),
            most,
            len(matches) - most,
        )
    return matches[:most]


def _matches(subscription: Subscription, author: str, tags: list[str]) -> bool:
    if subscription.authors and author not in subscription.authors:
        return False
    return not subscription.tags or bool(set(subscription.tags) & set(tags))
