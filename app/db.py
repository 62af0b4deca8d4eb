"""Engine factory and the session that the request or job boundary commits."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any, cast

import psycopg
from sqlalchemy import Select, Table, event, func, insert, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel, create_engine

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


def table_of(model: type[SQLModel]) -> Table:
    """The table behind a table model."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """Ids for `count` new rows of the table, taken before inserting them in bulk."""
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sequence = f"pg_get_serial_sequence('{table.name}', 'id')"
        statement = text(f"SELECT nextval({sequence}) FROM generate_series(1, :n)")  # noqa: S608
        return list(session.scalars(statement, {"n": count}))
    # SQLite: this transaction holds the write lock (BEGIN IMMEDIATE), so max(id) stays ours.
    top = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(top + 1, top + 1 + count))


def bulk_insert(session: Session, table: Table, records: list[dict[str, Any]]) -> None:
    """Insert many rows in the session's transaction: COPY on PostgreSQL, executemany on SQLite."""
    if not records:
        return
    if session.get_bind().dialect.name != "postgresql":
        session.execute(insert(table), records)
        return
    columns = list(records[0])
    raw = cast(psycopg.Connection[Any], session.connection().connection.dbapi_connection)
    names = ", ".join(f'"{c}"' for c in columns)
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for record in records:
            copy.write_row([_copyable(record[c]) for c in columns])


def _copyable(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, list | dict) else value
