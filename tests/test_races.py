"""Parallel requests at a live server: no 500s, no double records, score rows that verify.

Every race opens its connections first, then releases all requests at one barrier. On
SQLite writers queue on BEGIN IMMEDIATE; the PostgreSQL pass is where requests truly race.
"""

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from alembic import command
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from app.cli import alembic_config
from app.config import Settings
from app.errors import install_error_handlers
from app.main import create_app
from app.models import (
    Author,
    Outlet,
    Prediction,
    PredictionRevision,
    Resolution,
    Role,
    Source,
    WebhookDelivery,
)
from app.scoring import rows as scores
from tests.conftest import MovableClock, make_key
from tests.live import Call, race, serving
from tests.predictions.conftest import SOURCE, prediction_body

API = "/api/v1"
PARALLEL = 8


@pytest.fixture
def live(engine: Engine, settings: Settings, clock: MovableClock) -> Iterator[str]:
    with serving(create_app(settings, clock=clock)) as base_url:
        yield base_url


def statuses(responses: list[httpx.Response]) -> Counter[int]:
    return Counter(r.status_code for r in responses)


def count(engine: Engine, model: type, *where: Any) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def assert_scores_verify(engine: Engine) -> None:
    """What `hindsight scores verify` checks: the kept score rows equal a recomputation."""
    with engine.connect() as connection:
        assert scores.mismatches(connection) == []


def post(client_headers: dict[str, str], base_url: str, path: str, body: Any) -> dict[str, Any]:
    response = httpx.post(f"{base_url}{path}", json=body, headers=client_headers, timeout=30)
    assert response.status_code in (200, 201), response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_eight_requests_creating_one_author_leave_one_row_and_409s_naming_it(
    live: str, engine: Engine, editor_headers: dict[str, str]
) -> None:
    calls = [Call("POST", f"{API}/authors", {"name": "Ann Race"})] * PARALLEL
    responses = race(live, editor_headers, calls)
    assert statuses(responses) == {201: 1, 409: PARALLEL - 1}
    winner = next(r.json() for r in responses if r.status_code == 201)
    for refused in (r.json() for r in responses if r.status_code == 409):
        assert (refused["slug"], refused["id"]) == ("ann-race", winner["id"])
        assert "'ann-race' exists already" in refused["detail"]
    assert count(engine, Author) == 1
    assert_scores_verify(engine)


def test_eight_requests_creating_one_outlet_leave_one_row(
    live: str, engine: Engine, editor_headers: dict[str, str]
) -> None:
    calls = [Call("POST", f"{API}/outlets", {"name": "Race Gazette"})] * PARALLEL
    responses = race(live, editor_headers, calls)
    assert statuses(responses) == {201: 1, 409: PARALLEL - 1}
    assert {r.json()["slug"] for r in responses} == {"race-gazette"}
    assert count(engine, Outlet) == 1


def test_eight_requests_recording_one_source_url_all_get_the_one_row(
    live: str, engine: Engine, editor_headers: dict[str, str]
) -> None:
    body = {"url": "https://race.example/story", "title": "A story", "outlet": {"name": "Race"}}
    responses = race(live, editor_headers, [Call("POST", f"{API}/sources", body)] * PARALLEL)
    assert statuses(responses) == {201: PARALLEL}
    assert len({r.json()["id"] for r in responses}) == 1
    assert (count(engine, Source), count(engine, Outlet)) == (1, 1)


def test_predictions_naming_one_new_author_and_source_inline_reuse_the_winners_rows(
    live: str, engine: Engine, editor_headers: dict[str, str]
) -> None:
    quotes = [f"the treaty will be signed in round {n}" for n in range(PARALLEL)]
    source = {**SOURCE, "text": "We heard that " + "; ".join(quotes) + "."}
    calls = [
        Call(
            "POST",
            f"{API}/predictions",
            prediction_body(author={"name": "Nina Inline"}, source=source, quote=q),
        )
        for q in quotes
    ]
    responses = race(live, editor_headers, calls)
    assert statuses(responses) == {201: PARALLEL}
    assert {r.json()["author"] for r in responses} == {"nina-inline"}
    assert (count(engine, Author), count(engine, Source), count(engine, Outlet)) == (1, 1, 1)
    assert count(engine, Prediction) == PARALLEL
    assert_scores_verify(engine)


def test_the_same_quote_logged_eight_times_at_once_is_one_prediction(
    live: str, engine: Engine, editor_headers: dict[str, str]
) -> None:
    calls = [Call("POST", f"{API}/predictions", prediction_body())] * PARALLEL
    responses = race(live, editor_headers, calls)
    assert statuses(responses) == {201: 1, 409: PARALLEL - 1}
    winner = next(r.json()["id"] for r in responses if r.status_code == 201)
    assert {r.json()["prediction_id"] for r in responses if r.status_code == 409} == {winner}
    assert count(engine, Prediction) == 1


QUOTES = ("no ceasefire will materialize", "practically guaranteeing", "a long war")


@pytest.fixture
def due(live: str, editor_headers: dict[str, str]) -> list[int]:
    """Three predictions past their deadline (the clock says 2026; they resolve by 2025)."""
    text = "no ceasefire will materialize, practically guaranteeing Ukraine a long war"
    source = post(editor_headers, live, f"{API}/sources", {**SOURCE, "text": text})
    bodies = [prediction_body(source=source["id"], quote=q) for q in QUOTES]
    return [post(editor_headers, live, f"{API}/predictions", b)["id"] for b in bodies]


def subscribe(base_url: str, headers: dict[str, str]) -> None:
    body = {
        "channel": "webhook",
        "url": "https://hooks.example.org/hindsight",
        "events": ["prediction.resolved"],
    }
    post(headers, base_url, f"{API}/subscriptions", body)


def test_eight_first_verdicts_on_each_prediction_leave_one_verdict_each(
    live: str, engine: Engine, editor_headers: dict[str, str], due: list[int]
) -> None:
    subscribe(live, editor_headers)
    for pid in due:
        body = {"outcome": "true", "note": "it happened"}
        calls = [Call("POST", f"{API}/predictions/{pid}/resolution", body)] * PARALLEL
        responses = race(live, editor_headers, calls)
        assert statuses(responses) == {201: 1, 409: PARALLEL - 1}
        winner = next(r.json()["resolution"]["id"] for r in responses if r.status_code == 201)
        for refused in (r.json() for r in responses if r.status_code == 409):
            assert refused["current_resolution_id"] == winner
            assert f"supersedes: {winner}" in refused["detail"]
        # The losers left nothing behind: one verdict, one history entry, one outbox event.
        assert count(engine, Resolution, Resolution.prediction_id == pid) == 1
        resolves = (PredictionRevision.prediction_id == pid, PredictionRevision.action == "resolve")
        assert count(engine, PredictionRevision, *resolves) == 1
    assert count(engine, WebhookDelivery, WebhookDelivery.event_type == "prediction.resolved") == 3
    assert_scores_verify(engine)


def test_racing_supersessions_of_one_verdict_leave_one_in_force(
    live: str, engine: Engine, editor_headers: dict[str, str], due: list[int]
) -> None:
    pid = due[0]
    first = post(editor_headers, live, f"{API}/predictions/{pid}/resolution", {"outcome": "true"})
    first_id = first["resolution"]["id"]
    body = {"outcome": "false", "supersedes": first_id, "note": "we had it wrong"}
    calls = [Call("POST", f"{API}/predictions/{pid}/resolution", body)] * PARALLEL
    responses = race(live, editor_headers, calls)
    assert statuses(responses) == {201: 1, 409: PARALLEL - 1}
    assert count(engine, Resolution, Resolution.prediction_id == pid) == 2
    detail = httpx.get(f"{live}{API}/predictions/{pid}", timeout=30).json()
    assert detail["outcome"] == "false"
    assert_scores_verify(engine)


def test_snoozes_racing_a_verdict_end_resolved_with_no_half_applied_change(
    live: str, engine: Engine, editor_headers: dict[str, str], due: list[int]
) -> None:
    pid = due[0]
    snooze = {"until": "2027-01-15", "reason": "the treaty text is not public yet"}
    verdict = {"outcome": "false", "note": "no ceasefire"}
    calls = [
        Call("POST", f"{API}/predictions/{pid}/snooze", snooze),
        Call("POST", f"{API}/predictions/{pid}/resolution", verdict),
    ] * (PARALLEL // 2)
    responses = race(live, editor_headers, calls)
    verdicts = statuses(responses[1::2])
    snoozes = statuses(responses[0::2])
    assert verdicts == {201: 1, 409: PARALLEL // 2 - 1}
    assert set(snoozes) <= {200, 409}
    detail = httpx.get(f"{live}{API}/predictions/{pid}", timeout=30).json()
    assert (detail["status"], detail["outcome"], detail["snoozed_until"]) == (
        "resolved",
        "false",
        None,
    )
    # Each answered change left one history entry; no refused request left any.
    revisions = count(engine, PredictionRevision, PredictionRevision.prediction_id == pid)
    assert revisions == snoozes[200] + 1
    assert_scores_verify(engine)


IMPORT_HEADER = (
    "author,outlet,source_url,source_title,published_at,quote,claim,resolution_criteria,"
    "probability,hedge,made_at,resolve_by,tags,outcome,resolved_on,evidence_url,note"
)


IMPORT_AUTHORS = [("Shared Author A", "true"), ("Shared Author B", "")]


def _import_file(n: int) -> bytes:
    """Two rows by the same two new authors; the sources and quotes are this file's own."""
    rows = [
        f"{author},Shared Desk,https://imports.example/{n}/{i},Story {n},2025-01-10,"
        f"take {n} by {author},Claim {n} of {author}.,,0.7,,,by June 2025,,{outcome},"
        f"{'2025-06-20' if outcome else ''},,"
        for i, (author, outcome) in enumerate(IMPORT_AUTHORS)
    ]
    return ("\n".join([IMPORT_HEADER, *rows]) + "\n").encode()


def test_four_imports_naming_the_same_new_authors_create_each_once(
    live: str, engine: Engine
) -> None:
    # One editor each: the import rate limit counts per key.
    keys = [make_key(engine, f"importer{n}@example.org", Role.editor) for n in range(4)]
    calls = [
        Call(
            "POST",
            f"{API}/predictions/import",
            content=_import_file(n),
            content_type="text/csv",
            headers={"Authorization": f"Bearer {key}"},
        )
        for n, key in enumerate(keys)
    ]
    responses = race(live, {}, calls)
    assert statuses(responses) == {200: 4}, [r.text for r in responses]
    assert sorted(r.json()["authors_created"] for r in responses) == [0, 0, 0, 2]
    assert (count(engine, Author), count(engine, Outlet)) == (2, 1)
    assert (count(engine, Source), count(engine, Prediction)) == (8, 8)
    assert count(engine, Resolution) == 4
    assert_scores_verify(engine)


def _second_first_verdict(engine: Engine, prediction_id: int) -> None:
    """Store a second verdict superseding nothing, past every service check."""
    with engine.begin() as connection:
        connection.execute(
            insert(Resolution).values(
                prediction_id=prediction_id,
                outcome="false",
                resolved_on=date(2026, 1, 5),
                evidence_urls=[],
                created_at=datetime(2026, 1, 5, tzinfo=UTC),
            )
        )


def test_the_database_itself_keeps_one_first_verdict_per_prediction(
    live: str, engine: Engine, editor_headers: dict[str, str], due: list[int]
) -> None:
    post(editor_headers, live, f"{API}/predictions/{due[0]}/resolution", {"outcome": "true"})
    refused = r"uq_resolution_first_verdict|resolution\.prediction_id"  # PostgreSQL | SQLite
    with pytest.raises(IntegrityError, match=refused):
        _second_first_verdict(engine, due[0])


def test_a_unique_violation_past_the_services_is_a_409_naming_the_record(engine: Engine) -> None:
    now = datetime(2026, 1, 5, tzinfo=UTC)
    row = {"slug": "ann-race", "name": "Ann", "links": [], "affiliations": []}
    with engine.begin() as connection:
        connection.execute(insert(Author).values(**row, created_at=now, updated_at=now))
    app = FastAPI()
    install_error_handlers(app)

    @app.post("/twice")
    def twice() -> None:
        with engine.begin() as connection:
            connection.execute(insert(Author).values(**row, created_at=now, updated_at=now))

    with TestClient(app) as client:
        response = client.post("/twice")
    assert response.status_code == 409
    assert "existing author record" in response.json()["detail"]
    assert "slug" in response.json()["detail"]


def test_migration_0007_refuses_to_run_over_two_first_verdicts(
    live: str, engine: Engine, database_url: str, editor_headers: dict[str, str], due: list[int]
) -> None:
    post(editor_headers, live, f"{API}/predictions/{due[0]}/resolution", {"outcome": "true"})
    config = alembic_config(database_url)
    command.downgrade(config, "0006")
    try:
        _second_first_verdict(engine, due[0])
        with pytest.raises(RuntimeError, match=rf"prediction {due[0]} \(2 first verdicts\)"):
            command.upgrade(config, "0007")
    finally:
        with engine.begin() as connection:
            connection.execute(delete(Resolution).where(Resolution.outcome == "false"))
        command.upgrade(config, "head")
