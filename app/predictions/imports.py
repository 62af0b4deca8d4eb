"""Import of predictions, with their verdicts, from CSV or JSONL: every row valid, or none written.

A row passes PredictionCreate's field rules (the same annotated types), a verdict the rule of
every verdict (`service.check_resolved_on`); the rows are written in bulk (app.db) and announced
as one event that scoring and the webhooks react to as they do to a log and a verdict.
"""

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal

import psycopg
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from sqlalchemy import select, text, tuple_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col

from app import events
from app.db import bulk_insert, reserve_ids, table_of
from app.errors import Invalid, hint
from app.language.horizons import Deadline
from app.ledger import leaves
from app.ledger import service as ledger
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
    utc_now,
)
from app.predictions import service
from app.predictions.columns import (
    COLUMNS,
    EXPORT_ONLY,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    Format,
    restore,
)
from app.predictions.schemas import (
    Claim,
    Criteria,
    Note,
    QuestionKey,
    Quote,
    Tags,
    Words,
    check_probability,
)
from app.schemas import Instant, Name, Url, normalize_tag, slugify, written_date
from app.sources.schemas import Title
from app.unique import ATTEMPTS

MAX_REPORTED_ERRORS = 1000
MAX_EVIDENCE_URLS = 20
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


def _outcome(value: Any) -> Outcome:
    try:
        return _OUTCOMES[str(value).strip().lower()]
    except KeyError:
        raise ValueError(f"{value!r} is not an outcome: true, false or void") from None


def _tag_list(value: Any) -> Any:
    items = value if isinstance(value, list) else str(value).replace(",", ";").split(";")
    return sorted({normalize_tag(str(t)) for t in items if str(t).strip()})


def _url_list(value: Any) -> Any:
    return value if isinstance(value, list) else str(value).split()


def _day_of(value: Any) -> Any:
    value = written_date(value)
    return value.strip()[:10] if isinstance(value, str) else value


class ImportRow(BaseModel):
    """One file row, checked with PredictionCreate's field types (and a verdict's)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, coerce_numbers_to_str=True)

    author: Name
    outlet: Name | None = None
    source_url: Url | None = None
    source_title: Title | None = None
    source_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] | None = None
    published_at: Instant | None = None
    quote: Quote
    claim: Claim
    resolution_criteria: Criteria | None = None
    probability: float | None = None
    probability_basis: Literal["stated", "editor", "codebook"] | None = None
    codebook_version: Annotated[str, StringConstraints(max_length=64)] | None = None
    hedge: Words | None = None
    made_at: Instant | None = None
    resolve_by: Words
    horizon_text: Words | None = None
    conditional_on: Criteria | None = None
    question: QuestionKey | None = None
    tags: Annotated[Tags, BeforeValidator(_tag_list)] = Field(default_factory=list)
    outcome: Annotated[Outcome, BeforeValidator(_outcome)] | None = None
    resolved_on: Annotated[date, BeforeValidator(_day_of)] | None = None
    evidence_urls: Annotated[list[Url], BeforeValidator(_url_list)] = Field(
        default_factory=list, max_length=MAX_EVIDENCE_URLS, validation_alias="evidence_url"
    )
    note: Note | None = None

    _probability = field_validator("probability")(check_probability)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        # An empty CSV cell (or a JSON null) is a column left out, never an empty value.
        if not isinstance(data, dict):
            return data
        return {k: v for k, v in data.items() if v is not None and not _blank(v)}


def _blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


class RowError(Exception):
    """One row's problem, reported with its field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class RowErrors(Exception):
    """Every problem of one row, in column order (issue 13: all at once, not the first)."""

    def __init__(self, problems: list[RowError]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


# A required column that fails its type is replaced by this while the row's other checks run;
# the checks that read it are skipped (see _DEPENDS), so it is never reported or written.
_STAND_IN = {"author": "x", "quote": "x", "claim": "x", "resolve_by": "2000-01-01"}
_DEPENDS = {
    "probability": {"probability", "probability_basis", "hedge", "quote", "codebook_version"},
    "deadline": {"resolve_by", "made_at", "published_at"},
    "verdict": {"outcome", "resolved_on", "resolve_by", "made_at", "published_at"},
    "source": {"source_url", "source_title", "source_sha256"},
}


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
    source_sha256: str | None
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
    missing = [n for n in REQUIRED_COLUMNS if n not in names]
    if required and missing:
        raise Invalid(f"missing column {missing[0]!r}", field="columns")


def source_key(
    url: str | None, title: str | None, published_at: datetime | None, sha256: str | None = None
) -> str:
    """What makes rows share a source: its URL, else its text's SHA-256, else title and date."""
    when = published_at.isoformat() if published_at else ""
    return url or (f"sha256:{sha256}" if sha256 else f"{title}|{when}")


def validate_row(number: int, raw: dict[str, Any], *, today: date) -> Row:
    """One raw row checked and interpreted; RowErrors names every field at fault."""
    fields, problems = _fields(raw)
    bad = {p.field for p in problems}

    def check(name: str, run: Callable[[], Any]) -> Any:
        if _DEPENDS[name] & bad:  # already reported as a column's type error
            return None
        try:
            return run()
        except RowError as exc:
            problems.append(exc)
            return None

    made_at = fields.made_at or fields.published_at
    if made_at is None and not bad & {"made_at", "published_at"}:
        problems.append(RowError("made_at", "give made_at or published_at (ISO date)"))
    check("source", lambda: _check_source(fields))
    probability = check("probability", lambda: _probability(fields))
    deadline: Deadline | None = None
    if made_at is not None:
        deadline = check("deadline", lambda: _deadline(fields, made_at=made_at))
    resolved_on = None
    if made_at is not None and deadline is not None:
        resolve_by = deadline.resolve_by
        resolved_on = check("verdict", lambda: _resolved_on(fields, made_at, resolve_by, today))
    if problems:
        raise RowErrors(problems)
    assert made_at is not None and probability is not None and deadline is not None
    url = str(fields.source_url) if fields.source_url else None
    values = _prediction_values(
        fields, made_at=made_at, probability=probability, deadline=deadline, today=today
    )
    return Row(
        number=number,
        author_slug=slugify(fields.author),
        author_name=fields.author,
        outlet=fields.outlet,
        source_key=source_key(url, fields.source_title, fields.published_at, fields.source_sha256),
        source_url=url,
        source_title=fields.source_title,
        source_sha256=fields.source_sha256,
        published_at=fields.published_at,
        values=values,
        tags=fields.tags,
        outcome=fields.outcome,
        resolved_on=resolved_on,
        evidence_urls=[str(u) for u in fields.evidence_urls],
        note=fields.note,
    )


def _fields(raw: dict[str, Any]) -> tuple[ImportRow, list[RowError]]:
    """The row's fields, with every field's type error; a failed field is left out."""
    problems = [
        RowError(name, "contains a NUL (\\x00) character")
        for name, value in raw.items()
        if isinstance(value, str) and "\x00" in value
    ]
    data = {k: v for k, v in raw.items() if k not in {p.field for p in problems}}
    try:
        return ImportRow.model_validate(data), problems
    except ValidationError as exc:
        problems += _type_errors(exc)
    bad = {p.field for p in problems}
    kept = {k: v for k, v in data.items() if k not in bad}
    kept |= {k: v for k, v in _STAND_IN.items() if k in bad}
    return ImportRow.model_validate(kept), problems


def _type_errors(exc: ValidationError) -> list[RowError]:
    found: dict[str, RowError] = {}
    for error in exc.errors(include_url=False):
        name = str(error["loc"][0]) if error["loc"] else "row"
        message = "this column is required" if error["type"] == "missing" else hint(dict(error))
        found.setdefault(name, RowError(name, message))
    return list(found.values())


def _check_source(fields: ImportRow) -> None:
    if fields.source_url is None and fields.source_title is None and not fields.source_sha256:
        raise RowError("source_url", "give source_url, source_title or source_sha256")


def _probability(fields: ImportRow) -> service.Probability:
    basis = fields.probability_basis
    try:
        return _exported_codebook_reading(fields) or service.interpret_probability(
            probability=fields.probability,
            basis=None if basis == "codebook" else basis,
            hedge=fields.hedge,
            quote=fields.quote,
        )
    except Invalid as exc:
        raise RowError(exc.field or "row", exc.detail) from None


def _deadline(fields: ImportRow, *, made_at: datetime) -> Deadline:
    try:
        return service.interpret_deadline(words=fields.resolve_by, made_at=made_at)
    except Invalid as exc:
        raise RowError(exc.field or "resolve_by", exc.detail) from None


def _prediction_values(
    fields: ImportRow,
    *,
    made_at: datetime,
    probability: service.Probability,
    deadline: Deadline,
    today: date,
) -> dict[str, Any]:
    return {
        "quote": fields.quote,
        "quote_sha256": service.quote_hash(fields.quote),
        "claim": fields.claim,
        "resolution_criteria": fields.resolution_criteria,
        "probability": probability.value,
        "probability_basis": probability.basis.value,
        "hedge": fields.hedge,
        "codebook_version": probability.codebook_version,
        "made_at": made_at,
        "resolve_by": deadline.resolve_by,
        # An export's resolve_by is a date; its horizon_text keeps the words it came from.
        "horizon_text": deadline.horizon_text or fields.horizon_text,
        "conditional_on": fields.conditional_on,
        "question": fields.question,
        "status": service.status_for(deadline.resolve_by, today).value,
    }


def _exported_codebook_reading(fields: ImportRow) -> service.Probability | None:
    # An export's codebook reading keeps its number and codebook version on the way back in,
    # rather than turning into an editor's number (an exact round trip).
    version, number = fields.codebook_version, fields.probability
    if fields.probability_basis != "codebook" or version is None or number is None:
        return None
    return service.Probability(number, Basis.codebook, version)


def _resolved_on(
    fields: ImportRow, made_at: datetime, resolve_by: date, today: date
) -> date | None:
    if fields.outcome is None:
        if fields.resolved_on is not None:
            raise RowError("resolved_on", "resolved_on without an outcome: add the outcome")
        return None
    resolved_on = fields.resolved_on or min(resolve_by, today)
    try:
        service.check_resolved_on(made_at=made_at, resolved_on=resolved_on, today=today)
    except Invalid as exc:
        raise RowError("resolved_on", exc.detail) from None
    return resolved_on


def validate_all(
    rows: Iterable[tuple[int, dict[str, Any]]], *, today: date, max_rows: int
) -> tuple[list[Row], list[dict[str, Any]], int]:
    """Every row validated: the valid rows, every error of every row, and how many rows."""
    valid: list[Row] = []
    errors: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    total = 0
    for number, raw in rows:
        total += 1
        if total > max_rows:
            raise Invalid(f"more than {max_rows:,} rows: split the file", field="body")
        try:
            row = validate_row(number, raw, today=today)
        except RowErrors as exc:
            errors += [
                {"row": number, "field": p.field, "message": p.message} for p in exc.problems
            ]
            continue
        key = (row.source_key, row.values["quote_sha256"])
        if key in seen:
            message = f"the same quote from the same source as row {seen[key]}"
            errors.append({"row": number, "field": "quote", "message": message})
            continue
        seen[key] = number
        valid.append(row)
    return valid, errors, total


def import_predictions(
    *,
    session: Session,
    data: bytes,
    fmt: Format,
    user_id: int | None,
    today: date,
    dry_run: bool = False,
    max_rows: int = 500_000,
    now: datetime | None = None,
) -> ImportReport:
    """Validate every row, then write them all in the caller's transaction, or none.

    `now` stamps the records (the app's clock; the real one if omitted).
    """
    valid, errors, total = validate_all(read_rows(data, fmt), today=today, max_rows=max_rows)
    _queue_behind_other_imports(session)
    for _ in range(ATTEMPTS - 1):
        try:
            with session.begin_nested():
                return _import_valid(
                    session, valid, errors, total, dry_run=dry_run, user_id=user_id, now=now
                )
        except (IntegrityError, psycopg.IntegrityError):
            # A single-row request created one of our authors, outlets or sources after we
            # looked: look again (its row is committed now) and write the rest.
            continue
    return _import_valid(session, valid, errors, total, dry_run=dry_run, user_id=user_id, now=now)


def _queue_behind_other_imports(session: Session) -> None:
    # Two imports naming the same new authors would each insert them; on PostgreSQL they
    # take turns (SQLite's BEGIN IMMEDIATE already serialises every writer).
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": IMPORT_LOCK})


def _import_valid(
    session: Session,
    valid: list[Row],
    errors: list[dict[str, Any]],
    total: int,
    *,
    dry_run: bool,
    user_id: int | None,
    now: datetime | None = None,
) -> ImportReport:
    authors = _existing(session, Author, {r.author_slug for r in valid})
    outlets = _existing(session, Outlet, {slugify(r.outlet) for r in valid if r.outlet})
    sources = _existing_sources(session, {r.source_url for r in valid if r.source_url})
    sources |= _existing_texts(session, {r.source_key for r in valid if _by_text(r.source_key)})
    errors = errors + _conflicts_with_stored(session, valid, sources)
    if errors:
        _refuse(errors, rows=total)
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
        _write(session, valid, authors, outlets, sources, user_id, now or utc_now())
    return report


def _refuse(errors: list[dict[str, Any]], *, rows: int) -> None:
    errors.sort(key=lambda e: e["row"])  # stable: a row's errors stay in column order
    wrong = len({e["row"] for e in errors})
    raise Invalid(
        f"{wrong} of {rows} rows have errors ({len(errors)} in all); nothing was imported",
        field="rows",
        error_count=len(errors),
        rows_with_errors=wrong,
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


def _by_text(key: str) -> bool:
    return key.startswith("sha256:")


def _existing_texts(session: Session, keys: set[str]) -> dict[str, tuple[int, str | None]]:
    # A source known only by its text (pasted into /extract) travels as its SHA-256.
    found: dict[str, tuple[int, str | None]] = {}
    for chunk in _chunks(sorted(k.removeprefix("sha256:") for k in keys)):
        rows = session.execute(
            select(col(Source.text_sha256), col(Source.id), col(Source.text))
            .where(col(Source.text_sha256).in_(chunk), col(Source.url).is_(None))
            .order_by(col(Source.id))
        )
        for digest, sid, archived in rows:
            found.setdefault(f"sha256:{digest}", (sid, archived))
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
    now: datetime,
) -> None:
    names = {r.author_slug: r.author_name for r in rows}
    authors |= _insert_named(session, Author, names, authors, now)
    outlet_names = {slugify(r.outlet): r.outlet for r in rows if r.outlet}
    outlets |= _insert_named(session, Outlet, outlet_names, outlets, now)
    source_ids = {key: sid for key, (sid, _) in sources.items()}
    source_ids |= _insert_sources(session, rows, source_ids, outlets, now)
    ids, logged = _insert_predictions(session, rows, authors, source_ids, user_id, now)
    verdicts = _insert_children(session, rows, ids, user_id, now)
    _announce(session, rows, ids, authors, now)
    ledger.append(session=session, entries=logged + verdicts)


def _insert_predictions(
    session: Session,
    rows: list[Row],
    authors: dict[str, int],
    source_ids: dict[str, int],
    user_id: int | None,
    now: datetime,
) -> tuple[list[int], list[ledger.Entry]]:
    ids = reserve_ids(session, table_of(Prediction), len(rows))
    records = [
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
    ]
    bulk_insert(session, table_of(Prediction), records)
    entries = [
        ledger.Entry("prediction", pid, pid, leaves.prediction_record(record, r.tags))
        for r, pid, record in zip(rows, ids, records, strict=True)
    ]
    return ids, entries


def _announce(
    session: Session, rows: list[Row], ids: list[int], authors: dict[str, int], now: datetime
) -> None:
    # One event for the file: scoring adds its rows in bulk, the webhooks hear of every
    # prediction logged and every verdict, as they would one at a time.
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
    resolved = [pid for r, pid in zip(rows, ids, strict=True) if r.outcome is not None]
    events.publish(events.PredictionsImported(session, states, ids, resolved, now))


def _final_status(row: Row) -> str:
    if row.outcome is None:
        return str(row.values["status"])
    return service.verdict_status(row.outcome).value


def _insert_named(
    session: Session,
    model: type[Author] | type[Outlet],
    names: dict[str, str],
    existing: dict[str, int],
    now: datetime,
) -> dict[str, int]:
    missing = sorted(slug for slug in names if slug not in existing)
    ids = reserve_ids(session, table_of(model), len(missing))
    extra: dict[str, Any] = {"links": [], "affiliations": []} if model is Author else {}
    bulk_insert(
        session,
        table_of(model),
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
                "text_sha256": r.source_sha256,
                "published_at": r.published_at,
                "outlet_id": outlets.get(slugify(r.outlet)) if r.outlet else None,
                "created_at": now,
            }
    ids = reserve_ids(session, table_of(Source), len(fresh))
    bulk_insert(
        session,
        table_of(Source),
        [{**record, "id": sid} for record, sid in zip(fresh.values(), ids, strict=True)],
    )
    return dict(zip(fresh, ids, strict=True))


def _insert_children(
    session: Session, rows: list[Row], ids: list[int], user_id: int | None, now: datetime
) -> list[ledger.Entry]:
    pairs = list(zip(rows, ids, strict=True))
    bulk_insert(
        session,
        table_of(PredictionTag),
        [{"prediction_id": pid, "tag": t} for r, pid in pairs for t in r.tags],
    )
    verdicts = [(r, pid) for r, pid in pairs if r.outcome is not None]
    verdict_ids = reserve_ids(session, table_of(Resolution), len(verdicts))
    records: list[dict[str, Any]] = [
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
    ]
    bulk_insert(session, table_of(Resolution), records)
    return [
        ledger.Entry(
            leaves.verdict_kind(v["outcome"], None),
            v["id"],
            v["prediction_id"],
            leaves.verdict_record(v),
        )
        for v in records
    ]
