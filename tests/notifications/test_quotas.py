"""Quotas: active subscriptions per user (HINDSIGHT_MAX_SUBSCRIPTIONS) and fan-out per event."""

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.config import Settings
from app.main import create_app
from app.models import Prediction, Subscription, User, WebhookDelivery
from app.notifications import events
from tests.conftest import MovableClock
from tests.live import Call, race, serving
from tests.predictions.conftest import prediction_body

QUOTA = 3


def email(n: int) -> dict[str, str]:
    return {"channel": "email", "address": f"desk{n}@example.org"}


@pytest.fixture
def capped(engine: Engine, settings: Settings) -> Settings:
    return settings.model_copy(update={"max_subscriptions": QUOTA})


@pytest.fixture
def quota_client(capped: Settings, clock: MovableClock) -> Iterator[TestClient]:
    with TestClient(create_app(capped, clock=clock)) as client:
        yield client


def test_the_default_quota_is_twenty_active_subscriptions() -> None:
    assert Settings(_env_file=None).max_subscriptions == 20  # type: ignore[call-arg]


def test_one_past_the_quota_is_a_409_naming_the_limit_and_how_to_free_one(
    quota_client: TestClient, viewer_headers: dict[str, str]
) -> None:
    made = [
        quota_client.post("/api/v1/subscriptions", json=email(n), headers=viewer_headers)
        for n in range(QUOTA)
    ]
    assert [r.status_code for r in made] == [201] * QUOTA
    refused = quota_client.post("/api/v1/subscriptions", json=email(9), headers=viewer_headers)
    assert refused.status_code == 409
    detail = refused.json()["detail"]
    assert f"you have {QUOTA} active subscriptions" in detail
    assert "HINDSIGHT_MAX_SUBSCRIPTIONS" in detail
    assert "DELETE /api/v1/subscriptions/{id}" in detail


def test_cancelling_one_frees_its_place_and_other_users_have_their_own(
    quota_client: TestClient, viewer_headers: dict[str, str], editor_headers: dict[str, str]
) -> None:
    ids = [
        quota_client.post("/api/v1/subscriptions", json=email(n), headers=viewer_headers).json()[
            "id"
        ]
        for n in range(QUOTA)
    ]
    other = quota_client.post("/api/v1/subscriptions", json=email(7), headers=editor_headers)
    assert other.status_code == 201
    quota_client.delete(f"/api/v1/subscriptions/{ids[0]}", headers=viewer_headers)
    again = quota_client.post("/api/v1/subscriptions", json=email(8), headers=viewer_headers)
    assert again.status_code == 201


def test_parallel_subscriptions_never_pass_the_quota(
    engine: Engine, capped: Settings, clock: MovableClock, viewer_headers: dict[str, str]
) -> None:
    parallel = 8
    with serving(create_app(capped, clock=clock)) as base_url:
        calls = [Call("POST", "/api/v1/subscriptions", json=email(n)) for n in range(parallel)]
        codes = [r.status_code for r in race(base_url, viewer_headers, calls)]
    assert Counter(codes) == {201: QUOTA, 409: parallel - QUOTA}
    with Session(engine) as session:
        active = session.scalar(select(func.count()).where(col(Subscription.active)))
    assert active == QUOTA


def webhooks_for(engine: Engine, n: int, now: datetime) -> list[int]:
    """n webhook subscriptions to prediction.logged; their ids, oldest first."""
    with Session(engine) as session:
        user = User(email="many@example.org", role="viewer", created_at=now)
        session.add(user)
        session.flush()
        rows = [
            Subscription(
                user_id=user.id or 0,
                channel="webhook",
                url=f"https://hooks.example/{i}",
                secret="whsec_MTIzNDU2Nzg5MDEyMzQ1Ng==",
                events=["prediction.logged"],
                authors=[],
                tags=[],
                timezone="UTC",
                created_at=now,
            )
            for i in range(n)
        ]
        session.add_all(rows)
        session.commit()
        return [r.id or 0 for r in rows]


def test_an_event_reaches_at_most_max_fanout_webhooks_the_oldest_first(
    client: TestClient,
    editor_headers: dict[str, str],
    engine: Engine,
    clock: MovableClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ids = webhooks_for(engine, 5, clock.now())
    pid = client.post("/api/v1/predictions", json=prediction_body(), headers=editor_headers).json()[
        "id"
    ]
    with Session(engine) as session:
        session.execute(WebhookDelivery.__table__.delete())  # type: ignore[attr-defined]
        prediction = session.get(Prediction, pid)
        assert prediction is not None
        with caplog.at_level(logging.WARNING, logger="hindsight.webhooks"):
            written = events.emit(
                session, "prediction.logged", [prediction], clock.now(), max_fanout=3
            )
        session.flush()
        reached = list(session.scalars(select(col(WebhookDelivery.subscription_id))))
    assert written == 3
    assert sorted(reached) == ids[:3]
    assert "matched 5 webhooks: HINDSIGHT_MAX_FANOUT=3, the newest 2 get nothing" in caplog.text
