"""An import obeys the create schema's limits and the verdict rules, and tells the webhooks."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.config import Settings
from app.models import WebhookDelivery
from app.notifications import events as outbox
from tests.predictions.conftest import prediction_body
from tests.predictions.test_transfer import GOOD, HEADER, URL, post_import

# The clock fixture's today is 2026-11-25; GOOD[0] was made 2025-01-10 with a verdict.
MADE = "2025-01-10"


def row(**cells: str) -> str:
    """GOOD[0] (Ann Smith's Fed cut, resolved true) with some cells replaced."""
    names = HEADER.strip().split(",")
    values = dict(zip(names, GOOD[0].strip().split(","), strict=True))
    return HEADER + ",".join({**values, **cells}[n] for n in names) + "\n"


def first_error(response) -> tuple[int, str, str]:
    assert response.status_code == 422, response.text
    error = response.json()["errors"][0]
    return error["row"], error["field"], error["message"]


def test_an_imported_verdict_dated_in_the_future_is_refused_as_the_api_refuses_it(
    client: TestClient, editor_headers: dict
) -> None:
    message = "resolved_on 2026-11-26 is in the future: give the date the outcome became known"
    imported = post_import(client, editor_headers, row(resolved_on="2026-11-26"))
    assert first_error(imported) == (2, "resolved_on", message)

    created = client.post(URL, json=prediction_body(), headers=editor_headers).json()
    verdict = client.post(
        f"{URL}/{created['id']}/resolution",
        json={"outcome": "true", "resolved_on": "2026-11-26"},
        headers=editor_headers,
    )
    assert (verdict.status_code, verdict.json()["detail"]) == (422, message)


def test_an_imported_verdict_before_the_prediction_was_made_is_refused(
    client: TestClient, editor_headers: dict
) -> None:
    response = post_import(client, editor_headers, row(resolved_on="2025-01-09"))
    message = f"resolved_on 2025-01-09 is before the prediction was made ({MADE})"
    assert first_error(response) == (2, "resolved_on", message)
    assert client.get(URL).json()["total"] == 0


def test_an_imported_verdict_on_the_day_it_was_made_is_taken(
    client: TestClient, editor_headers: dict
) -> None:
    response = post_import(client, editor_headers, row(resolved_on=MADE))
    assert response.status_code == 200, response.text
    assert client.get(f"{URL}?status=resolved").json()["items"][0]["resolved_on"] == MADE


@pytest.mark.parametrize("outcome", ["maybe", "resolved"])
def test_an_outcome_must_be_true_false_or_void(
    client: TestClient, editor_headers: dict, outcome: str
) -> None:
    response = post_import(client, editor_headers, row(outcome=outcome))
    assert first_error(response) == (
        2,
        "outcome",
        f"'{outcome}' is not an outcome: true, false or void",
    )


@pytest.mark.parametrize(
    ("field", "cells", "body"),
    [
        ("quote", {"quote": "q" * 5001}, {"quote": "q" * 5001}),
        ("claim", {"claim": "c" * 2001}, {"claim": "c" * 2001}),
        ("hedge", {"probability": "", "hedge": "h" * 201}, {"hedge": "h" * 201}),
        ("resolve_by", {"resolve_by": "w" * 201}, {"resolve_by": "w" * 201}),
        (
            "tags",
            {"tags": ";".join(f"t{i}" for i in range(21))},
            {"tags": [f"t{i}" for i in range(21)]},
        ),
        ("tags", {"tags": "bad/tag"}, {"tags": ["bad/tag"]}),
    ],
)
def test_a_row_over_a_create_limit_is_refused_like_a_create(
    client: TestClient, editor_headers: dict, field: str, cells: dict, body: dict
) -> None:
    imported = post_import(client, editor_headers, row(**cells))
    assert first_error(imported)[:2] == (2, field)
    created = client.post(URL, json=prediction_body(**body), headers=editor_headers)
    assert (created.status_code, created.json()["field"].split(".")[0]) == (422, field)


def test_a_row_at_the_create_limits_imports(client: TestClient, editor_headers: dict) -> None:
    tags = ";".join(f"t{i:02d}" for i in range(20))
    response = post_import(client, editor_headers, row(quote="q" * 5000, tags=tags))
    assert response.status_code == 200, response.text
    item = client.get(URL).json()["items"][0]
    assert (len(item["quote"]), len(item["tags"])) == (5000, 20)


def subscribe(client: TestClient, headers: dict, events: list[str], **extra: object) -> int:
    body = {"channel": "webhook", "url": "http://127.0.0.1:9/hook", "events": events, **extra}
    response = client.post("/api/v1/subscriptions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def queued(engine: Engine) -> list[tuple[int, str, str]]:
    """(subscription, event type, claim) of every delivery in the outbox."""
    with Session(engine) as session:
        rows = session.scalars(select(WebhookDelivery).order_by(col(WebhookDelivery.id)))
        return [(d.subscription_id, d.event_type, d.payload["claim"]) for d in rows]


def test_an_import_queues_the_webhook_events_of_each_log_and_verdict(
    client: TestClient, editor_headers: dict, engine: Engine
) -> None:
    every = subscribe(client, editor_headers, ["prediction.logged", "prediction.resolved"])
    fed = subscribe(client, editor_headers, ["prediction.resolved"], tags=["fed"])
    response = post_import(client, editor_headers, HEADER + "".join(GOOD))
    assert response.status_code == 200, response.text
    cut, rise, phone = (
        "The Fed cuts by June 2025.",
        "The S&P 500 ends 2025 higher.",
        "A 2 nm phone ships by 2026.",
    )
    assert sorted(queued(engine)) == sorted(
        [
            (every, "prediction.logged", cut),
            (every, "prediction.logged", rise),
            (every, "prediction.logged", phone),
            (every, "prediction.resolved", cut),
            (every, "prediction.resolved", rise),
            (fed, "prediction.resolved", cut),
        ]
    )


def test_an_imported_event_reaches_at_most_max_fanout_webhooks(
    client: TestClient,
    editor_headers: dict,
    engine: Engine,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ids = [subscribe(client, editor_headers, ["prediction.logged"]) for _ in range(3)]
    capped = settings.model_copy(update={"max_fanout": 2})
    monkeypatch.setattr(outbox, "get_settings", lambda: capped)
    assert post_import(client, editor_headers, HEADER + GOOD[2]).status_code == 200
    assert [s for s, _, _ in queued(engine)] == ids[:2]


def test_an_import_nobody_listens_to_loads_no_payloads(
    client: TestClient, editor_headers: dict, engine: Engine
) -> None:
    subscribe(client, editor_headers, ["prediction.due"])
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        assert post_import(client, editor_headers, HEADER + "".join(GOOD)).status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", record)
    assert any("prediction" in s for s in statements)  # the import's own, e.g. its ids
    # A payload needs the whole row (its claim); the import itself reads only ids and hashes.
    assert not [s for s in statements if "prediction.claim" in s]
    assert queued(engine) == []
