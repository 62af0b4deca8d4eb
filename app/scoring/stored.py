"""Each author's default track record stored with the author's version it was rendered at
(issue 16): an uncached read is then one indexed query, served while the version stands.

Kept fresh off the verdict's write path: `hindsight scores refresh` after an import, and the
scheduler's `refresh_track_records` job for authors whose version moved since.
"""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Table, bindparam, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col

from app.db import write_session
from app.models import Author, AuthorTrackRecord, AuthorVersion, utc_now
from app.scoring import service

DEFAULT = service.TrackQuery()
BATCH = 200
CURRENT = func.coalesce(col(AuthorVersion.version), 0)
_STORED = (
    select(col(Author.id), CURRENT, col(AuthorTrackRecord.version), col(AuthorTrackRecord.body))
    .join(AuthorTrackRecord, col(AuthorTrackRecord.author_id) == col(Author.id))
    .outerjoin(AuthorVersion, col(AuthorVersion.author_id) == col(Author.id))
    .where(col(Author.slug) == bindparam("slug"))
)
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


def stored_answer(engine: Engine, slug: str) -> tuple[int, int, bytes] | None:
    """(author id, version, body) when the stored body was rendered at the current version."""
    with engine.connect() as connection:
        found = connection.execute(_STORED, {"slug": slug}).first()
    if found is None or int(found[1]) != int(found[2] or 0):
        return None
    return int(found[0] or 0), int(found[1]), str(found[3]).encode()


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
