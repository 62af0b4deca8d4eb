"""Stored default track records (issue 16): `hindsight scores refresh` fills them, the fast
path serves one while the author's version stands, exactly as the route would, and a verdict
makes it stale until the next refresh."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from app.cli import app as cli
from app.scoring import service, stored
from tests.scoring.test_fastpath import RECORD, _log, _resolve, _seen_moving

BOB = "/api/v1/authors/bob-jones/track-record"


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The track records rendered (by the route or by a refresh)."""
    seen: list[str] = []
    original = service.track_record

    def counted(**kwargs: Any) -> Any:
        seen.append(kwargs["author"].slug)
        return original(**kwargs)

    monkeypatch.setattr(service, "track_record", counted)
    return seen


@pytest.fixture
def two_authors(client: TestClient, editor_headers: dict[str, str]) -> int:
    ann = _log(client, editor_headers, 1, probability=0.9)
    _resolve(client, editor_headers, ann, "true")
    _log(client, editor_headers, 2, author="Bob Jones")
    return _log(client, editor_headers, 3)


def test_refresh_stores_each_stale_author_once(
    engine: Engine, two_authors: int, renders: list[str]
) -> None:
    assert len(stored.stale_authors(engine)) == 2
    assert stored.refresh(engine, limit=1) == 1
    assert stored.refresh(engine) == 1
    assert stored.refresh(engine) == 0
    assert sorted(renders) == ["ann-smith", "bob-jones"]


def test_a_stored_record_is_the_routes_answer_without_a_render(
    client: TestClient,
    engine: Engine,
    two_authors: int,
    renders: list[str],
    viewer_headers: dict[str, str],
) -> None:
    stored.refresh(engine)
    renders.clear()
    served = client.get(RECORD)
    assert renders == []
    routed = client.get(RECORD, headers=viewer_headers)  # credentials: always the route
    assert renders == ["ann-smith"]
    assert served.status_code == routed.status_code == 200
    assert served.content == routed.content
    assert served.headers.items() == routed.headers.items()
    etag = served.headers["etag"]
    assert client.get(RECORD, headers={"If-None-Match": etag}).status_code == 304


def test_a_verdict_makes_the_stored_record_stale_until_refreshed(
    client: TestClient,
    other: TestClient,
    engine: Engine,
    two_authors: int,
    editor_headers: dict[str, str],
    renders: list[str],
) -> None:
    stored.refresh(engine)
    before = other.get(RECORD).json()
    generation = other.app.state.score_generation.current()  # type: ignore[attr-defined]
    _resolve(client, editor_headers, two_authors, "false")
    assert stored.stale_authors(engine) != []
    _seen_moving(other, generation)  # the other process hears of the verdict (NOTIFY on PG)
    renders.clear()
    after = other.get(RECORD).json()
    assert renders == ["ann-smith"]
    assert after["counts"]["resolved"] == before["counts"]["resolved"] + 1
    assert stored.refresh(engine) == 1
    assert stored.stale_authors(engine) == []


def test_a_filtered_record_is_never_the_stored_one(
    client: TestClient, engine: Engine, two_authors: int, renders: list[str]
) -> None:
    stored.refresh(engine)
    renders.clear()
    assert client.get(f"{RECORD}?basis=stated").status_code == 200
    assert renders == ["ann-smith"]


def test_the_cli_refreshes_what_an_import_left(
    engine: Engine,
    two_authors: int,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.config import get_settings

    monkeypatch.setenv("HINDSIGHT_DATABASE_URL", database_url)
    get_settings.cache_clear()
    result = CliRunner().invoke(cli, ["scores", "refresh"])
    get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "refreshed 2 stored track records" in result.output
    assert stored.stale_authors(engine) == []


def test_without_its_reader_the_route_renders_the_record(
    client: TestClient, engine: Engine, two_authors: int, renders: list[str]
) -> None:
    stored.refresh(engine)
    renders.clear()
    client.app.state.stored_reader = stored.NoReader()  # type: ignore[attr-defined]
    assert client.get(RECORD).status_code == 200
    assert renders == ["ann-smith"]


def test_a_lost_reader_connection_is_the_routes_until_it_reconnects(
    client: TestClient, engine: Engine, two_authors: int, renders: list[str]
) -> None:
    stored.refresh(engine)
    reader = client.app.state.stored_reader  # type: ignore[attr-defined]
    assert client.portal.call(reader.answer, "ann-smith") is not None  # type: ignore[union-attr]
    client.portal.call(reader.close)  # type: ignore[union-attr]
    if isinstance(reader, stored.PostgresReader):
        for slot in reader.slots:
            slot.retry_at = 0.0  # reconnects at the next read
        assert client.portal.call(reader.answer, "ann-smith") is not None  # type: ignore[union-attr]
    else:
        assert client.portal.call(reader.answer, "ann-smith") is None  # type: ignore[union-attr]
