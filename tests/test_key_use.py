"""An API key's last use is recorded at most once an hour, in its own short write."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from app.models import ApiKey
from tests.conftest import MovableClock
from tests.live import Call, race, serving


def prefix_of(headers: dict[str, str]) -> str:
    return headers["Authorization"].split("_")[1]  # "Bearer hs_<prefix>_<secret>"


def last_used(engine: Engine, prefix: str) -> object:
    with engine.connect() as connection:
        return connection.scalar(select(ApiKey.last_used_at).where(ApiKey.prefix == prefix))


def test_a_key_is_stamped_on_use_then_again_only_after_an_hour(
    client: TestClient, engine: Engine, editor_headers: dict[str, str], clock: MovableClock
) -> None:
    prefix = prefix_of(editor_headers)
    assert last_used(engine, prefix) is None
    assert client.get("/api/v1/me", headers=editor_headers).status_code == 200
    first = clock.now()
    assert last_used(engine, prefix) == first
    clock.advance(minutes=59)
    client.get("/api/v1/me", headers=editor_headers)
    assert last_used(engine, prefix) == first
    clock.advance(minutes=1)
    client.get("/api/v1/me", headers=editor_headers)
    assert last_used(engine, prefix) == first + timedelta(hours=1)


def test_parallel_first_uses_of_a_key_all_answer(
    engine: Engine, settings: Settings, editor_headers: dict[str, str], clock: MovableClock
) -> None:
    # Each would stamp the key: on SQLite a read transaction upgraded to a write failed with
    # "database is locked" (a 503) as soon as another request had written.
    calls = [Call("POST", "/api/v1/authors", {"name": f"Author {n}"}) for n in range(8)]
    with serving(create_app(settings, clock=clock)) as url:
        answers = race(url, editor_headers, calls)
    assert [r.status_code for r in answers] == [201] * 8
    assert last_used(engine, prefix_of(editor_headers)) == clock.now()
