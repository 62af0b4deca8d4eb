"""The per-process generation moves with another connection's commit, not before it, and is
unknown (None) while it cannot be trusted."""

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine, write_session
from app.models import Author, utc_now
from app.scoring import rows
from app.scoring.generation import (
    Generation,
    PostgresGeneration,
    SqliteGeneration,
    Unknown,
    follow_commits,
    generation_for,
)


@pytest.fixture
def generation(engine: Engine, settings: Settings) -> Iterator[Generation]:
    found = generation_for(settings)
    yield found
    found.close()


def _author(engine: Engine) -> int:
    with Session(engine) as session:
        now = utc_now()
        author = Author(name="Ann Smith", slug="ann-smith", created_at=now, updated_at=now)
        session.add(author)
        session.commit()
        return int(author.id or 0)


def _moved_from(generation: Generation, before: int | None) -> bool:
    """Whether the generation moves (PostgreSQL delivers NOTIFY to the socket a moment after
    the commit returns: poll it, as requests would)."""
    return any(generation.current() != before for _ in range(20_000))


def test_the_source_suits_the_database(generation: Generation, engine: Engine) -> None:
    expected = PostgresGeneration if engine.dialect.name == "postgresql" else SqliteGeneration
    assert isinstance(generation, expected)
    assert generation.current() is not None


def test_a_version_touched_elsewhere_moves_it_only_at_commit(
    generation: Generation, engine: Engine
) -> None:
    author_id = _author(engine)
    before = generation.current()
    with Session(engine) as session:
        rows.touch_authors(session, [author_id])
        session.flush()
        assert generation.current() == before
        session.commit()
    assert _moved_from(generation, before)


def test_a_scores_bump_elsewhere_moves_it(generation: Generation, engine: Engine) -> None:
    with Session(engine) as session:
        rows.bump(session)
        session.commit()
    before = generation.current()
    with Session(engine) as session:
        rows.bump(session)
        session.commit()
    assert _moved_from(generation, before)


def test_a_lost_connection_is_unknown_until_it_reconnects(
    generation: Generation, engine: Engine
) -> None:
    if isinstance(generation, SqliteGeneration):
        generation.close()
        assert generation.current() is None
        return
    assert isinstance(generation, PostgresGeneration)
    before = generation.current()
    with engine.begin() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN hindsight_scores%' AND datname = current_database()"
            )
        )
    assert _seen_lost(generation)
    generation._connect()  # what the background reconnect does
    after = generation.current()
    assert after is not None
    assert after != before


def _seen_lost(generation: PostgresGeneration) -> bool:
    """Whether the listener notices its terminated connection: the server's goodbye reaches the
    socket a moment after pg_terminate_backend returns (longer on a busy machine), so each poll
    yields the processor before the next."""
    for _ in range(2_000):
        if generation.current() is None:
            return True
        time.sleep(0.005)
    return False


def test_an_in_memory_database_has_no_generation() -> None:
    assert isinstance(generation_for(Settings(database_url="sqlite://")), Unknown)
    assert Unknown().current() is None


class Counted:
    """A generation that counts what follow_commits tells it."""

    def __init__(self) -> None:
        self.commits = 0

    def current(self) -> int | None:
        return self.commits

    def close(self) -> None:
        pass

    def committed(self) -> None:
        self.commits += 1


def test_this_processs_commits_count_only_when_they_moved_a_version(
    engine: Engine, settings: Settings
) -> None:
    author_id = _author(engine)
    counted = Counted()
    unfollow = follow_commits(engine, counted)
    try:
        with write_session(engine) as session:  # a writer's bind is an engine proxy
            rows.touch_authors(session, [author_id])
            session.commit()
        with write_session(engine) as session:
            session.get(Author, author_id)
            session.commit()
        other = make_engine(settings)
        with Session(other) as session:  # another engine: its NOTIFY, not this hook
            rows.touch_authors(session, [author_id])
            session.commit()
        other.dispose()
    finally:
        unfollow()
    assert counted.commits == 1
