"""The unfiltered leaderboard as bytes (issue 16): every ranked author's row rendered once per
scores version, so any min_resolved, limit and offset is a filter, a slice and a join of bytes,
with the body and ETag the route would give.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import col

from app.models import Author
from app.scoring import rows, service
from app.scoring.cache import etag_for
from app.scoring.schemas import Leaderboard

# The route's bounds (app/deps.py Limit and Offset, the router's min_resolved); anything else,
# or any other parameter, is the route's to answer (its 422 messages stay its own).
BOUNDS = {"min_resolved": (1, 100_000), "limit": (1, 500), "offset": (0, 10_000_000)}
DEFAULTS = {"min_resolved": 10, "limit": 100, "offset": 0}
PLAIN = re.compile(r"0|[1-9][0-9]{0,7}")
RANK_PREFIX = b'{"rank":0'
THRESHOLDS_KEPT = 64


@dataclass
class RankedBoard:
    """The unfiltered ranking at one scores version, each row's JSON after its rank."""

    version: int
    resolved: list[int]
    rows: list[bytes]
    mean: float | None
    eligible: dict[int, list[int]] = field(default_factory=dict)

    def page(self, min_resolved: int, limit: int, offset: int) -> tuple[str, bytes]:
        """The ETag and body of this page, as the route renders them."""
        eligible = self._eligible(min_resolved)
        items = b",".join(
            b'{"rank":' + str(offset + i + 1).encode() + self.rows[k]
            for i, k in enumerate(eligible[offset : offset + limit])
        )
        empty = Leaderboard(
            items=[],
            total=len(eligible),
            limit=limit,
            offset=offset,
            population_mean=self.mean,
            min_resolved=min_resolved,
            hidden_below_min_resolved=len(self.rows) - len(eligible),
            notes=service.LEADERBOARD_NOTES,
        ).model_dump_json()
        head, tail = empty.encode().split(b"[]", 1)  # `"items":[]` comes first
        query = service.LeaderQuery(min_resolved, None, None, None, None, None)
        etag = etag_for(("leaderboard", query, limit, offset, self.version))
        return etag, head + b"[" + items + b"]" + tail

    def _eligible(self, min_resolved: int) -> list[int]:
        found = self.eligible.get(min_resolved)
        if found is None:
            if len(self.eligible) >= THRESHOLDS_KEPT:
                self.eligible.clear()
            found = [k for k, n in enumerate(self.resolved) if n >= min_resolved]
            self.eligible[min_resolved] = found
        return found


def parse(query_string: bytes) -> tuple[int, int, int] | None:
    """(min_resolved, limit, offset) from a plain query string, or None for the route."""
    try:
        text = query_string.decode("ascii")
    except UnicodeDecodeError:
        return None
    if "%" in text or "+" in text:
        return None
    pairs = parse_qsl(text, keep_blank_values=True)
    values = dict(DEFAULTS)
    for name, value in pairs:
        bounds = BOUNDS.get(name)
        if bounds is None or not PLAIN.fullmatch(value):
            return None
        number = int(value)
        if not bounds[0] <= number <= bounds[1]:
            return None
        values[name] = number
    if len({name for name, _ in pairs}) != len(pairs):
        return None
    return values["min_resolved"], values["limit"], values["offset"]


def build(engine: Engine) -> RankedBoard:
    """The ranking at the current scores version, every row rendered once."""
    with engine.connect() as connection:
        version = rows.version(connection)
        ranked, mean = service.leaderboard_rows(
            connection, service.LeaderQuery(min_resolved=1), version=version
        )
        names = {
            int(aid or 0): (slug, name)
            for aid, slug, name in connection.execute(
                select(col(Author.id), col(Author.slug), col(Author.name))
            )
        }
    rendered = []
    for author_id, stats in ranked:
        slug, name = names[author_id]
        row = service.leader_row(rank=0, slug=slug, name=name, stats=stats).model_dump_json()
        rendered.append(row.encode().removeprefix(RANK_PREFIX))
    return RankedBoard(version, [stats.n for _, stats in ranked], rendered, mean)
