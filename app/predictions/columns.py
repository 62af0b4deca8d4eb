"""The file format predictions travel in: its columns, CSV or JSONL, and the formula guard."""

import re
from enum import StrEnum

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
OPTIONAL_COLUMNS = ("conditional_on", "probability_basis", "question", "source_sha256")
EXPORT_ONLY = ("id", "status", "codebook_version", "horizon_text")
EXPORT_COLUMNS = ("id", *COLUMNS, *OPTIONAL_COLUMNS, "status", "codebook_version", "horizon_text")
REQUIRED_COLUMNS = ("author", "quote", "claim", "resolve_by")


class Format(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


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
