"""Cached track records and leaderboards expire exactly when what they show changes: every
kind of write, one after another, with the cached answers compared against fresh renders."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.predictions import service as predictions
from app.scoring import rows
from app.scoring import service as scoring
from app.scoring.cache import ResponseCache
from app.scoring.generation import Unknown
from tests.conftest import MovableClock

URL = "/api/v1/predictions"
RECORD = "/api/v1/authors/ann-smith/track-record"
SVG = "/api/v1/authors/ann-smith/calibration.svg"
BOARD = "/api/v1/leaderboard?min_resolved=1"
TAGGED = "/api/v1/leaderboard?min_resolved=1&tag=t"
PATHS = (RECORD, SVG, BOARD, TAGGED)
EVERYTHING = frozenset(PATHS)


@dataclass
class Step:
    """A write, what it changes, and what may expire without changing (known and cheap)."""

    name: str
    write: Callable[[], None]
    changes: frozenset[str]
    expires: frozenset[str] = field(default_factory=frozenset)


@pytest.fixture
def fresh(engine: Engine, settings: Settings, clock: MovableClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock=clock)) as test_client:
        # The reference renders afresh: no replays (another process's writes reach this
        # one's fast path only once their NOTIFY has arrived, on PostgreSQL).
        test_client.app.state.score_generation = Unknown()  # type: ignore[attr-defined]
        yield test_client


def _log(client: TestClient, headers: dict, author: str, n: int, **fields: Any) -> int:
    body = {
        "author": {"name": author},
        "source": {
            "url": f"https://e.example/{n}",
            "title": "A",
            "published_at": "2025-01-15T00:00:00Z",
        },
        "quote": f"quote {n}",
        "claim": f"claim {n}",
        "resolve_by": "2025-06-30",
        "probability": 0.6,
        **fields,
    }
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _ok(response: Any) -> None:
    assert response.status_code in (200, 201), response.text


def _answers(client: TestClient) -> dict[str, tuple[str, bytes]]:
    found = {}
    for path in PATHS:
        response = client.get(path)
        assert response.status_code == 200, response.text
        found[path] = (response.headers["etag"], response.content)
    return found


def _rendered_afresh(client: TestClient) -> dict[str, bytes]:
    client.app.state.score_cache = ResponseCache()  # type: ignore[attr-defined]
    scoring.forget_moments()
    return {path: body for path, (_, body) in _answers(client).items()}


def test_each_write_expires_exactly_the_answers_it_changes(
    client: TestClient,
    fresh: TestClient,
    editor_headers: dict,
    admin_headers: dict,
    engine: Engine,
    clock: MovableClock,
) -> None:
    h = editor_headers
    ann = _log(client, h, "Ann Smith", 1, probability=0.9, tags=["t"], question="q1")
    _ok(client.post(f"{URL}/{ann}/resolution", json={"outcome": "true"}, headers=h))
    ids: dict[str, int] = {}

    def log(key: str, author: str, n: int, **fields: Any) -> Callable[[], None]:
        return lambda: ids.__setitem__(key, _log(client, h, author, n, **fields))

    def verdict(key: str, outcome: str, supersede: bool = False) -> Callable[[], None]:
        def write() -> None:
            body: dict[str, Any] = {"outcome": outcome}
            if supersede:
                detail = client.get(f"{URL}/{ids[key]}").json()
                body["supersedes"] = detail["resolutions"][-1]["id"]
            _ok(client.post(f"{URL}/{ids[key]}/resolution", json=body, headers=h))

        return write

    def patch(pid: int, **body: Any) -> Callable[[], None]:
        return lambda: _ok(client.patch(f"{URL}/{pid}", json={**body, "reason": "r"}, headers=h))

    def sweep() -> None:
        clock.advance(days=60)
        generation = client.app.state.score_generation  # type: ignore[attr-defined]
        before = generation.current()
        with Session(engine) as session:  # another engine: as the scheduler's own process
            assert predictions.mark_due(session=session, today=clock.now().date()) == 1
            session.commit()
        # On PostgreSQL another process's commit reaches the app with its NOTIFY, a moment
        # after the commit returns (docs/deployment.md): wait for it, as a next request would.
        assert any(generation.current() != before for _ in range(100_000))

    def imported() -> None:
        row = {
            "author": "Cy Doe",
            "quote": "q",
            "claim": "c",
            "probability": "0.3",
            "resolve_by": "2025-06-30",
            "tags": "t",
            "outcome": "false",
            "resolved_on": "2025-07-01",
            "source_url": "https://e.example/import",
            "source_title": "I",
            "published_at": "2025-01-15T00:00:00Z",
        }
        response = client.post(
            f"{URL}/import",
            content=json.dumps(row).encode(),
            headers={**h, "Content-Type": "application/x-ndjson"},
        )
        _ok(response)

    def snooze() -> None:
        body = {"until": "2026-12-01", "reason": "not knowable yet"}
        _ok(client.post(f"{URL}/{ids['due']}/snooze", json=body, headers=h))

    def rename() -> None:
        body = {"name": "Ann Smythe"}
        _ok(client.patch("/api/v1/authors/ann-smith", json=body, headers=h))

    def withdraw() -> None:
        body = {"reason": "misattributed"}
        _ok(client.post(f"{URL}/{ann}/withdraw", json=body, headers=admin_headers))

    svg, boards = frozenset({SVG}), frozenset({BOARD, TAGGED})
    mine, scored_mine = frozenset({RECORD}), frozenset({RECORD, SVG, BOARD})
    steps = [
        Step("another author logs", log("bob", "Bob Jones", 2), frozenset()),
        Step(
            "she logs an open one", log("open", "Ann Smith", 3, resolve_by="2026-12-31"), mine, svg
        ),
        Step("she logs a due one", log("due", "Ann Smith", 4, tags=["t"]), mine, svg),
        Step("a snooze", snooze, mine, svg),
        Step("another forecasts her question", log("q", "Bob Jones", 5, question="q1"), mine, svg),
        Step("a verdict on another author", verdict("bob", "true"), frozenset({BOARD}), boards),
        Step("a verdict on hers", verdict("due", "false"), EVERYTHING),
        Step("superseded by void", verdict("due", "void", supersede=True), EVERYTHING),
        Step("a claim corrected", patch(ann, claim="a better claim"), frozenset()),
        Step(
            "a scored one retagged",
            patch(ann, tags=["u"]),
            frozenset({RECORD, TAGGED}),
            boards | svg,
        ),
        Step("a scored probability corrected", patch(ann, probability=0.8), scored_mine, boards),
        Step("the author renamed", rename, scored_mine, boards),
        Step("the sweep makes hers due", sweep, mine, svg),
        Step("an import by someone else", imported, boards),
        Step("a scored one withdrawn", withdraw, scored_mine, boards),
    ]
    before = _answers(client)
    assert _rendered_afresh(fresh) == {p: body for p, (_, body) in before.items()}
    for step in steps:
        step.write()
        cached = _answers(client)
        current = _rendered_afresh(fresh)
        assert {p: body for p, (_, body) in cached.items()} == current, step.name
        changed = {p for p in PATHS if current[p] != before[p][1]}
        expired = {p for p in PATHS if cached[p][0] != before[p][0]}
        assert changed == step.changes, step.name
        assert step.changes <= expired <= step.changes | step.expires, step.name
        before = cached
    with engine.connect() as connection:
        assert rows.mismatches(connection) == []
