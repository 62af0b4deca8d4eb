"""Fixtures: a migrated database (SQLite, or PostgreSQL from HINDSIGHT_TEST_DATABASE_URL),
an app with a fixed clock, and clients holding keys of each role."""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import pytest
from alembic import command
from argon2 import PasswordHasher, profiles
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, SQLModel

from app import reactions
from app.auth import service as auth
from app.cli import alembic_config
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.models import Role
from app.scoring import service as scoring

# Tests call services directly too: wire the event reactions as every boundary does.
reactions.install()
# Apps built by tests run no background scheduler; tests run jobs themselves.
os.environ["HINDSIGHT_SCHEDULER_EMBEDDED"] = "false"
# argon2's defaults cost ~0.2 s of CPU a call, hundreds of times a run; the tests check when
# hashing happens and what is stored, not its strength (the CLI test still sees "$argon2").
auth._hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
PG_URL = os.environ.get("HINDSIGHT_TEST_DATABASE_URL")


def shared_path(*parts: str) -> Path:
    """A file beside the repository in ../shared; the test skips when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path.name} is not here: the tests read it from ../shared beside the repo")
    return path


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # In CI everything a test needs is there (../shared included): a skip hides a gap.
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter is not None else []
    if os.environ.get("CI") == "true" and skipped and exitstatus == 0:
        reporter.write_line(f"CI=true: {len(skipped)} tests were skipped; none may be", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "engine" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.db)


@dataclass
class MovableClock:
    """A clock tests can set and move."""

    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> None:
        self.current += timedelta(**delta)


def worker_database(url: str, worker: str) -> str:
    """This xdist worker's own PostgreSQL database beside `url`'s (test_gw0 for test), created
    when missing: workers must not truncate each other's tables."""
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        worker = os.environ.get("PYTEST_XDIST_WORKER")
        return worker_database(PG_URL, worker) if worker else PG_URL
    # Under xdist each worker has its own temporary directory, so its own SQLite file.
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def reset_schema(engine: Engine) -> None:
    """Drop everything, so migrations start from nothing."""
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            SQLModel.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(Settings(database_url=database_url))
    reset_schema(engine)
    command.upgrade(alembic_config(database_url), "head")
    yield engine
    engine.dispose()


def truncate_all(engine: Engine) -> None:
    """Empty every table between tests, ids restarting (the scores version restarts: forget
    cached sums). On PostgreSQL one batch of DELETEs and sequence restarts: the tables hold a
    few rows, and TRUNCATE's new files cost ten times as much, after every one of 800 tests."""
    scoring.forget_moments()
    deletes = [f'DELETE FROM "{t.name}"' for t in reversed(SQLModel.metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            restarts = [f'ALTER SEQUENCE "{name}" RESTART' for name in _sequences(engine)]
            connection.exec_driver_sql("; ".join(deletes + restarts))
            return
        for delete in deletes:
            connection.exec_driver_sql(delete)


@cache
def _sequences(engine: Engine) -> tuple[str, ...]:
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
        )
        return tuple(sorted(row[0] for row in found))


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    yield migrated_engine
    truncate_all(migrated_engine)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock(datetime(2026, 11, 25, 12, 0, tzinfo=UTC))


@pytest.fixture
def settings(database_url: str) -> Settings:
    # Test receivers listen on loopback, which only this setting lets webhooks reach.
    return Settings(database_url=database_url, public_reads=True, webhook_allow_private=True)


@pytest.fixture
def client(engine: Engine, settings: Settings, clock: MovableClock) -> Iterator[TestClient]:
    with TestClient(create_app(settings, clock=clock)) as test_client:
        yield test_client


def make_key(engine: Engine, email: str, role: Role) -> str:
    """A fresh API key for a user of this role."""
    with Session(engine) as session:
        user = auth.ensure_user(session=session, email=email, role=role)
        secret = auth.issue_key(session=session, user=user).secret
        session.commit()
    return secret


@pytest.fixture
def editor_headers(engine: Engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(engine, 'editor@example.org', Role.editor)}"}


@pytest.fixture
def admin_headers(engine: Engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(engine, 'admin@example.org', Role.admin)}"}


@pytest.fixture
def viewer_headers(engine: Engine) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_key(engine, 'viewer@example.org', Role.viewer)}"}
