"""Export of every prediction, with its verdict in force, as CSV or JSONL import rows."""

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlmodel import col

from app.models import Author, Outlet, Prediction, PredictionTag, Resolution, Source
from app.predictions.columns import EXPORT_COLUMNS, Format, neutralise


def export_rows(
    connection: Connection, *, batch: int = 2000, where: Sequence[Any] = ()
) -> Iterator[dict[str, Any]]:
    """Every prediction (or those matching `where`) as an import row, its verdict in force
    included, oldest first."""
    last_id = 0
    while True:
        chunk = _export_chunk(connection, after=last_id, size=batch, where=where)
        if not chunk:
            return
        yield from chunk
        last_id = chunk[-1]["id"]


def _export_chunk(
    connection: Connection, *, after: int, size: int, where: Sequence[Any]
) -> list[dict[str, Any]]:
    statement: Any = (
        select(
            Prediction,
            col(Author.name).label("author"),
            col(Outlet.name).label("outlet"),
            col(Source.url).label("source_url"),
            col(Source.title).label("source_title"),
            col(Source.text_sha256).label("source_sha256"),
            col(Source.published_at).label("published_at"),
        )
        .join(Author, col(Author.id) == col(Prediction.author_id))
        .join(Source, col(Source.id) == col(Prediction.source_id))
        .outerjoin(Outlet, col(Outlet.id) == col(Source.outlet_id))
        .where(col(Prediction.id) > after, *where)
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
        "source_sha256": row["source_sha256"],
        "status": row["status"],
        "codebook_version": row["codebook_version"],
        "horizon_text": row["horizon_text"],
    }


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
