"""Score reads answered below FastAPI (issue 16): a replay is exactly the route's answer, costs
no database read, counts under the same rate limit, and expires when another connection
writes."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from app.scoring import rows
from app.scoring.generation import Unknown
from tests.conftest import MovableClock

URL = "/api/v1/predictions"
RECORD = "/api/v1/authors/ann-smith/track-record"
BOARD = "/api/v1/leaderboard?min_resolved=1"
ANSWERED = (RECORD, BOARD, f"{RECORD}?tag=t", f"{BOARD}&limit=5&unknown=1")


def _log(
    client: TestClient,
    headers: dict[str, str],
    n: int,
    probability: float = 0.7,
    author: str = "Ann Smith",
) -> int:
    body = {
        "author": {"name": author},
        "source": {"url": f"https://e.example/{n}", "published_at": "2025-01-15T00:00:00Z"},
        "quote": f"quote {n}",
        "claim": f"claim {n}",
        "resolve_by": "2025-06-30",
        "probability": probability,
        "tags": ["t"],
    }
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _resolve(client: TestClient, headers: dict[str, str], pid: int, outcome: str) -> None:
    response = client.post(f"{URL}/{pid}/resolution", json={"outcome": outcome}, headers=headers)
    assert response.status_code == 201, response.text


@pytest.fixture
def scored(client: TestClient, editor_headers: dict[str, str]) -> int:
    pid = _log(client, editor_headers, 1, probability=0.9)
    _resolve(client, editor_headers, pid, "true")
    return _log(client, editor_headers, 2)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The version reads the routes make (the fast path makes none)."""
    seen: list[str] = []
    by_author, board = rows.author_version, rows.version

    def author_version(connection: Any, slug: str) -> Any:
        seen.append(slug)
        return by_author(connection, slug)

    def version(connection: Any) -> int:
        seen.append("scores")
        return board(connection)

    monkeypatch.setattr(rows, "author_version", author_version)
    monkeypatch.setattr(rows, "version", version)
    return seen


def _settled(client: TestClient, path: str) -> Any:
    """The answer once the fast path holds it (a write's own notification may arrive first)."""
    client.get(path)
    return client.get(path)


def _seen_moving(client: TestClient, before: int | None) -> None:
    """Wait until this process's generation has moved (PostgreSQL delivers NOTIFY at commit,
    to the listener's socket, a moment after the writer's commit returns)."""
    generation = client.app.state.score_generation  # type: ignore[attr-defined]
    for _ in range(2000):
        if generation.current() != before:
            return
        client.get("/healthz")
    pytest.fail("the generation never moved after another engine's commit")


@pytest.mark.usefixtures("scored")
@pytest.mark.parametrize("path", list(ANSWERED))
def test_a_replay_is_the_routes_answer_byte_for_byte(
    client: TestClient, reads: list[str], path: str
) -> None:
    first = _settled(client, path)
    reads.clear()
    again = client.get(path)
    assert reads == []
    assert again.status_code == first.status_code == 200
    assert again.content == first.content
    assert again.headers.items() == first.headers.items()
    assert again.headers["x-frame-options"] == "DENY"


@pytest.mark.usefixtures("scored")
@pytest.mark.parametrize("path", [RECORD, BOARD])
def test_a_replayed_304_is_the_routes_304(
    client: TestClient, reads: list[str], path: str, viewer_headers: dict[str, str]
) -> None:
    etag = _settled(client, path).headers["etag"]
    reads.clear()
    replayed = client.get(path, headers={"If-None-Match": etag})
    assert reads == []
    routed = client.get(path, headers={"If-None-Match": etag, **viewer_headers})
    assert reads != []
    assert replayed.status_code == routed.status_code == 304
    assert replayed.content == routed.content == b""
    assert replayed.headers.items() == routed.headers.items()


def test_another_engines_verdict_is_seen_by_the_next_read(
    client: TestClient, other: TestClient, scored: int, editor_headers: dict[str, str]
) -> None:
    before = _settled(client, RECORD).json()
    generation = client.app.state.score_generation.current()  # type: ignore[attr-defined]
    _resolve(other, editor_headers, scored, "false")
    _seen_moving(client, generation)
    after = client.get(RECORD)
    assert after.json()["counts"]["resolved"] == before["counts"]["resolved"] + 1
    assert after.content == other.get(RECORD).content


def test_another_engines_verdict_moves_the_leaderboard(
    client: TestClient, other: TestClient, scored: int, editor_headers: dict[str, str]
) -> None:
    before = _settled(client, BOARD).json()
    generation = client.app.state.score_generation.current()  # type: ignore[attr-defined]
    _resolve(other, editor_headers, scored, "false")
    _seen_moving(client, generation)
    after = client.get(BOARD).json()
    assert after["items"][0]["resolved"] == before["items"][0]["resolved"] + 1


@pytest.mark.usefixtures("scored")
def test_the_rate_limit_counts_replays_as_the_route_does(client: TestClient) -> None:
    allowed = 120  # SCORES_LIMIT without a key: the first goes to the route, the rest replay
    answers = [client.get(RECORD).status_code for _ in range(allowed + 1)]
    assert answers == [200] * allowed + [429]
    refused = client.get(BOARD)
    assert refused.status_code == 429
    assert "too many score requests" in refused.json()["detail"]


@pytest.mark.usefixtures("scored")
def test_credentials_go_to_the_route(
    client: TestClient, reads: list[str], viewer_headers: dict[str, str]
) -> None:
    _settled(client, RECORD)
    reads.clear()
    assert client.get(RECORD, headers=viewer_headers).status_code == 200
    assert client.get(RECORD, headers={"Cookie": "hindsight_session=x"}).status_code == 200
    assert reads == ["ann-smith", "ann-smith"]


@pytest.mark.usefixtures("scored")
@pytest.mark.parametrize(
    ("path", "field"),
    [("/api/v1/leaderboard?min_resolved=0", "min_resolved"), (f"{RECORD}?since=soon", "since")],
)
def test_invalid_queries_get_the_routes_422(client: TestClient, path: str, field: str) -> None:
    for _ in range(2):
        response = client.get(path)
        assert response.status_code == 422
        assert field in response.text


def test_an_unknown_author_stays_a_404(client: TestClient) -> None:
    for _ in range(2):
        response = client.get("/api/v1/authors/nobody/track-record")
        assert response.status_code == 404
        assert response.json()["field"] == "slug"


@pytest.mark.usefixtures("scored")
def test_without_a_generation_every_read_takes_the_route(
    client: TestClient, reads: list[str]
) -> None:
    client.app.state.score_generation = Unknown()  # type: ignore[attr-defined]
    client.get(RECORD)
    client.get(RECORD)
    assert reads == ["ann-smith", "ann-smith"]


def test_private_reads_are_never_replayed(
    engine: Engine, database_url: str, clock: MovableClock, viewer_headers: dict[str, str]
) -> None:
    settings = Settings(database_url=database_url, public_reads=False)
    with TestClient(create_app(settings, clock=clock)) as private:
        assert private.get(BOARD, headers=viewer_headers).status_code == 200
        assert private.get(BOARD).status_code == 401
        assert private.get(BOARD).status_code == 401


def test_a_moved_generation_revalidates_with_one_read_not_a_render(
    client: TestClient,
    other: TestClient,
    scored: int,
    editor_headers: dict[str, str],
    reads: list[str],
) -> None:
    first = _settled(client, RECORD)
    bob = _log(other, editor_headers, 3, author="Bob Jones")
    generation = client.app.state.score_generation.current()  # type: ignore[attr-defined]
    _resolve(other, editor_headers, bob, "false")  # moves the scores, not Ann's record
    _seen_moving(client, generation)
    reads.clear()
    again = client.get(RECORD)
    assert reads == ["ann-smith"]
    assert again.content == first.content
    assert again.headers.items() == first.headers.items()
    reads.clear()
    client.get(RECORD)
    assert reads == []
