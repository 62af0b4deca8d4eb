"""Import and export of predictions as CSV or JSONL, all rows or none."""

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any, cast

import psycopg
from sqlalchemy import Table, func, insert, select, text, tuple_
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col

from app import events
from app.errors import Invalid
from app.limits import MAX_JSON_DEPTH, depth_message, too_deep
from app.models import (
    Author,
    Basis,
    Outcome,
    Outlet,
    Prediction,
    PredictionTag,
    Resolution,
    Source,
    Status,
    utc_now,
)
from app.predictions import service
from app.schemas import slugify
from app.unique import ATTEMPTS

COLUMNS = (
    "author",
    "outlet",
    "source_url",
    "source_title",
    "published_at",
    "quote",
    "claim",
    "resolution_criteria",
    "probability",
    "hedge",
    "made_at",
    "resolve_by",
    "tags",
    "outcome",
    "resolved_on",
    "evidence_url",
    "note",
)
OPTIONAL_COLUMNS = ("conditional_on", "probability_basis", "question")
EXPORT_ONLY = ("id", "status", "codebook_version", "horizon_text")
MAX_REPORTED_ERRORS = 1000
IMPORT_LOCK = 0x48494E44  # pg_advisory_xact_lock key that imports queue on
_OUTCOMES = {
    "true": Outcome.true,
    "1": Outcome.true,
    "yes": Outcome.true,
    "false": Outcome.false,
    "0": Outcome.false,
    "no": Outcome.false,
    "void": Outcome.void,
    "annulled": Outcome.void,
}


# OWASP "CSV injection": a spreadsheet runs a cell starting with one of = + - @ tab CR as a
# formula. The export puts a ' before such a cell, and before one that already starts with
# quotes and then such a character, so the import can take exactly one ' off: a round trip.
_NEUTRALISED = re.compile(r"'*[=+\-@\t\r]")


def neutralise(value: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if _NEUTRALISED.match(value) else value


def restore(value: str) -> str:
    """The cell neutralise() was given: one leading ' off, if neutralise() put it there."""
    return value[1:] if value.startswith("'") and _NEUTRALISED.match(value, 1) else value


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


class RowError(Exception):
    """One row's problem, reported with its field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Row:
    """One validated import row, ready to write."""

    number: int
    author_slug: str
    author_name: str
    outlet: str | None
    source_key: str
    source_url: str | None
    source_title: str | None
    published_at: datetime | None
    values: dict[str, Any]
    tags: list[str]
    outcome: Outcome | None
    resolved_on: date | None
    evidence_urls: list[str]
    note: str | None


@dataclass
class ImportReport:
    """What an import wrote (or, on a dry run, would write)."""

    rows: int = 0
    predictions: int = 0
    resolutions: int = 0
    authors_created: int = 0
    outlets_created: int = 0
    sources_created: int = 0
    dry_run: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)


def read_rows(data: bytes, fmt: Format) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number, raw fields) from CSV (row 1 is the header) or JSONL (line numbers)."""
    text = data.decode("utf-8-sig")
    if fmt == Format.csv:
        reader = csv.DictReader(io.StringIO(text))
        _check_columns(reader.fieldnames or [])
        for number, raw in enumerate(reader, start=2):
            yield number, {k: _restored(v) for k, v in raw.items() if k is not None}
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            yield number, _json_line(number, line)


def _restored(value: str | None) -> str | None:
    return restore(value) if isinstance(value, str) else value


def _json_line(number: int, line: str) -> dict[str, Any]:
    if line.count("[") + line.count("{") > MAX_JSON_DEPTH and too_deep(line.encode()):
        raise Invalid(f"line {number}: {depth_message()}", field="body")
    try:
        value = json.loads(line)
    except json.JSONDecodeError as exc:
        raise Invalid(f"line {number} is not JSON: {exc.msg}", field="body") from None
    if not isinstance(value, dict):
        raise Invalid(f"line {number} is not a JSON object", field="body")
    _check_columns(list(value), required=False)
    return value


def _check_columns(names: Sequence[str], *, required: bool = True) -> None:
    known = set(COLUMNS) | set(OPTIONAL_COLUMNS) | set(EXPORT_ONLY)
    unknown = [n for n in names if n not in known]
    if unknown:
        raise Invalid(
            f"unknown column {unknown[0]!r}: the columns are {', '.join(COLUMNS)}", field="columns"
        )
    missing = [n for n in ("author", "quote", "claim", "resolve_by") if n not in names]
    if required and missing:
        raise Invalid(f"missing column {missing[0]!r}", field="columns")


def _text(raw: dict[str, Any], name: str, *, limit: int = 5000) -> str | None:
    value = raw.get(name)
    if value is None:
        return None
    cleaned = str(value).strip()
    if "\x00" in cleaned:
        raise RowError(name, "contains a NUL (\\x00) character")
    if len(cleaned) > limit:
        raise RowError(name, f"longer than {limit} characters")
    return cleaned or None


def _required(raw: dict[str, Any], name: str, *, limit: int = 5000) -> str:
    value = _text(raw, name, limit=limit)
    if value is None:
        raise RowError(name, "this column is required")
    return value


def _instant(raw: dict[str, Any], name: str) -> datetime | None:
    value = _text(raw, name, limit=64)
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise RowError(name, f"{value!r} is not an ISO date or datetime") from None
    if parsed.tzinfo is None:
        if len(value) > 10:
            raise RowError(name, f"{value!r} has no timezone: add Z or +00:00")
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _day(raw: dict[str, Any], name: str) -> date | None:
    value = _text(raw, name, limit=32)
    if value is None:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        raise RowError(name, f"{value!r} is not an ISO date (YYYY-MM-DD)") from None


def _probability(raw: dict[str, Any]) -> float | None:
    value = _text(raw, "probability", limit=32)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        raise RowError("probability", f"{value!r} is not a number") from None
    if not 0.0 <= number <= 1.0:
        raise RowError("probability", f"{value} is outside 0..1: give a fraction such as 0.7")
    return number


def _tags(raw: dict[str, Any]) -> list[str]:
    value = raw.get("tags")
    items = value if isinstance(value, list) else str(value or "").replace(",", ";").split(";")
    tags = sorted({str(t).strip().lower() for t in items if str(t).strip()})
    for tag in tags:
        if len(tag) > 64 or not tag[0].isalnum():
            raise RowError("tags", f"{tag!r} is not a tag: letters, digits, - _ . : up to 64")
    return tags


def _outcome(raw: dict[str, Any]) -> Outcome | None:
    value = _text(raw, "outcome", limit=16)
    if value is None:
        return None
    try:
        return _OUTCOMES[value.lower()]
    except KeyError:
        raise RowError("outcome", f"{value!r} is not an outcome: true, false or void") from None


def source_key(url: str | None, title: str | None, published_at: datetime | None) -> str:
    """What makes rows share a source: its URL, else its title and date."""
    when = published_at.astimezone(UTC).isoformat() if published_at else ""
    return url or f"{title}|{when}"


def validate_row(number: int, raw: dict[str, Any], *, today: date) -> Row:
    """One raw row checked and interpreted; RowError names the field at fault."""
    author = _required(raw, "author", limit=200)
    quote = _required(raw, "quote")
    published_at = _instant(raw, "published_at")
    made_at = _instant(raw, "made_at") or published_at
    if made_at is None:
        raise RowError("made_at", "give made_at or published_at (ISO date)")
    values = _prediction_values(raw, quote=quote, made_at=made_at, today=today)
    url, title = _text(raw, "source_url", limit=2048), _text(raw, "source_title", limit=500)
    if url is None and title is None:
        raise RowError("source_url", "give source_url or source_title")
    outcome = _outcome(raw)
    return Row(
        number=number,
        author_slug=slugify(author),
        author_name=author,
        outlet=_text(raw, "outlet", limit=200),
        source_key=source_key(url, title, published_at),
        source_url=url,
        source_title=title,
        published_at=published_at,
        values=values,
        tags=_tags(raw),
        outcome=outcome,
        resolved_on=_resolved_on(raw, outcome, values["resolve_by"], today),
        evidence_urls=(_text(raw, "evidence_url", limit=2048) or "").split(),
        note=_text(raw, "note"),
    )


def _prediction_values(
    raw: dict[str, Any], *, quote: str, made_at: datetime, today: date
) -> dict[str, Any]:
    hedge = _text(raw, "hedge", limit=200)
    basis = _text(raw, "probability_basis", limit=16)
    if basis not in (None, "stated", "editor", "codebook"):
        raise RowError("probability_basis", f"{basis!r}: use stated, editor or codebook")
    try:
        probability = _exported_codebook_reading(raw, basis) or service.interpret_probability(
            probability=_probability(raw),
            basis=None if basis == "codebook" else basis,
            hedge=hedge,
            quote=quote,
        )
        deadline = service.interpret_deadline(
            words=_required(raw, "resolve_by", limit=200), made_at=made_at
        )
    except Invalid as exc:
        raise RowError(exc.field or "row", exc.detail) from None
    return {
        "quote": quote,
        "quote_sha256": service.quote_hash(quote),
        "claim": _required(raw, "claim", limit=2000),
        "resolution_criteria": _text(raw, "resolution_criteria"),
        "probability": probability.value,
        "probability_basis": probability.basis.value,
        "hedge": hedge,
        "codebook_version": probability.codebook_version,
        "made_at": made_at,
        "resolve_by": deadline.resolve_by,
        "horizon_text": deadline.horizon_text,
        "conditional_on": _text(raw, "conditional_on"),
        "question": _text(raw, "question", limit=300),
        "status": service.status_for(deadline.resolve_by, today).value,
    }


def _exported_codebook_reading(
    raw: dict[str, Any], basis: str | None
) -> service.Probability | None:
    # An export's codebook reading keeps its number and codebook version on the way back in,
    # rather than turning into an editor's number (an exact round trip).
    version = _text(raw, "codebook_version", limit=64)
    number = _probability(raw)
    if basis != "codebook" or version is None or number is None:
        return None
    return service.Probability(number, Basis.codebook, version)


def _resolved_on(
    raw: dict[str, Any], outcome: Outcome | None, resolve_by: date, today: date
) -> date | None:
    given = _day(raw, "resolved_on")
    if outcome is None:
        if given is not None:
            raise RowError("resolved_on", "resolved_on without an outcome: add the outcome")
        return None
    resolved_on = given or min(resolve_by, today)
    if resolved_on > today:
        raise RowError("resolved_on", f"{resolved_on} is in the future")
    return resolved_on


def validate_all(
    rows: Iterable[tuple[int, dict[str, Any]]], *, today: date, max_rows: int
) -> tuple[list[Row], list[dict[str, Any]]]:
    """Every row validated; the errors of all rows, not just the first."""
    valid: list[Row] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for number, raw in rows:
        if len(valid) + len(errors) >= max_rows:
            raise Invalid(f"more than {max_rows:,} rows: split the file", field="body")
        try:
            row = validate_row(number, raw, today=today)
        except RowError as exc:
            errors.append({"row": number, "field": exc.field, "message": exc.message})
            continue
        key = (row.source_key, row.values["quote_sha256"])
        if key in seen:
            message = f"the same quote from the same source as row {seen[key]}"
            errors.append({"row": number, "field": "quote", "message": message})
            continue
        seen[key] = number
        valid.append(row)
    return valid, errors


def import_predictions(
    *,
    session: Session,
    data: bytes,
    fmt: Format,
    user_id: int | None,
    today: date,
    dry_run: bool = False,
    max_rows: int = 500_000,
) -> ImportReport:
    """Validate every row, then write them all in the caller's transaction, or none."""
    valid, errors = validate_all(read_rows(data, fmt), today=today, max_rows=max_rows)
    _queue_behind_other_imports(session)
    for _ in range(ATTEMPTS - 1):
        try:
            with session.begin_nested():
                return _import_valid(session, valid, errors, dry_run=dry_run, user_id=user_id)
        except (IntegrityError, psycopg.IntegrityError):
            # A single-row request created one of our authors, outlets or sources after we
            # looked: look again (its row is committed now) and write the rest.
            continue
    return _import_valid(session, valid, errors, dry_run=dry_run, user_id=user_id)


def _queue_behind_other_imports(session: Session) -> None:
    # Two imports naming the same new authors would each insert them; on PostgreSQL they
    # take turns (SQLite's BEGIN IMMEDIATE already serialises every writer).
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})


def _import_valid(
    session: Session,
    valid: list[Row],
    errors: list[dict[str, Any]],
    *,
    dry_run: bool,
    user_id: int | None,
) -> ImportReport:
    authors = _existing(session, Author, {r.author_slug for r in valid})
    outlets = _existing(session, Outlet, {slugify(r.outlet) for r in valid if r.outlet})
    sources = _existing_sources(session, {r.source_url for r in valid if r.source_url})
    errors = errors + _conflicts_with_stored(session, valid, sources)
    if errors:
        _refuse(errors, rows=len(valid) + len(errors))
    report = ImportReport(
        rows=len(valid),
        predictions=len(valid),
        dry_run=dry_run,
        resolutions=sum(1 for r in valid if r.outcome is not None),
        authors_created=len({r.author_slug for r in valid} - authors.keys()),
        outlets_created=len({slugify(r.outlet) for r in valid if r.outlet} - outlets.keys()),
        sources_created=len({r.source_key for r in valid} - set(sources)),
    )
    if not dry_run and valid:
        _write(session, valid, authors, outlets, sources, user_id)
    return report


def _refuse(errors: list[dict[str, Any]], *, rows: int) -> None:
    errors.sort(key=lambda e: e["row"])
    raise Invalid(
        f"{len(errors)} of {rows} rows have errors; nothing was imported",
        field="rows",
        error_count=len(errors),
        errors=errors[:MAX_REPORTED_ERRORS],
    )


def _chunks(values: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _existing(
    session: Session, model: type[Author] | type[Outlet], slugs: set[str]
) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(slugs)):
        rows = session.execute(
            select(col(model.slug), col(model.id)).where(col(model.slug).in_(chunk))
        )
        found.update(dict(rows.all()))
    return found


def _existing_sources(session: Session, urls: set[str]) -> dict[str, tuple[int, str | None]]:
    found: dict[str, tuple[int, str | None]] = {}
    for chunk in _chunks(sorted(urls)):
        rows = session.execute(
            select(col(Source.url), col(Source.id), col(Source.text)).where(
                col(Source.url).in_(chunk)
            )
        )
        found.update({url: (sid, text) for url, sid, text in rows})
    return found


def _conflicts_with_stored(
    session: Session, rows: list[Row], sources: dict[str, tuple[int, str | None]]
) -> list[dict[str, Any]]:
    errors = []
    for row in rows:
        stored = sources.get(row.source_key)
        if stored and stored[1]:
            archived = service.normalize_quote(stored[1])
            if service.normalize_quote(row.values["quote"]) not in archived:
                errors.append(
                    {
                        "row": row.number,
                        "field": "quote",
                        "message": "the quote does not occur in the source's archived text",
                    }
                )
    pairs = [
        (sources[r.source_key][0], r.values["quote_sha256"], r.number)
        for r in rows
        if r.source_key in sources
    ]
    for chunk in _chunks(pairs):
        taken = session.execute(
            select(
                col(Prediction.source_id), col(Prediction.quote_sha256), col(Prediction.id)
            ).where(
                tuple_(col(Prediction.source_id), col(Prediction.quote_sha256)).in_(
                    [(sid, digest) for sid, digest, _ in chunk]
                )
            )
        ).all()
        ids = {(sid, digest): pid for sid, digest, pid in taken}
        errors += [
            {"row": n, "field": "quote", "message": f"already logged as prediction {ids[(s, d)]}"}
            for s, d, n in chunk
            if (s, d) in ids
        ]
    return errors


def _write(
    session: Session,
    rows: list[Row],
    authors: dict[str, int],
    outlets: dict[str, int],
    sources: dict[str, tuple[int, str | None]],
    user_id: int | None,
) -> None:
    now = utc_now()
    names = {r.author_slug: r.author_name for r in rows}
    authors |= _insert_named(session, Author, names, authors, now)
    outlet_names = {slugify(r.outlet): r.outlet for r in rows if r.outlet}
    outlets |= _insert_named(session, Outlet, outlet_names, outlets, now)
    source_ids = {key: sid for key, (sid, _) in sources.items()}
    source_ids |= _insert_sources(session, rows, source_ids, outlets, now)
    ids = reserve_ids(session, _table(Prediction), len(rows))
    bulk_insert(
        session,
        _table(Prediction),
        [
            {
                **r.values,
                "id": pid,
                "author_id": authors[r.author_slug],
                "source_id": source_ids[r.source_key],
                "logged_by_id": user_id,
                "assignee_id": user_id,
                "created_at": now,
                "updated_at": now,
                "status": _final_status(r),
                "outcome": r.outcome.value if r.outcome else None,
                "resolved_on": r.resolved_on,
            }
            for r, pid in zip(rows, ids, strict=True)
        ],
    )
    _insert_children(session, rows, ids, user_id, now)
    states = [
        events.PredictionState(
            author_id=authors[r.author_slug],
            status=_final_status(r),
            outcome=r.outcome.value if r.outcome else None,
            probability=r.values["probability"],
            probability_basis=r.values["probability_basis"],
            question=r.values.get("question"),
        )
        for r in rows
    ]
    events.publish(events.PredictionsImported(session, states))


def _table(model: type[SQLModel]) -> Table:
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
    """Insert many rows: COPY on PostgreSQL, executemany on SQLite."""
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


def _final_status(row: Row) -> str:
    if row.outcome is None:
        return str(row.values["status"])
    return (Status.void if row.outcome == Outcome.void else Status.resolved).value


def _insert_named(
    session: Session,
    model: type[Author] | type[Outlet],
    names: dict[str, str],
    existing: dict[str, int],
    now: datetime,
) -> dict[str, int]:
    missing = sorted(slug for slug in names if slug not in existing)
    ids = reserve_ids(session, _table(model), len(missing))
    extra: dict[str, Any] = {"links": [], "affiliations": []} if model is Author else {}
    bulk_insert(
        session,
        _table(model),
        [
            {
                "id": pid,
                "slug": slug,
                "name": names[slug][:200],
                "created_at": now,
                "updated_at": now,
                **extra,
            }
            for slug, pid in zip(missing, ids, strict=True)
        ],
    )
    return dict(zip(missing, ids, strict=True))


def _insert_sources(
    session: Session,
    rows: list[Row],
    existing: dict[str, int],
    outlets: dict[str, int],
    now: datetime,
) -> dict[str, int]:
    fresh: dict[str, dict[str, Any]] = {}
    for r in rows:
        if r.source_key not in existing and r.source_key not in fresh:
            fresh[r.source_key] = {
                "url": r.source_url,
                "title": r.source_title,
                "published_at": r.published_at,
                "outlet_id": outlets.get(slugify(r.outlet)) if r.outlet else None,
                "created_at": now,
            }
    ids = reserve_ids(session, _table(Source), len(fresh))
    bulk_insert(
        session,
        _table(Source),
        [{**record, "id": sid} for record, sid in zip(fresh.values(), ids, strict=True)],
    )
    return dict(zip(fresh, ids, strict=True))


def _insert_children(
    session: Session, rows: list[Row], ids: list[int], user_id: int | None, now: datetime
) -> None:
    pairs = list(zip(rows, ids, strict=True))
    bulk_insert(
        session,
        _table(PredictionTag),
        [{"prediction_id": pid, "tag": t} for r, pid in pairs for t in r.tags],
    )
    verdicts = [(r, pid) for r, pid in pairs if r.outcome is not None]
    verdict_ids = reserve_ids(session, _table(Resolution), len(verdicts))
    bulk_insert(
        session,
        _table(Resolution),
        [
            {
                "id": rid,
                "prediction_id": pid,
                "outcome": r.outcome.value if r.outcome else None,
                "resolved_on": r.resolved_on,
                "evidence_urls": r.evidence_urls,
                "note": r.note,
                "resolved_by_id": user_id,
                "supersedes_id": None,
                "created_at": now,
            }
            for (r, pid), rid in zip(verdicts, verdict_ids, strict=True)
        ],
    )


def export_rows(connection: Connection, *, batch: int = 2000) -> Iterator[dict[str, Any]]:
    """Every prediction as an import row (its verdict in force included), oldest first."""
    last_id = 0
    while True:
        chunk = _export_chunk(connection, after=last_id, size=batch)
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1]["id"]


def _export_chunk(connection: Connection, *, after: int, size: int) -> list[dict[str, Any]]:
    statement: Any = (
        select(
            Prediction,
            col(Author.name).label("author"),
            col(Outlet.name).label("outlet"),
            col(Source.url).label("source_url"),
            col(Source.title).label("source_title"),
            col(Source.published_at).label("published_at"),
        )
        .join(Author, col(Author.id) == col(Prediction.author_id))
        .join(Source, col(Source.id) == col(Prediction.source_id))
        .outerjoin(Outlet, col(Outlet.id) == col(Source.outlet_id))
        .where(col(Prediction.id) > after)
        .order_by(col(Prediction.id))
        .limit(size)
    )
    rows = connection.execute(statement).mappings().all()
    ids = [row["id"] for row in rows]
    tags = _chunk_tags(connection, ids)
    verdicts = _chunk_verdicts(connection, ids)
    return [
        _export_row(dict(row), tags.get(row["id"], []), verdicts.get(row["id"])) for row in rows
    ]


def _chunk_tags(connection: Connection, ids: list[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    statement = (
        select(col(PredictionTag.prediction_id), col(PredictionTag.tag))
        .where(col(PredictionTag.prediction_id).in_(ids))
        .order_by(col(PredictionTag.tag))
    )
    for pid, tag in connection.execute(statement):
        found.setdefault(pid, []).append(tag)
    return found


def _chunk_verdicts(connection: Connection, ids: list[int]) -> dict[int, Any]:
    superseded = select(col(Resolution.supersedes_id)).where(
        col(Resolution.supersedes_id).is_not(None)
    )
    statement = (
        select(Resolution)
        .where(col(Resolution.prediction_id).in_(ids), col(Resolution.id).not_in(superseded))
        .order_by(col(Resolution.id))
    )
    return {row["prediction_id"]: row for row in connection.execute(statement).mappings()}


def _export_row(row: dict[str, Any], tags: list[str], verdict: Any) -> dict[str, Any]:
    def iso(value: date | datetime | None) -> str | None:
        return value.isoformat() if value is not None else None

    return {
        "id": row["id"],
        "author": row["author"],
        "outlet": row["outlet"],
        "source_url": row["source_url"],
        "source_title": row["source_title"],
        "published_at": iso(row["published_at"]),
        "quote": row["quote"],
        "claim": row["claim"],
        "resolution_criteria": row["resolution_criteria"],
        "probability": row["probability"],
        "hedge": row["hedge"],
        "made_at": iso(row["made_at"]),
        "resolve_by": iso(row["resolve_by"]),
        "tags": tags,
        "outcome": verdict["outcome"] if verdict else None,
        "resolved_on": iso(verdict["resolved_on"]) if verdict else None,
        "evidence_url": " ".join(verdict["evidence_urls"]) if verdict else None,
        "note": verdict["note"] if verdict else None,
        "conditional_on": row["conditional_on"],
        "probability_basis": row["probability_basis"],
        "question": row["question"],
        "status": row["status"],
        "codebook_version": row["codebook_version"],
        "horizon_text": row["horizon_text"],
    }


EXPORT_COLUMNS = ("id", *COLUMNS, *OPTIONAL_COLUMNS, "status", "codebook_version", "horizon_text")


def render(rows: Iterable[dict[str, Any]], fmt: Format) -> Iterator[str]:
    """Rows as CSV (tags joined by ';') or JSONL, a chunk of text at a time."""
    if fmt == Format.jsonl:
        for row in rows:
            yield json.dumps(row, ensure_ascii=False) + "\n"
        return
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for number, row in enumerate(rows, start=1):
        cells = {**row, "tags": ";".join(row["tags"])}
        writer.writerow({k: neutralise(v) if isinstance(v, str) else v for k, v in cells.items()})
        if number % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
