"""Webhook events: signed per Standard Webhooks, written to an outbox, retried, redelivered."""

import random
from datetime import UTC, datetime, timedelta

import httpx
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.notifications import webhooks
from tests.notifications.conftest import Receiver, outbox_due_at, signed_by
from tests.predictions.conftest import prediction_body


def subscribe(client: TestClient, headers: dict, url: str, **extra: object) -> dict:
    body = {
        "channel": "webhook",
        "url": url,
        "events": ["prediction.logged", "prediction.resolved"],
        **extra,
    }
    response = client.post("/api/v1/subscriptions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_signatures_match_the_standardwebhooks_package() -> None:
    secret = webhooks.new_secret()
    body = b'{"id":"evt_1","type":"prediction.logged","data":{}}'
    sent_at = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    headers = webhooks.headers_for(
        secret, msg_id="evt_1", timestamp=int(sent_at.timestamp()), body=body
    )
    # The reference implementation (standardwebhooks) computes the signature we must send.
    assert headers["webhook-timestamp"] == str(int(sent_at.timestamp()))
    assert signed_by(secret, body, headers)
    assert not signed_by(secret, body, {**headers, "webhook-id": "evt_2"})
    assert not signed_by(webhooks.new_secret(), body, headers)


def test_events_reach_a_real_receiver_signed(
    client: TestClient,
    editor_headers: dict,
    receiver: Receiver,
    engine: Engine,
) -> None:
    created = subscribe(client, editor_headers, receiver.url, tags=["ukraine"])
    assert created["secret"].startswith("whsec_")
    pid = client.post("/api/v1/predictions", json=prediction_body(), headers=editor_headers).json()[
        "id"
    ]
    client.post(
        "/api/v1/predictions",
        json=prediction_body(quote="x", tags=["other"]),
        headers=editor_headers,
    )
    client.post(
        f"/api/v1/predictions/{pid}/resolution", json={"outcome": "true"}, headers=editor_headers
    )
    sent_at = outbox_due_at(engine)
    with httpx.Client() as http:
        assert (
            webhooks.deliver_due(engine=engine, client=http, now=sent_at, allow_private=True) == 2
        )
    assert [b["type"] for b in receiver.bodies()] == ["prediction.logged", "prediction.resolved"]
    for headers, body in receiver.requests:
        assert signed_by(created["secret"], body, headers)
        assert headers["webhook-timestamp"] == str(int(sent_at.timestamp()))
    deliveries = client.get(
        f"/api/v1/subscriptions/{created['id']}/deliveries", headers=editor_headers
    ).json()
    assert {d["status"] for d in deliveries["items"]} == {"delivered"}


def test_failures_back_off_then_give_up_after_a_day(
    client: TestClient,
    editor_headers: dict,
    receiver: Receiver,
    engine: Engine,
) -> None:
    receiver.status_for = lambda n: 500
    created = subscribe(client, editor_headers, receiver.url)
    client.post("/api/v1/predictions", json=prediction_body(), headers=editor_headers)
    now, rng = outbox_due_at(engine), random.Random(1)
    gaps = []
    with httpx.Client() as http:
        for _ in range(40):
            webhooks.deliver_due(engine=engine, client=http, now=now, allow_private=True, rng=rng)
            item = client.get(
                f"/api/v1/subscriptions/{created['id']}/deliveries", headers=editor_headers
            ).json()["items"][0]
            if item["status"] == "failed":
                break
            following = datetime.fromisoformat(item["next_attempt_at"])
            gaps.append(following - now)
            now = following
    assert item["status"] == "failed"
    assert item["last_status_code"] == 500
    assert gaps[1] > gaps[0]  # the wait grows
    assert max(gaps) <= webhooks.MAX_BACKOFF
    assert len(set(receiver.event_ids())) == 1  # the same event id on every attempt
    redone = client.post(
        f"/api/v1/subscriptions/{created['id']}/deliveries/{item['id']}/redeliver",
        headers=editor_headers,
    )
    assert redone.json()["status"] == "pending"


def test_backoff_grows_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    waits = [webhooks.backoff(n, rng) for n in range(1, 12)]
    assert waits[0] <= timedelta(seconds=30)
    assert all(w <= webhooks.MAX_BACKOFF for w in waits)
    assert waits[5] > waits[0]
