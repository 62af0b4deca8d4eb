"""The request boundary owns the transaction: it commits before the client hears back, holds
no connection while hashing, and a busy database answers 503 instead of queueing long."""

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session, SQLModel

from app.auth import service as auth
from app.config import Settings
from app.db import make_engine
from app.main import create_app
from app.models import Role
from tests.conftest import MovableClock, make_key
from tests.predictions.conftest import prediction_body
from tests.web.conftest import PASSWORD, make_user, sign_in


def test_a_write_is_committed_before_the_response_starts(
    engine: Any,
    settings: Settings,
    clock: MovableClock,
    editor_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    real_commit = Session.commit

    def commit(self: Session) -> None:
        real_commit(self)
        order.append("commit")

    monkeypatch.setattr(Session, "commit", commit)
    app = create_app(settings, clock=clock)

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        async def watched(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                order.append("response")
            await send(message)

        await app(scope, receive, watched)

    with TestClient(recording) as client:  # type: ignore[arg-type]
        order.clear()
        response = client.post(
            "/api/v1/predictions", json=prediction_body(), headers=editor_headers
        )
    assert response.status_code == 201
    assert order.index("commit") < order.index("response")


def test_an_exhausted_pool_answers_503_with_retry_after(
    engine: Any, database_url: str, clock: MovableClock, viewer_headers: dict[str, str]
) -> None:
    settings = Settings(database_url=database_url, pool_timeout=0.2)
    with TestClient(create_app(settings, clock=clock)) as client:
        held = _exhaust(client.app.state.engine)  # type: ignore[attr-defined]
        try:
            response = client.get("/api/v1/me", headers=viewer_headers)
        finally:
            for connection in held:
                connection.close()
        assert client.get("/api/v1/me", headers=viewer_headers).status_code == 200
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert "busy" in response.json()["detail"]


def _exhaust(app_engine: Engine) -> list[Connection]:
    """Every connection the app's pool will hand out, checked out."""
    held: list[Connection] = []
    while True:
        try:
            held.append(app_engine.connect())
        except PoolTimeout:
            return held


def test_a_writer_kept_from_the_sqlite_lock_answers_503_well_before_30_s(
    tmp_path: Path, clock: MovableClock
) -> None:
    path = tmp_path / "locked.db"
    settings = Settings(database_url=f"sqlite:///{path}", pool_timeout=0.2)
    setup = make_engine(settings)
    SQLModel.metadata.create_all(setup)
    headers = {"Authorization": f"Bearer {make_key(setup, 'ed@example.org', Role.editor)}"}
    setup.dispose()
    other = sqlite3.connect(path, isolation_level=None)
    with TestClient(create_app(settings, clock=clock)) as client:
        other.execute("BEGIN IMMEDIATE")  # another process's writer holds the lock
        try:
            response = client.post("/api/v1/predictions", json=prediction_body(), headers=headers)
        finally:
            other.execute("ROLLBACK")
            other.close()
        after = client.post("/api/v1/predictions", json=prediction_body(), headers=headers)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert after.status_code == 201


def test_a_password_change_hashes_with_no_connection_checked_out(
    engine: Any, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    token = sign_in(client, "ed@example.org")
    seen = spy_on_hasher(monkeypatch, client.app.state.engine)  # type: ignore[attr-defined]
    form = {
        "csrf_token": token,
        "current_password": PASSWORD,
        "new_password": "a brand new passphrase",
        "new_password_again": "a brand new passphrase",
    }
    response = client.post("/account/password", data=form, follow_redirects=False)
    assert response.status_code == 303
    assert seen == [("verify", 0), ("hash", 0)]


def spy_on_hasher(monkeypatch: pytest.MonkeyPatch, app_engine: Engine) -> list[tuple[str, int]]:
    """Record, for each argon2 call, how many of the app's connections were checked out."""
    seen: list[tuple[str, int]] = []
    real = auth._hasher

    class Spy:
        def hash(self, password: str) -> str:
            seen.append(("hash", app_engine.pool.checkedout()))  # type: ignore[attr-defined]
            return real.hash(password)

        def verify(self, stored: str, password: str) -> bool:
            seen.append(("verify", app_engine.pool.checkedout()))  # type: ignore[attr-defined]
            return real.verify(stored, password)

        def check_needs_rehash(self, stored: str) -> bool:
            return real.check_needs_rehash(stored)

    monkeypatch.setattr(auth, "_hasher", Spy())
    return seen
