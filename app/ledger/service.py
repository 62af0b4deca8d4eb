"""Appending records to the Merkle log, reading entries and proofs, signing checkpoints."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col

from app import events
from app.db import bulk_insert, table_of
from app.errors import Invalid, NotFound
from app.ledger import hashing, leaves, notes
from app.ledger.keys import Signer
from app.models import (
    LogCheckpoint,
    LogHead,
    LogLeaf,
    LogNode,
    Prediction,
    PredictionRevision,
    Resolution,
    utc_now,
)
from app.unique import inserted

MAX_ENTRIES = 1000  # a page of GET /log/entries
BULK = 100  # more leaves than this at once go in by COPY (PostgreSQL)


@dataclass(frozen=True)
class Entry:
    """A record to append: its kind, where it lives, and its content."""

    kind: str
    record_id: int
    prediction_id: int
    record: dict[str, Any]

    @property
    def table(self) -> str:
        return leaves.TABLES[self.kind]


def prediction_entry(prediction: Prediction, tags: list[str]) -> Entry:
    assert prediction.id is not None
    record = leaves.prediction_record(prediction.model_dump(), tags)
    return Entry("prediction", prediction.id, prediction.id, record)


def revision_entry(revision: PredictionRevision) -> Entry:
    assert revision.id is not None
    record = leaves.revision_record(revision.model_dump())
    return Entry(leaves.revision_kind(revision.action), revision.id, revision.prediction_id, record)


def verdict_entry(resolution: Resolution) -> Entry:
    assert resolution.id is not None
    kind = leaves.verdict_kind(resolution.outcome, resolution.supersedes_id)
    record = leaves.verdict_record(resolution.model_dump())
    return Entry(kind, resolution.id, resolution.prediction_id, record)


def append(*, session: Session, entries: Sequence[Entry]) -> list[int]:
    """Append the entries in the caller's transaction; returns their indexes.

    Call it as the last write before commit: it locks the log head until the commit, so the
    lock is held for the append alone.
    """
    if not entries:
        return []
    session.flush()  # the caller's pending writes go first, not under the lock
    size, known = _lock_head(session)
    now = utc_now()
    rows, hashes = [], []
    for seq, entry in enumerate(entries, start=size):
        text = leaves.leaf_text(entry.kind, seq, entry.record)
        digest = hashing.leaf_hash(text.encode())
        hashes.append(digest)
        rows.append(
            {
                "idx": seq,
                "kind": entry.kind,
                "record_table": entry.table,
                "record_id": entry.record_id,
                "prediction_id": entry.prediction_id,
                "leaf": text,
                "leaf_hash": digest,
                "created_at": now,
            }
        )
    nodes = _completed_nodes(size, hashes, known)
    grown = size + len(entries)
    edge = b"".join(nodes.get(n) or known[n] for n in frontier(grown))
    head = (
        update(table_of(LogHead))
        .where(col(LogHead.id) == 1)
        .values(size=grown, frontier=edge, updated_at=now)
    )
    node_rows = [{"level": lv, "position": p, "hash": h} for (lv, p), h in nodes.items()]
    if len(rows) > BULK:
        bulk_insert(session, table_of(LogLeaf), rows)
        bulk_insert(session, table_of(LogNode), node_rows)
    elif session.get_bind().dialect.name == "postgresql":
        # One round trip for the leaf, its nodes and the head: the lock is held that much less.
        leaf_cte = insert(table_of(LogLeaf)).values(rows).cte("new_leaves")
        node_cte = insert(table_of(LogNode)).values(node_rows).cte("new_nodes")
        head = head.add_cte(leaf_cte).add_cte(node_cte)
    else:
        connection = session.connection()
        connection.execute(insert(table_of(LogLeaf)), rows)
        connection.execute(insert(table_of(LogNode)), node_rows)
    session.connection().execute(head)
    return list(range(size, grown))


def _lock_head(session: Session) -> tuple[int, dict[tuple[int, int], bytes]]:
    """Lock the head row; its size and the hashes of the subtrees the tree splits into."""
    statement = (
        select(col(LogHead.size), col(LogHead.frontier))
        .where(col(LogHead.id) == 1)
        .with_for_update()
    )
    found = session.connection().execute(statement).first()
    if found is None:  # the head row was deleted (tests empty every table) or never made
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        row = {"id": 1, "size": 0, "frontier": b"", "updated_at": utc_now()}
        session.execute(dialect.insert(table_of(LogHead)).values(row).on_conflict_do_nothing())
        found = session.connection().execute(statement).one()
    size, edge = int(found[0]), bytes(found[1] or b"")
    wanted = frontier(size)
    if len(edge) != 32 * len(wanted):  # not kept (an older head): read the stored nodes
        return size, _read_nodes(session, wanted)
    return size, {n: edge[32 * i : 32 * (i + 1)] for i, n in enumerate(wanted)}


def frontier(size: int) -> list[tuple[int, int]]:
    """The complete subtrees [0, size) splits into, largest first: (level, position)."""
    out, start = [], 0
    for level in range(size.bit_length() - 1, -1, -1):
        if size >> level & 1:
            out.append((level, start >> level))
            start += 1 << level
    return out


def _completed_nodes(
    size: int, hashes: list[bytes], known: dict[tuple[int, int], bytes]
) -> dict[tuple[int, int], bytes]:
    """Every node the new leaves complete, from the old tree's frontier (`known`)."""
    new: dict[tuple[int, int], bytes] = {}
    for offset, digest in enumerate(hashes):
        index = size + offset
        new[(0, index)] = digest
        level, position, current = 0, index, digest
        while position & 1:
            left = new.get((level, position - 1)) or known[(level, position - 1)]
            current = hashing.node_hash(left, current)
            level, position = level + 1, position >> 1
            new[(level, position)] = current
    return new


def _read_nodes(
    session: Session, wanted: Iterable[tuple[int, int]]
) -> dict[tuple[int, int], bytes]:
    keys = list(wanted)
    if not keys:
        return {}
    pairs = tuple_(col(LogNode.level), col(LogNode.position))
    rows = session.execute(
        select(col(LogNode.level), col(LogNode.position), col(LogNode.hash)).where(pairs.in_(keys))
    )
    return {(lv, p): bytes(h) for lv, p, h in rows}


class _Nodes:
    """Reads stored subtree hashes for the pure proof functions, one query per node."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.reads = 0

    def __call__(self, level: int, position: int) -> bytes:
        self.reads += 1
        found = self.session.scalar(
            select(col(LogNode.hash)).where(
                col(LogNode.level) == level, col(LogNode.position) == position
            )
        )
        if found is None:
            raise RuntimeError(f"log node ({level}, {position}) is missing")
        return bytes(found)


def tree_size(*, session: Session) -> int:
    """How many leaves the log holds (committed, as this transaction sees it)."""
    return int(session.scalar(select(col(LogHead.size)).where(col(LogHead.id) == 1)) or 0)


def root(*, session: Session, size: int) -> bytes:
    return hashing.root(_Nodes(session), size)


def _check_size(session: Session, size: int, field: str) -> int:
    current = tree_size(session=session)
    if not 1 <= size <= current:
        raise Invalid(f"{field} must be between 1 and the tree size, {current}", field=field)
    return current


def inclusion(*, session: Session, index: int, size: int) -> list[bytes]:
    """The audit path of leaf `index` in the tree of `size` leaves."""
    _check_size(session, size, "tree_size")
    if not 0 <= index < size:
        raise Invalid(f"index must be at least 0 and below tree_size {size}", field="index")
    return hashing.inclusion_path(_Nodes(session), index, size)


def consistency(*, session: Session, first: int, second: int) -> list[bytes]:
    """The proof that the tree of `first` leaves is a prefix of the tree of `second`."""
    _check_size(session, second, "second")
    if not 1 <= first <= second:
        raise Invalid(f"first must be between 1 and second ({second})", field="first")
    return hashing.consistency_path(_Nodes(session), first, second)


def entries(*, session: Session, start: int, end: int) -> list[LogLeaf]:
    """Leaves [start, end), at most MAX_ENTRIES of them."""
    size = tree_size(session=session)
    if start < 0 or start >= size:
        raise Invalid(f"start must be at least 0 and below the tree size, {size}", field="start")
    if end <= start:
        raise Invalid(f"end must be above start ({start})", field="end")
    end = min(end, size, start + MAX_ENTRIES)
    statement = (
        select(LogLeaf)
        .where(col(LogLeaf.idx) >= start, col(LogLeaf.idx) < end)
        .order_by(col(LogLeaf.idx))
    )
    return list(session.scalars(statement))


def prediction_index(*, session: Session, prediction_id: int) -> int:
    """The index of the leaf that logged this prediction, or 404."""
    found = log_indexes(session=session, table="prediction", ids=[prediction_id])
    if prediction_id not in found:
        raise NotFound(f"no prediction {prediction_id} in the log", field="prediction_id")
    return found[prediction_id]


def log_indexes(*, session: Session, table: str, ids: Iterable[int]) -> dict[int, int]:
    """Record id → the index of its leaf, for records of one table."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = session.execute(
        select(col(LogLeaf.record_id), col(LogLeaf.idx)).where(
            col(LogLeaf.record_table) == table, col(LogLeaf.record_id).in_(wanted)
        )
    )
    return {int(record_id): int(idx) for record_id, idx in rows}


def latest_checkpoint(*, session: Session) -> LogCheckpoint | None:
    statement = select(LogCheckpoint).order_by(col(LogCheckpoint.tree_size).desc()).limit(1)
    return session.scalars(statement).first()


def checkpoint(*, session: Session, signer: Signer) -> LogCheckpoint:
    """The latest checkpoint, signing a new one first when the tree has grown since."""
    latest = latest_checkpoint(session=session)
    size = tree_size(session=session)
    if latest is not None and latest.tree_size >= size:
        return latest
    digest = root(session=session, size=size)
    body = notes.checkpoint_body(signer.name, size, digest)
    made = LogCheckpoint(
        tree_size=size,
        root_hash=digest,
        origin=signer.name,
        note=notes.sign(body, signer.name, signer.key),
        created_at=utc_now(),
    )
    if not inserted(session, made):  # another request signed this size first
        found = latest_checkpoint(session=session)
        assert found is not None
        return found
    events.publish(events.CheckpointSigned(session, made.tree_size, made.note, made.created_at))
    return made
