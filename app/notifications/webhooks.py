"""Standard Webhooks signing, and delivery from the outbox with backoff and jitter."""

import base64
import hashlib
import hmac
import json
import logging
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.db import session_scope
from app.models import Subscription, WebhookDelivery, utc_now
from app.outbound import (
    NotPublic,
    Refused,
    Resolver,
    checked_address,
    default_resolver,
    pinned_request,
)

log = logging.getLogger("hindsight.webhooks")

SECRET_PREFIX = "whsec_"
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=2)
BATCH = 100
TIMEOUT = httpx.Timeout(10.0, connect=5.0)
# What a subscriber may read of a failed attempt: no more than a receiver on the public
# internet would reveal, so a delivery log is no port scanner (issue 11).
NOT_PUBLIC = "refused: the host is not a public address; webhooks go to public hosts"
COULD_NOT_CONNECT = "could not connect"
TIMED_OUT = "timed out"
REDIRECTED = "HTTP 3xx: webhooks do not follow redirects; subscribe the final address"


def new_secret() -> str:
    """A fresh signing secret in the Standard Webhooks format."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def new_event_id() -> str:
    """A unique event id; receivers deduplicate by it."""
    return f"evt_{secrets.token_hex(12)}"


def sign(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: v1,base64(HMAC-SHA256(key, "id.timestamp.body")).

    See https://www.standardwebhooks.com/ (the key is the base64 part of `whsec_...`).
    """
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers_for(secret: str, *, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers and the content type."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, msg_id=msg_id, timestamp=timestamp, body=body),
        "content-type": "application/json",
    }


def body_of(delivery: WebhookDelivery) -> bytes:
    """The event as sent: the same bytes on every attempt."""
    event = {"id": delivery.event_id, "type": delivery.event_type, "data": delivery.payload}
    return json.dumps(event, separators=(",", ":"), sort_keys=True).encode()


def backoff(attempts: int, rng: random.Random) -> timedelta:
    """Exponential backoff with full jitter: up to 30 s × 2^(attempts−1), capped at 2 h."""
    ceiling = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_BACKOFF)
    return timedelta(seconds=ceiling.total_seconds() * (0.5 + rng.random() / 2))


def deliver_due(
    *,
    engine: Engine,
    client: httpx.Client,
    now: datetime,
    allow_private: bool,
    resolver: Resolver = default_resolver,
    rng: random.Random | None = None,
) -> int:
    """Send every pending delivery whose time has come; returns how many were acknowledged.

    The POST happens outside any transaction; its result is recorded right after. A crash
    between the receiver's 2xx and that record sends the event again, with the same id.
    Each POST passes the outbound guard again (allow_private: loopback and private targets
    too) and goes to the checked address; a redirect is a failed attempt, never followed.
    """
    rng = rng or random.Random()
    guard = _Guard(allow_private, resolver)
    acknowledged = 0
    for delivery_id in _due_ids(engine, now):
        attempt = _prepare(engine, delivery_id)
        if attempt is None:
            continue
        status, error = _post(client, attempt, now, guard)
        with session_scope(engine) as session:
            acknowledged += _record(session, delivery_id, status, error, now, rng)
    return acknowledged


def _due_ids(engine: Engine, now: datetime) -> list[int]:
    with Session(engine) as session:
        statement = (
            select(col(WebhookDelivery.id))
            .where(col(WebhookDelivery.status) == "pending")
            .where(col(WebhookDelivery.next_attempt_at) <= now)
            .order_by(col(WebhookDelivery.id))
            .limit(BATCH)
        )
        return [int(i or 0) for i in session.scalars(statement)]


def _prepare(engine: Engine, delivery_id: int) -> tuple[str, str, str, bytes] | None:
    """(url, secret, event id, body) of a pending delivery; None when there is nothing to send."""
    with session_scope(engine) as session:
        delivery = session.get(WebhookDelivery, delivery_id)
        if delivery is None or delivery.status != "pending":
            return None
        subscription = session.get(Subscription, delivery.subscription_id)
        if subscription is None or not subscription.active or not subscription.url:
            delivery.status, delivery.last_error = "failed", "the subscription is gone or inactive"
            return None
        return subscription.url, subscription.secret or "", delivery.event_id, body_of(delivery)


@dataclass(frozen=True)
class _Guard:
    allow_private: bool
    resolver: Resolver


def _post(
    client: httpx.Client, attempt: tuple[str, str, str, bytes], now: datetime, guard: _Guard
) -> tuple[int | None, str | None]:
    """(status class, error) of one POST; errors say no more than the public internet would."""
    url, secret, event_id, body = attempt
    headers = headers_for(secret, msg_id=event_id, timestamp=int(now.timestamp()), body=body)
    try:
        target = httpx.URL(url)
        address = checked_address(
            target, resolver=guard.resolver, allow_private=guard.allow_private
        )
    except NotPublic:
        return None, NOT_PUBLIC
    except (Refused, httpx.InvalidURL):
        return None, COULD_NOT_CONNECT
    request = pinned_request(
        client, "POST", target, address, headers=headers, timeout=TIMEOUT, content=body
    )
    try:
        # Streamed and closed unread: a receiver's body is never wanted, however large.
        response = client.send(request, stream=True, follow_redirects=False)
    except httpx.TimeoutException:
        return None, TIMED_OUT
    except httpx.HTTPError:
        return None, COULD_NOT_CONNECT
    response.close()
    return _answered(response.status_code)


def _answered(status: int) -> tuple[int, str | None]:
    """The status class (200, 300, 400, 500) and, unless 2xx, the error the subscriber sees."""
    kind = status // 100
    if kind == 2:
        return 200, None
    return kind * 100, REDIRECTED if kind == 3 else f"HTTP {kind}xx"


def _record(
    session: Session,
    delivery_id: int,
    status: int | None,
    error: str | None,
    now: datetime,
    rng: random.Random,
) -> int:
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != "pending":
        return 0
    delivery.attempts += 1
    delivery.last_status_code, delivery.last_error = status, error
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at = "delivered", utc_now()
        return 1
    _schedule_retry(delivery, now, rng)
    return 0


def _schedule_retry(delivery: WebhookDelivery, now: datetime, rng: random.Random) -> None:
    retry_at = now + backoff(delivery.attempts, rng)
    if retry_at - delivery.created_at > GIVE_UP_AFTER:
        delivery.status = "failed"
        log.warning("webhook %s failed after %d attempts", delivery.event_id, delivery.attempts)
        return
    delivery.next_attempt_at = retry_at


def enqueue(
    session: Session,
    *,
    event_type: str,
    payload: dict[str, Any],
    matches: list[Subscription],
    now: datetime,
) -> list[WebhookDelivery]:
    """Write one outbox row per subscription, in the caller's transaction."""
    event_id = new_event_id()
    rows = [
        WebhookDelivery(
            subscription_id=s.id or 0,
            event_id=event_id,
            event_type=event_type,
            payload=payload,
            status="pending",
            next_attempt_at=now,
            created_at=now,
        )
        for s in matches
    ]
    session.add_all(rows)
    session.flush()
    return rows
