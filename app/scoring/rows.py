"""Per-author score rows: running sums kept in the transaction of every change that moves them;
and the versions that key the cached track records (per author) and leaderboards (global)."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, bindparam, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection
from sqlalchemy.sql.base import Executable
from sqlmodel import Session, col

from app.events import Scorable
from app.models import (
    Author,
    AuthorScoreBin,
    AuthorVersion,
    Prediction,
    ScoreState,
    Status,
    utc_now,
)
from app.scoring.generation import CHANNEL, SCORES_MOVED
from app.scoring.rules import bin_index, log_term, squared_error

OUTCOME_VALUE = {"true": 1.0, "false": 0.0}
SUMS = ("n", "sum_p", "sum_y", "sum_se", "sum_se2", "sum_log")
TOLERANCE = 1e-6
BinKey = tuple[int, str, int]


@dataclass(frozen=True)
class Scored:
    """What a prediction contributes to its author's score: nothing unless resolved true/false."""

    author_id: int
    basis: str
    p: float
    y: float


def scored(prediction: Scorable) -> Scored | None:
    """The prediction's contribution now (void, withdrawn and open predictions count nothing)."""
    if prediction.status != Status.resolved or prediction.outcome not in OUTCOME_VALUE:
        return None
    y = OUTCOME_VALUE[prediction.outcome]
    return Scored(prediction.author_id, prediction.probability_basis, prediction.probability, y)


def contribution(item: Scored, sign: int = 1) -> dict[str, Any]:
    """One prediction's terms in a score row."""
    se = squared_error(item.p, item.y)
    return {
        "author_id": item.author_id,
        "basis": item.basis,
        "bin": bin_index(item.p),
        "n": sign,
        "sum_p": sign * item.p,
        "sum_y": sign * item.y,
        "sum_se": sign * se,
        "sum_se2": sign * se * se,
        "sum_log": sign * log_term(item.p, item.y),
    }


def replace(
    session: Session, *, before: Scored | None, after: Scored | None, retagged: bool = False
) -> None:
    """Move the score rows from one contribution to another; the scores' version changes
    when a score moves, or a scored prediction's tags (the leaderboard filters by tag)."""
    if before != after:
        changes = ([contribution(before, -1)] if before else []) + (
            [contribution(after)] if after else []
        )
        add(session, changes)
    if before != after or (retagged and before is not None):
        bump(session)


def add(session: Session, changes: list[dict[str, Any]]) -> None:
    """Add these terms to the score rows (creating rows as needed), in one statement."""
    if changes:
        session.execute(_statement(session, "add"), changes)


def _statement(session: Session, name: str) -> Executable:
    """The upkeep's upserts, built once per dialect: a verdict's write path then spends
    nothing on building and caching statements (issue 16)."""
    dialect = session.get_bind().dialect.name
    found = _BUILT.get((dialect, name))
    if found is None:
        found = _BUILT[(dialect, name)] = _build(dialect, name)
    return found


def _build(dialect: str, name: str) -> Executable:
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    if name == "add":
        bins: Table = AuthorScoreBin.__table__  # type: ignore[attr-defined]
        statement = insert(bins)
        return statement.on_conflict_do_update(
            index_elements=["author_id", "basis", "bin"],
            set_={name: bins.c[name] + statement.excluded[name] for name in SUMS},
        )
    if name == "bump":
        bump = _BUMP
        return bump.returning(_NOTIFY) if dialect == "postgresql" else bump
    versions: Table = AuthorVersion.__table__  # type: ignore[attr-defined]
    touch = (
        insert(versions)
        .values(author_id=bindparam("author_id"), version=1)
        .on_conflict_do_update(
            index_elements=["author_id"], set_={"version": versions.c.version + 1}
        )
    )
    return touch.returning(_NOTIFY) if dialect == "postgresql" else touch


_BUILT: dict[tuple[str, str], Executable] = {}
# PostgreSQL: the statement that moves a version also NOTIFYs the score listeners
# (app/scoring/generation.py), delivered at commit: no round trip of its own.
_NOTIFY = func.pg_notify(CHANNEL, "")
_BUMP = (
    update(ScoreState)
    .where(col(ScoreState.id) == 1)
    .values(version=col(ScoreState.version) + 1, updated_at=bindparam("now"))
)


def add_many(session: Session, items: Iterable[Scored]) -> None:
    """Add many contributions, summed per row first (for imports)."""
    add(session, list(_summed(contribution(item) for item in items).values()))


def _summed(terms: Iterable[dict[str, Any]]) -> dict[BinKey, dict[str, Any]]:
    rows: dict[BinKey, dict[str, Any]] = {}
    for term in terms:
        key = (term["author_id"], term["basis"], term["bin"])
        row = rows.setdefault(
            key, {"author_id": key[0], "basis": key[1], "bin": key[2]} | dict.fromkeys(SUMS, 0)
        )
        for name in SUMS:
            row[name] += term[name]
    return rows


def bump(session: Session) -> None:
    """Change the scores' version, so cached leaderboards expire: only when a score moves."""
    session.info[SCORES_MOVED] = True
    result = session.execute(_statement(session, "bump"), {"now": utc_now()})
    # On PostgreSQL the update RETURNs its NOTIFY: a row when it moved the version.
    moved = result.first() is not None if _postgres(session) else getattr(result, "rowcount", 0) > 0
    if not moved:
        session.add(ScoreState(id=1, version=1, updated_at=utc_now()))
        session.flush()
        if _postgres(session):
            session.execute(select(_NOTIFY))


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


_VERSION = select(col(ScoreState.version)).where(col(ScoreState.id) == 1)
# Read on every score request, inline: built once, so a cache hit spends nothing on it.
_AUTHOR_VERSION = (
    select(col(Author.id), func.coalesce(col(AuthorVersion.version), 0))
    .outerjoin(AuthorVersion, col(AuthorVersion.author_id) == col(Author.id))
    .where(col(Author.slug) == bindparam("slug"))
)


def version(connection: Connection | Session) -> int:
    """The scores' current version (0 before the first change)."""
    return int(connection.execute(_VERSION).scalar() or 0)


def touch_authors(session: Session, author_ids: Iterable[int]) -> None:
    """Change these authors' versions, so their cached track records expire. One row per
    author, locked in id order (two writers touching the same authors cannot deadlock)."""
    ids = sorted(set(author_ids))
    session.info[SCORES_MOVED] = True
    if len(ids) == 1:
        session.execute(_statement(session, "touch"), {"author_id": ids[0]})
        return
    if not ids:
        return
    table: Table = AuthorVersion.__table__  # type: ignore[attr-defined]
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    for chunk in (ids[i : i + 5000] for i in range(0, len(ids), 5000)):
        statement = insert(table).values([{"author_id": a, "version": 1} for a in chunk])
        session.execute(
            statement.on_conflict_do_update(
                index_elements=["author_id"], set_={"version": table.c.version + 1}
            )
        )
    if _postgres(session):
        session.execute(select(_NOTIFY))


def touch_authors_of(session: Session, prediction_ids: list[int]) -> None:
    """Change the versions of the authors of these predictions."""
    authors: set[int] = set()
    for chunk in (prediction_ids[i : i + 5000] for i in range(0, len(prediction_ids), 5000)):
        authors.update(
            session.scalars(
                select(col(Prediction.author_id)).where(col(Prediction.id).in_(chunk)).distinct()
            )
        )
    touch_authors(session, authors)


def touch_crowd(session: Session, questions: Iterable[str | None]) -> None:
    """A forecast on a shared question moves the crowd median in the track records of the
    authors scored on it: change their versions."""
    asked = sorted({q for q in questions if q is not None})
    authors: set[int] = set()
    for chunk in (asked[i : i + 500] for i in range(0, len(asked), 500)):
        authors.update(
            session.scalars(
                select(col(Prediction.author_id))
                .where(
                    col(Prediction.question).in_(chunk),
                    col(Prediction.status) == Status.resolved,
                    col(Prediction.outcome).in_(OUTCOME_VALUE),
                )
                .distinct()
            )
        )
    touch_authors(session, authors)


def renamed(session: Session, author_id: int) -> None:
    """An author's name shows in the track record, and on the leaderboard once scored."""
    touch_authors(session, [author_id])
    ranked = session.execute(
        select(func.sum(AuthorScoreBin.n)).where(col(AuthorScoreBin.author_id) == author_id)
    ).scalar()
    if ranked:
        bump(session)


def author_version(connection: Connection | Session, slug: str) -> tuple[int, int] | None:
    """(author id, version) of the author with this slug, or None when there is none."""
    found = connection.execute(_AUTHOR_VERSION, {"slug": slug}).first()
    return (int(found[0] or 0), int(found[1])) if found else None


def _stored_scores(connection: Connection | Session) -> Iterator[Scored]:
    statement = select(
        col(Prediction.author_id),
        col(Prediction.probability_basis),
        col(Prediction.probability),
        col(Prediction.outcome),
    ).where(col(Prediction.status) == Status.resolved, col(Prediction.outcome).in_(OUTCOME_VALUE))
    for author_id, basis, p, outcome in connection.execute(
        statement.execution_options(yield_per=20_000)
    ):
        yield Scored(author_id, basis, p, OUTCOME_VALUE[str(outcome)])


def recompute(connection: Connection | Session) -> dict[BinKey, dict[str, Any]]:
    """Every score row, computed afresh from the predictions."""
    return _summed(contribution(item) for item in _stored_scores(connection))


def stored(connection: Connection | Session) -> dict[BinKey, dict[str, Any]]:
    """Every score row as kept."""
    table: Table = AuthorScoreBin.__table__  # type: ignore[attr-defined]
    rows = connection.execute(select(table)).mappings()
    return {(r["author_id"], r["basis"], r["bin"]): dict(r) for r in rows}


def mismatches(connection: Connection | Session) -> list[str]:
    """Where the kept rows differ from a recomputation; empty when all agree."""
    fresh, kept = recompute(connection), stored(connection)
    problems = []
    for key in sorted(fresh.keys() | kept.keys()):
        want, have = fresh.get(key), kept.get(key)
        if want is None and have is not None and have["n"] == 0:
            continue
        for name in SUMS:
            expected = want[name] if want else 0
            actual = have[name] if have else 0
            if abs(expected - actual) > TOLERANCE:
                problems.append(
                    f"author {key[0]} basis {key[1]} bin {key[2]}: {name} is {actual}, "
                    f"recomputed {expected}"
                )
    return problems


def rebuild(session: Session) -> int:
    """Replace every score row by a recomputation; returns the number of rows written."""
    fresh = recompute(session)
    session.execute(delete(AuthorScoreBin))
    add(session, list(fresh.values()))
    bump(session)
    return len(fresh)
