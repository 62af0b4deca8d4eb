"""Each author's default track record stored with the author's version it was rendered at
(issue 16): an uncached read is then one indexed query, served while the version stands.

Kept fresh off the verdict's write path: `hindsight scores refresh` after an import, and the
scheduler's `refresh_track_records` job for authors whose version moved since.
"""

import asyncio
import sqlite3
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import psycopg
from sqlalchemy import Table, bindparam, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from app.config import Settings
from app.db import write_session
from app.models import Author, AuthorTrackRecord, AuthorVersion, utc_now
from app.scoring import service
from app.scoring.generation import CONNECT_TIMEOUT_SECONDS, RECONNECT_SECONDS, postgres_conninfo

DEFAULT = service.TrackQuery()
BATCH = 200
READER_CONNECTIONS = 4  # per process: round trips overlap, and max_connections barely moves
CURRENT = func.coalesce(col(AuthorVersion.version), 0)
_STALE = (
    select(col(Author.id))
    .outerjoin(AuthorVersion, col(AuthorVersion.author_id) == col(Author.id))
    .outerjoin(AuthorTrackRecord, col(AuthorTrackRecord.author_id) == col(Author.id))
    .where(
        or_(col(AuthorTrackRecord.author_id).is_(None), col(AuthorTrackRecord.version) != CURRENT)
    )
    .order_by(col(Author.id))
)
_VERSION_OF = (
    select(CURRENT)
    .select_from(Author)
    .outerjoin(AuthorVersion, col(AuthorVersion.author_id) == col(Author.id))
    .where(col(Author.id) == bindparam("author_id"))
)


_STORED_SQL = (
    "SELECT a.id, COALESCE(v.version, 0), r.version, r.body FROM author a "
    "JOIN author_track_record r ON r.author_id = a.id "
    "LEFT JOIN author_version v ON v.author_id = a.id WHERE a.slug = {mark}"
)
Answer = tuple[int, int, bytes]


def _current(found: Any) -> Answer | None:
    """(author id, version, body) when the stored body was rendered at the current version."""
    if found is None or int(found[1]) != int(found[2]):
        return None
    return int(found[0]), int(found[1]), str(found[3]).encode()


class StoredReader(Protocol):
    """One connection of its own per process: a stored body costs one query, not a pool
    checkout, a BEGIN and a threadpool hop."""

    async def answer(self, slug: str) -> Answer | None:
        """The current stored body of the author with this slug; None: the route's to answer."""

    async def close(self) -> None:
        """Release the connection."""


class NoReader:
    """No stored bodies (an in-memory database): the route answers."""

    async def answer(self, slug: str) -> Answer | None:
        """Always the route's."""
        return None

    async def close(self) -> None:
        """Nothing to release."""


class SqliteReader:
    """A read-only connection queried on the event loop: one indexed read, a few µs."""

    def __init__(self, path: Path) -> None:
        uri = path.resolve().as_uri() + "?mode=ro"
        self._connection = sqlite3.connect(
            uri, uri=True, check_same_thread=False, isolation_level=None
        )
        self._sql = _STORED_SQL.format(mark="?")

    async def answer(self, slug: str) -> Answer | None:
        """The body, read in one implicit read transaction."""
        try:
            return _current(self._connection.execute(self._sql, (slug,)).fetchone())
        except sqlite3.Error:
            return None

    async def close(self) -> None:
        """Close the connection."""
        self._connection.close()


class PostgresSlot:
    """One async connection and its cursor, reconnected at most every few seconds."""

    def __init__(self, conninfo: str) -> None:
        self.conninfo = conninfo
        self.connection: psycopg.AsyncConnection[tuple[Any, ...]] | None = None
        self.cursor: psycopg.AsyncCursor[tuple[Any, ...]] | None = None
        self.retry_at = 0.0

    async def answer(self, sql: str, slug: str) -> Answer | None:
        """The body; None whenever the connection fails (the route then answers)."""
        cursor = await self._cursor()
        if cursor is None:
            return None
        try:
            await cursor.execute(sql, (slug,), prepare=True)
            return _current(await cursor.fetchone())
        except psycopg.Error:
            await self.close()
            return None

    async def _cursor(self) -> psycopg.AsyncCursor[tuple[Any, ...]] | None:
        if self.connection is None and time.monotonic() >= self.retry_at:
            self.retry_at = time.monotonic() + RECONNECT_SECONDS
            try:
                self.connection = await psycopg.AsyncConnection.connect(
                    self.conninfo, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS
                )
            except psycopg.Error:
                return None
            self.cursor = self.connection.cursor()
        return self.cursor

    async def close(self) -> None:
        """Close the connection."""
        connection, self.connection, self.cursor = self.connection, None, None
        if connection is not None:
            await connection.close()


class PostgresReader:
    """A few async connections (no thread, no pool checkout): while one waits for its
    answer, the next request's query is already on its way."""

    def __init__(self, conninfo: str, size: int = READER_CONNECTIONS) -> None:
        self.slots = [PostgresSlot(conninfo) for _ in range(size)]
        self._free: asyncio.Queue[PostgresSlot] = asyncio.Queue()
        for slot in self.slots:
            self._free.put_nowait(slot)
        self._sql = _STORED_SQL.format(mark="%s")

    async def answer(self, slug: str) -> Answer | None:
        """The body from the first free connection."""
        slot = await self._free.get()
        try:
            return await slot.answer(self._sql, slug)
        finally:
            self._free.put_nowait(slot)

    async def close(self) -> None:
        """Close every connection."""
        for slot in self.slots:
            await slot.close()


def reader_for(settings: Settings) -> StoredReader:
    """The stored-body reader for the configured database."""
    conninfo = postgres_conninfo(settings)
    if conninfo is not None:
        return PostgresReader(conninfo)
    path = settings.sqlite_path()
    if path is None:
        return NoReader()
    try:
        return SqliteReader(path)
    except sqlite3.Error:
        return NoReader()


def render(connection: Connection, author: Author) -> bytes:
    """The default track record's body, exactly as the route renders it."""
    record = service.track_record(connection=connection, author=author, query=DEFAULT)
    return record.model_dump_json().encode()


def stale_authors(engine: Engine, *, limit: int | None = None) -> list[int]:
    """Ids of the authors without a body at their current version."""
    statement = _STALE if limit is None else _STALE.limit(limit)
    with engine.connect() as connection:
        return [int(author_id or 0) for author_id in connection.scalars(statement)]


def refresh(engine: Engine, *, limit: int | None = None) -> int:
    """Render and store the bodies of stale authors (at most `limit`); returns how many."""
    ids = stale_authors(engine, limit=limit)
    for start in range(0, len(ids), BATCH):
        rendered = [_rendered(engine, author_id) for author_id in ids[start : start + BATCH]]
        _store(engine, [body for body in rendered if body is not None])
    return len(ids)


def _rendered(engine: Engine, author_id: int) -> dict[str, Any] | None:
    # The version is read before the sums: a body is never older than the version it claims
    # (a newer one is harmless: that version no longer stands, so it is never served).
    with Session(engine) as session:
        version = int(session.execute(_VERSION_OF, {"author_id": author_id}).scalar() or 0)
        author = session.get(Author, author_id)
        if author is None:  # deleted meanwhile
            return None
        body = render(session.connection(), author)
    return {"author_id": author_id, "version": version, "body": body.decode()}


def _store(engine: Engine, bodies: Iterable[dict[str, Any]]) -> None:
    rows = [body | {"rendered_at": utc_now()} for body in bodies]
    if not rows:
        return
    table: Table = AuthorTrackRecord.__table__  # type: ignore[attr-defined]
    insert = pg_insert if engine.dialect.name == "postgresql" else sqlite_insert
    statement = insert(table)
    upsert = statement.on_conflict_do_update(
        index_elements=["author_id"],
        set_={name: statement.excluded[name] for name in ("version", "body", "rendered_at")},
    )
    with write_session(engine) as session:
        session.execute(upsert, rows)
        session.commit()
