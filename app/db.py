"""Engine factory and the session that the request or job boundary commits."""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from sqlalchemy import Select, event, func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from app.config import Settings

WRITE_OPTION = "hindsight_write"


def make_engine(settings: Settings) -> Engine:
    """An engine for the configured URL; SQLite gets WAL, foreign keys and a busy timeout.

    Waits for a pooled connection and for SQLite's write lock both end after
    `settings.pool_timeout`: the caller then answers 503 instead of queueing for long.
    """
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    timeout = settings.pool_timeout
    if settings.database_url.startswith("sqlite"):
        # An in-memory database has a single-connection pool that takes no timeout.
        pooled = {"pool_timeout": timeout} if path is not None else {}
        engine = create_engine(
            settings.database_url,
            connect_args={"check_same_thread": False, "timeout": timeout},
            **pooled,
        )
        event.listen(engine, "connect", partial(_sqlite_pragmas, busy_ms=round(timeout * 1000)))
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(
        settings.database_url,
        pool_pre_ping=True,
        pool_size=10,
        max_overflow=20,
        pool_timeout=timeout,
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any, *, busy_ms: int) -> None:
    # pysqlite's own transaction handling would defer BEGIN; we issue it ourselves below.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={busy_ms:d}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    # A writer takes the lock up front (BEGIN IMMEDIATE) so two writers queue on
    # busy_timeout instead of failing with "database is locked" when one upgrades a
    # read transaction; readers keep a plain deferred BEGIN and never wait under WAL.
    immediate = connection.get_execution_options().get(WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def begin_write(session: Session) -> None:
    """Mark the session as a writer before its first statement (matters on SQLite)."""
    session.connection(execution_options={WRITE_OPTION: True})


def write_session(engine: Engine) -> Session:
    """A writing session that takes a connection, and SQLite's write lock, only at its first
    statement: a request holds neither while its body arrives or a password is hashed."""
    return Session(engine.execution_options(**{WRITE_OPTION: True}))


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A writing session that commits on success and rolls back on error (jobs and the CLI)."""
    with Session(engine) as session:
        begin_write(session)
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def fetch_page(
    session: Session, statement: Select[Any], *, limit: int, offset: int
) -> tuple[list[Any], int]:
    """One page of a query's rows and the count of all rows it matches."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    rows = session.scalars(statement.limit(limit).offset(offset)).all()
    return list(rows), int(total or 0)
