"""Checking the log against the records and the checkpoints (`hindsight verify`).

The tree is rebuilt from the leaves' text, not from stored hashes; each leaf is compared with
today's row (a prediction's leaf, replayed through its revisions' new values, with today's
prediction); each checkpoint's signature and root are checked, and consecutive checkpoints
with a consistency proof.
"""

import itertools
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import rfc8785
from sqlalchemy import select
from sqlmodel import Session, col

from app.ledger import hashing, leaves, notes
from app.models import (
    LogCheckpoint,
    LogHead,
    LogLeaf,
    LogNode,
    Prediction,
    PredictionRevision,
    PredictionTag,
    Resolution,
)

PAGE = 5000
SHOWN = 60  # characters of a value quoted in a report


@dataclass
class Report:
    """What `hindsight verify` found: the problems, and how much it checked."""

    problems: list[str] = field(default_factory=list)
    leaves: int = 0
    records: int = 0
    checkpoints: int = 0

    def add(self, message: str) -> None:
        self.problems.append(message)


@dataclass(frozen=True)
class Leaf:
    index: int
    text: str
    stored_hash: bytes | None = None


def check_leaves(items: Iterable[Leaf], report: Report) -> list[bytes]:
    """The leaf hashes recomputed from the text, in order; a leaf that is not canonical
    JSON, is out of place or whose stored hash differs is reported."""
    hashes: list[bytes] = []
    for leaf in items:
        if leaf.index != len(hashes):
            report.add(f"leaf {len(hashes)} is missing (the next leaf is {leaf.index})")
            break
        digest = hashing.leaf_hash(leaf.text.encode())
        if leaf.stored_hash is not None and leaf.stored_hash != digest:
            report.add(f"leaf {leaf.index}: its stored hash is not SHA-256(0x00 ‖ leaf)")
        body = json.loads(leaf.text)
        if rfc8785.dumps(body).decode() != leaf.text or body.get("seq") != leaf.index:
            report.add(f"leaf {leaf.index}: not the canonical JSON of its own index")
        hashes.append(digest)
    report.leaves = len(hashes)
    return hashes


def check_checkpoint(
    note: str, verifier: str, node: hashing.Node, size: int, report: Report
) -> notes.Checkpoint | None:
    """The note's signature, and its root against the rebuilt tree."""
    try:
        checkpoint = notes.open_checkpoint(note, verifier)
    except (notes.NoteError, ValueError) as exc:
        report.add(f"checkpoint: {exc}")
        return None
    if checkpoint.size > size:
        report.add(f"checkpoint of {checkpoint.size} leaves: the log has only {size}")
    elif hashing.root(node, checkpoint.size) != checkpoint.root:
        report.add(f"checkpoint of {checkpoint.size} leaves: its root is not the log's")
    return checkpoint


def check_consistent(
    older: notes.Checkpoint, newer: notes.Checkpoint, node: hashing.Node, report: Report
) -> None:
    """A consistency proof from the log, checked against both checkpoints' roots."""
    if older.size == 0 or older.size > newer.size:
        return
    path = hashing.consistency_path(node, older.size, newer.size)
    if not hashing.verify_consistency(older.size, newer.size, path, older.root, newer.root):
        report.add(f"checkpoints of {older.size} and {newer.size} leaves are not consistent")


def verify_database(*, session: Session, verifier: str, saved: list[str]) -> Report:
    """Every check against this database; `saved` are checkpoint notes kept elsewhere."""
    report = Report()
    stored = list(_leaf_rows(session))
    hashes = check_leaves((Leaf(r.idx, r.leaf, bytes(r.leaf_hash)) for r in stored), report)
    node = hashing.in_memory(hashes)
    head = session.scalar(select(col(LogHead.size)).where(col(LogHead.id) == 1)) or 0
    if head != len(hashes):
        report.add(f"the log head says {head} leaves; {len(hashes)} are stored")
    _check_nodes(session, node, len(hashes), report)
    _check_records(session, stored, report)
    notes_kept = list(
        session.scalars(select(col(LogCheckpoint.note)).order_by(col(LogCheckpoint.tree_size)))
    )
    check_notes([*notes_kept, *saved], verifier, node, len(hashes), report)
    return report


def check_notes(
    kept: list[str], verifier: str, node: hashing.Node, size: int, report: Report
) -> None:
    opened = [check_checkpoint(n, verifier, node, size, report) for n in kept]
    valid = sorted((c for c in opened if c is not None and c.size <= size), key=lambda c: c.size)
    today = notes.Checkpoint(origin="", size=size, root=hashing.root(node, size))
    for older, newer in itertools.pairwise([*valid, today]):
        check_consistent(older, newer, node, report)
    report.checkpoints = len(kept)


def _leaf_rows(session: Session) -> Iterator[LogLeaf]:
    start = 0
    while True:
        page = list(
            session.scalars(
                select(LogLeaf)
                .where(col(LogLeaf.idx) >= start)
                .order_by(col(LogLeaf.idx))
                .limit(PAGE)
            )
        )
        yield from page
        if len(page) < PAGE:
            return
        start = page[-1].idx + 1


def _check_nodes(session: Session, node: hashing.Node, size: int, report: Report) -> None:
    """Stored subtree hashes (what proofs are built from) against the rebuilt tree."""
    wrong = 0
    for level, position, digest in session.execute(
        select(col(LogNode.level), col(LogNode.position), col(LogNode.hash))
    ):
        if (position + 1) << level > size or node(level, position) != bytes(digest):
            wrong += 1
    if wrong:
        report.add(f"{wrong} stored subtree hashes differ from the tree rebuilt from the leaves")


def _check_records(session: Session, stored: list[LogLeaf], report: Report) -> None:
    logged: dict[tuple[str, int], LogLeaf] = {(r.record_table, r.record_id): r for r in stored}
    by_prediction: defaultdict[int, list[LogLeaf]] = defaultdict(list)
    for r in stored:
        by_prediction[r.prediction_id].append(r)
    tags: defaultdict[int, list[str]] = defaultdict(list)
    for pid, tag in session.execute(
        select(col(PredictionTag.prediction_id), col(PredictionTag.tag))
    ):
        tags[pid].append(tag)
    for revision in session.scalars(select(PredictionRevision)):
        _compare(
            report, "revision", revision.id, logged, leaves.revision_record(revision.model_dump())
        )
    for verdict in session.scalars(select(Resolution)):
        _compare(
            report, "resolution", verdict.id, logged, leaves.verdict_record(verdict.model_dump())
        )
    for prediction in session.scalars(select(Prediction)):
        report.records += 1
        assert prediction.id is not None
        today = leaves.prediction_record(prediction.model_dump(), tags[prediction.id])
        today |= {
            "outcome": prediction.outcome,
            "resolved_on": leaves.plain(prediction.resolved_on),
        }
        own = logged.get(("prediction", prediction.id))
        if own is None:
            report.add(f"prediction {prediction.id} is not in the log")
            continue
        expected = _replayed(by_prediction[prediction.id])
        for name in sorted(expected):
            if _same(expected[name], today.get(name)):
                continue
            report.add(
                f"prediction {prediction.id} (leaf {own.idx}): {name} is {_shown(today.get(name))} "
                f"in the database but {_shown(expected[name])} in the log: leaf {own.idx} "
                f"{_clip(own.leaf)}"
            )


def _compare(
    report: Report,
    what: str,
    record_id: int | None,
    logged: dict[tuple[str, int], LogLeaf],
    today: dict[str, Any],
) -> None:
    report.records += 1
    table = "prediction_revision" if what == "revision" else what
    leaf = logged.get((table, record_id or 0))
    if leaf is None:
        report.add(f"{what} {record_id} is not in the log")
        return
    recorded = json.loads(leaf.leaf)["record"]
    for name in sorted(set(recorded) | set(today)):
        if not _same(recorded.get(name), today.get(name)):
            report.add(
                f"{what} {record_id} (leaf {leaf.idx}): {name} is {_shown(today.get(name))} in "
                f"the database but {_shown(recorded.get(name))} in the log: leaf {leaf.idx} "
                f"{_clip(leaf.leaf)}"
            )


def _replayed(own_leaves: list[LogLeaf]) -> dict[str, Any]:
    """A prediction's fields after every logged change: its leaf, then each revision's new
    values, with the outcome of the last verdict."""
    state: dict[str, Any] = {"outcome": None, "resolved_on": None}
    for leaf in sorted(own_leaves, key=lambda r: r.idx):
        body = json.loads(leaf.leaf)
        record = body["record"]
        if body["kind"] == "prediction":
            state |= {k: v for k, v in record.items() if k != "id"}
        elif leaf.record_table == "prediction_revision":
            state |= {k: v for k, v in record["after"].items() if k in state and k != "outcome"}
        else:
            state |= {"outcome": record["outcome"], "resolved_on": record["resolved_on"]}
    if isinstance(state.get("tags"), list):
        state["tags"] = sorted(state["tags"])
    return state


def _same(a: Any, b: Any) -> bool:
    return bool(_normal(a) == _normal(b))


def _normal(value: Any) -> Any:
    if isinstance(value, str) and value.endswith("+00:00"):
        return value.removesuffix("+00:00") + "Z"
    return value


def _shown(value: Any, most: int = SHOWN) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= most else text[: most - 1] + "…"


def _clip(text: str, most: int = 300) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"
