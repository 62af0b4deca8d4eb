"""The canonical leaf of each record kind: frozen, versioned (FORMAT), RFC 8785 JSON.

A leaf is `{"format", "kind", "seq", "record"}`: `seq` is the leaf's index in the log and
`record` the record's content when it was made. Changing what a kind records means a new
FORMAT; leaves already in the log keep theirs.

Kinds: `prediction` (a logged forecast); `revision` (any entry of its history: a correction,
a verdict's or a snooze's status change, an attribution) and `withdrawal` (a revision that
withdraws it); `verdict` (a first verdict), `supersession` (a verdict replacing another) and
`void` (a verdict whose outcome is void, first or replacing).
"""

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, cast

import rfc8785

FORMAT = "hindsight-leaf-v1"
_SURROGATE = re.compile("[\ud800-\udfff]")

PREDICTION_FIELDS = (
    "author_id",
    "source_id",
    "quote",
    "claim",
    "resolution_criteria",
    "probability",
    "probability_basis",
    "hedge",
    "codebook_version",
    "probability_note",
    "polarity",
    "hedge_from",
    "made_at",
    "resolve_by",
    "horizon_text",
    "conditional_on",
    "question",
    "logged_by_id",
    "created_at",
)
REVISION_FIELDS = (
    "prediction_id",
    "action",
    "reason",
    "before",
    "after",
    "changed_by_id",
    "changed_at",
)
VERDICT_FIELDS = (
    "prediction_id",
    "outcome",
    "resolved_on",
    "evidence_urls",
    "note",
    "resolved_by_id",
    "supersedes_id",
    "condition_met",
    "created_at",
)
# The table each kind's record lives in.
TABLES = {
    "prediction": "prediction",
    "revision": "prediction_revision",
    "withdrawal": "prediction_revision",
    "verdict": "resolution",
    "supersession": "resolution",
    "void": "resolution",
}


def plain(value: Any) -> Any:
    """A JSON value: instants as UTC ISO 8601 with Z, dates as ISO 8601."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def prediction_record(row: Mapping[str, Any], tags: list[str]) -> dict[str, Any]:
    """A prediction's content as it was logged, tags sorted."""
    record = {name: plain(row.get(name)) for name in PREDICTION_FIELDS}
    return record | {"id": row["id"], "tags": sorted(tags)}


def revision_kind(action: str) -> str:
    return "withdrawal" if action == "withdraw" else "revision"


def revision_record(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: plain(row.get(name)) for name in REVISION_FIELDS} | {"id": row["id"]}


def verdict_kind(outcome: str, supersedes_id: int | None) -> str:
    if outcome == "void":
        return "void"
    return "verdict" if supersedes_id is None else "supersession"


def verdict_record(row: Mapping[str, Any]) -> dict[str, Any]:
    return {name: plain(row.get(name)) for name in VERDICT_FIELDS} | {"id": row["id"]}


def leaf_text(kind: str, seq: int, record: dict[str, Any]) -> str:
    """The exact text that is hashed: RFC 8785 canonical JSON, UTF-8."""
    body: dict[str, Any] = {"format": FORMAT, "kind": kind, "seq": seq, "record": record}
    return canonical(body)


def canonical(value: Any) -> str:
    """RFC 8785 JSON. The standard library's sorted, compact output is the same text when
    every key is ASCII, every number an integer below 2**53 or a float Python writes as
    ECMAScript does (no exponent, not integral), so that case skips the slower encoder."""
    if _plain(value):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return rfc8785.dumps(cast(Any, value)).decode()


def _plain(value: Any) -> bool:
    if isinstance(value, dict):
        return all(k.isascii() and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    if isinstance(value, bool) or value is None:
        return True
    if isinstance(value, int):
        return abs(value) < 2**53
    if isinstance(value, float):
        text = repr(value)
        return "e" not in text and "n" not in text and not value.is_integer()
    return isinstance(value, str) and (value.isascii() or not _SURROGATE.search(value))
