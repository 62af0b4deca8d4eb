"""Appends the records an existing database holds, in the order they were made (migration 0011).

It reads only the columns leaf format v1 records (lightweight tables, not the models, which
later migrations may extend), so it runs at revision 0011 whatever the models hold today.
"""

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from app.ledger import hashing, leaves
from app.ledger.service import frontier
from app.models import UTCDateTime, utc_now

_TYPES: dict[str, Any] = {
    "probability": sa.Float(),
    "made_at": UTCDateTime(),
    "created_at": UTCDateTime(),
    "changed_at": UTCDateTime(),
    "resolve_by": sa.Date(),
    "resolved_on": sa.Date(),
    "before": sa.JSON(),
    "after": sa.JSON(),
    "evidence_urls": sa.JSON(),
    "condition_met": sa.Boolean(),
}
CHUNK = 5000


def _table(name: str, columns: tuple[str, ...]) -> sa.TableClause:
    return sa.table(name, *(sa.column(c, _TYPES.get(c)) for c in ("id", *columns)))


def backfill(connection: Connection) -> int:
    """Append every prediction, revision and verdict to an empty log; returns the leaf count."""
    entries = sorted(_records(connection), key=lambda e: e[0])
    hashes: list[bytes] = []
    leaf_rows: list[dict[str, Any]] = []
    now = utc_now()
    for seq, (_, kind, table, record) in enumerate(entries):
        text = leaves.leaf_text(kind, seq, record)
        hashes.append(hashing.leaf_hash(text.encode()))
        leaf_rows.append(
            {
                "idx": seq,
                "kind": kind,
                "record_table": table,
                "record_id": record["id"],
                "prediction_id": record["id"] if table == "prediction" else record["prediction_id"],
                "leaf": text,
                "leaf_hash": hashes[-1],
                "created_at": now,
            }
        )
    _insert(connection, "log_leaf", leaf_rows)
    _insert(connection, "log_node", list(_nodes(hashes)))
    node = hashing.in_memory(hashes)
    edge = b"".join(node(level, position) for level, position in frontier(len(hashes)))
    head = sa.table(
        "log_head",
        sa.column("id"),
        sa.column("size"),
        sa.column("frontier", sa.LargeBinary()),
        sa.column("updated_at", UTCDateTime()),
    )
    connection.execute(
        sa.insert(head).values(id=1, size=len(hashes), frontier=edge, updated_at=now)
    )
    return len(hashes)


def _insert(connection: Connection, name: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    binary = {"leaf_hash", "hash"}
    table = sa.table(
        name, *(sa.column(c, sa.LargeBinary() if c in binary else None) for c in rows[0])
    )
    for i in range(0, len(rows), CHUNK):
        connection.execute(sa.insert(table), rows[i : i + CHUNK])


def _nodes(hashes: list[bytes]) -> Iterator[dict[str, Any]]:
    level, below = 0, hashes
    while below:
        for position, digest in enumerate(below):
            yield {"level": level, "position": position, "hash": digest}
        below = [hashing.node_hash(below[i], below[i + 1]) for i in range(0, len(below) - 1, 2)]
        level += 1


def _rows(connection: Connection, name: str, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    result = connection.execute(sa.select(_table(name, columns))).mappings()
    return [dict(row) for row in result]


def _records(connection: Connection) -> Iterator[tuple[tuple[Any, ...], str, str, dict[str, Any]]]:
    """(order key, kind, table, record) of every record; a prediction's record is rebuilt as
    it was logged by undoing its revisions, newest first."""
    revisions = _rows(connection, "prediction_revision", leaves.REVISION_FIELDS)
    revisions.sort(key=lambda r: (r["changed_at"], r["id"]))
    by_prediction: defaultdict[int, list[Any]] = defaultdict(list)
    for r in revisions:
        by_prediction[r["prediction_id"]].append(r)
        record = leaves.revision_record(r)
        yield (
            (r["changed_at"], 2, r["id"]),
            leaves.revision_kind(r["action"]),
            "prediction_revision",
            record,
        )
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for pid, tag in connection.execute(sa.text("SELECT prediction_id, tag FROM prediction_tag")):
        tags[pid].append(tag)
    for row in _rows(connection, "prediction", leaves.PREDICTION_FIELDS):
        record = leaves.prediction_record(row, tags[row["id"]])
        for revision in reversed(by_prediction[row["id"]]):
            record |= {k: v for k, v in revision["before"].items() if k in record}
        record["tags"] = sorted(record["tags"])
        yield (row["created_at"], 0, row["id"]), "prediction", "prediction", record
    for row in _rows(connection, "resolution", leaves.VERDICT_FIELDS):
        kind = leaves.verdict_kind(row["outcome"], row["supersedes_id"])
        yield (row["created_at"], 1, row["id"]), kind, "resolution", leaves.verdict_record(row)
