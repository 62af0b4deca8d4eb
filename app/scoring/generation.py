"""A per-process generation that moves whenever another connection may have changed scores
(issue 16): the fast path trusts a captured answer only while the generation it was captured
at still stands, so a cache hit needs no database round trip.

SQLite: `PRAGMA data_version` on a dedicated read-only connection, which changes when any
other connection commits (a few µs, no transaction). PostgreSQL: a connection that LISTENs on
CHANNEL, which the score write path NOTIFYs in the transaction (delivered at commit); each
request drains what arrived without blocking. Whenever the source is unknown (no file, the
listener disconnected) `current()` is None and requests go through the routes, which read the
versions from the database.
"""

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session

from app.config import Settings

log = logging.getLogger("hindsight")
CHANNEL = "hindsight_scores"
SCORES_MOVED = "hindsight_scores_moved"  # set in session.info by the statements that NOTIFY
RECONNECT_SECONDS = 5.0
CONNECT_TIMEOUT_SECONDS = 5


class Generation(Protocol):
    """Where the fast path learns that scores may have moved."""

    def current(self) -> int | None:
        """A number that changes after any other connection's commit; None when unknown."""

    def close(self) -> None:
        """Release the connection."""

    def committed(self) -> None:
        """This process committed: its own writes move the generation at once."""


class Unknown:
    """No source of generations (an in-memory database): every request takes the route."""

    def current(self) -> int | None:
        """Always unknown."""
        return None

    def close(self) -> None:
        """Nothing to release."""

    def committed(self) -> None:
        """Nothing to count."""


class SqliteGeneration:
    """`PRAGMA data_version` of a read-only connection that never commits itself."""

    def __init__(self, path: Path) -> None:
        uri = path.resolve().as_uri() + "?mode=ro"
        self._connection = sqlite3.connect(
            uri, uri=True, check_same_thread=False, isolation_level=None
        )

    def current(self) -> int | None:
        """The data version, moved by every commit of another connection."""
        try:
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0])

    def close(self) -> None:
        """Close the read-only connection."""
        self._connection.close()

    def committed(self) -> None:
        """Nothing to count: the data version sees this process's commits too."""


class PostgresGeneration:
    """A count of the NOTIFYs on CHANNEL seen by one listening connection."""

    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._connection: psycopg.Connection[tuple[object, ...]] | None = None
        self._count = 0
        self._commits = 0
        self._counting = threading.Lock()
        self._retry_at = 0.0
        self._reconnecting = threading.Lock()
        self._connect()

    def _connect(self) -> None:
        try:
            connection = psycopg.connect(
                self._conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
            )
            connection.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error as exc:
            log.warning("score listener not connected (%s): score reads take the routes", exc)
            self._retry_at = time.monotonic() + RECONNECT_SECONDS
            return
        # Notifications sent while disconnected were lost: a new count expires what was seen.
        self._count += 1
        self._connection = connection

    def current(self) -> int | None:
        """The count after draining what has arrived; None while disconnected."""
        connection = self._connection
        if connection is None:
            self._reconnect_later()
            return None
        pgconn = connection.pgconn
        try:
            pgconn.consume_input()  # libpq's socket is non-blocking: this never waits
        except psycopg.Error:
            self._connection = None
            connection.close()
            return None
        while pgconn.notifies() is not None:
            self._count += 1
        return self._count + self._commits

    def committed(self) -> None:
        """Count a commit of this process: its NOTIFY reaches the listener a moment after the
        commit returns, and the writer's next read must not be answered before it."""
        with self._counting:
            self._commits += 1

    def _reconnect_later(self) -> None:
        """Connect again in a thread (never on the event loop), at most every few seconds."""
        if time.monotonic() < self._retry_at or not self._reconnecting.acquire(blocking=False):
            return
        self._retry_at = time.monotonic() + RECONNECT_SECONDS

        def run() -> None:
            try:
                self._connect()
            finally:
                self._reconnecting.release()

        threading.Thread(target=run, name="score-listener", daemon=True).start()

    def close(self) -> None:
        """Close the listening connection."""
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.close()


def follow_commits(engine: Engine, generation: Generation) -> Callable[[], None]:
    """Tell the generation of every commit on this engine that moved a score version (this
    process's own writes need not wait for their NOTIFY); returns the undo."""
    pool = engine.pool

    def after_commit(session: Session) -> None:
        # Writers bind to engine.execution_options(...), a proxy sharing the engine's pool.
        if session.info.pop(SCORES_MOVED, False) and getattr(session.bind, "pool", None) is pool:
            generation.committed()

    def after_rollback(session: Session) -> None:
        session.info.pop(SCORES_MOVED, None)

    event.listen(Session, "after_commit", after_commit)
    event.listen(Session, "after_rollback", after_rollback)

    def undo() -> None:
        event.remove(Session, "after_commit", after_commit)
        event.remove(Session, "after_rollback", after_rollback)

    return undo


def postgres_conninfo(settings: Settings) -> str | None:
    """The libpq connection string of a PostgreSQL database URL, else None."""
    url = make_url(settings.database_url)
    if url.get_backend_name() != "postgresql":
        return None
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def generation_for(settings: Settings) -> Generation:
    """The generation source for the configured database."""
    conninfo = postgres_conninfo(settings)
    if conninfo is not None:
        return PostgresGeneration(conninfo)
    path = settings.sqlite_path()
    if path is None:
        return Unknown()
    try:
        return SqliteGeneration(path)
    except sqlite3.Error as exc:
        log.warning("no SQLite data version (%s): score reads take the routes", exc)
        return Unknown()
