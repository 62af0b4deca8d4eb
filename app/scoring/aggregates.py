"""A track record's sums, computed by the database over the author's index (issue 16).

The server's work is then proportional to the number of groups (bins, tags, outlets, years,
months), not to the author's predictions: an author with 10,000 verdicts costs the server about
what one with ten does. The sums are read from the predictions themselves, in the request's
snapshot, so they are right by construction after any change; nothing needs upkeep.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    bindparam,
    case,
    cast,
    extract,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import col

from app.models import Outlet, Prediction, PredictionTag, Source, Status, UTCDateTime
from app.scoring import rules

P = col(Prediction.probability)
Y = case((col(Prediction.outcome) == "true", 1.0), else_=0.0)
SE = (P - Y) * (P - Y)
LOW, HIGH = rules.LOG_CLIP
Q = case((P < LOW, LOW), (P > HIGH, HIGH), else_=P)
LOG = Y * func.ln(Q) + (1.0 - Y) * func.ln(1.0 - Q)
SPHERICAL = (Y * P + (1.0 - Y) * (1.0 - P)) / func.sqrt(P * P + (1.0 - P) * (1.0 - P))
# bisect_right over the inner edges, as rules.bin_index: the edges are the same doubles.
BIN = case(*((rules.BIN_EDGES[k] <= P, k) for k in range(rules.N_BINS - 1, 0, -1)), else_=0)
SCORED = (col(Prediction.status) == Status.resolved) & col(Prediction.outcome).in_(
    ("true", "false")
)


def start_of(day: date, *, days: int = 0) -> datetime:
    """Midnight UTC starting the day (days later)."""
    return datetime.combine(day + timedelta(days=days), time(), tzinfo=UTC)


Shape = tuple[bool, bool, bool, bool]


@dataclass(frozen=True)
class Filters:
    """The track record's filters, as SQL conditions on the author's predictions."""

    author_id: int
    since: date | None = None
    until: date | None = None
    tag: str | None = None
    basis: str | None = None

    @property
    def shape(self) -> Shape:
        """Which filters are set: the queries are built once per shape, then reused."""
        return (
            self.since is not None,
            self.until is not None,
            self.tag is not None,
            self.basis is not None,
        )

    def params(self) -> dict[str, Any]:
        """The values of the bound parameters."""
        return {
            "author_id": self.author_id,
            "since": start_of(self.since) if self.since else None,
            "until": start_of(self.until, days=1) if self.until else None,
            "tag": self.tag,
            "basis": self.basis,
        }


def _where(shape: Shape) -> list[ColumnElement[bool]]:
    """The conditions every query of the track record shares, with bound parameters."""
    since, until, tag, basis = shape
    found: list[ColumnElement[bool]] = [col(Prediction.author_id) == bindparam("author_id")]
    if since:
        found.append(col(Prediction.made_at) >= bindparam("since", type_=UTCDateTime()))
    if until:
        found.append(col(Prediction.made_at) < bindparam("until", type_=UTCDateTime()))
    if basis:
        found.append(col(Prediction.probability_basis) == bindparam("basis"))
    if tag:
        tagged = select(col(PredictionTag.prediction_id)).where(
            col(PredictionTag.tag) == bindparam("tag")
        )
        found.append(col(Prediction.id).in_(tagged))
    return found


@dataclass
class Totals:
    """Sums of one group of scored predictions."""

    n: int = 0
    sum_p: float = 0.0
    sum_y: float = 0.0
    sum_se: float = 0.0
    sum_se2: float = 0.0
    sum_log: float = 0.0
    sum_sph: float = 0.0
    sum_sharp: float = 0.0

    def add(self, other: "Totals") -> None:
        """Add another group's sums to these."""
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Sums:
    """Everything a track record needs, in groups."""

    counts: dict[str, int] = field(default_factory=dict)
    bins: dict[tuple[str, int], Totals] = field(default_factory=dict)
    groups: dict[str, dict[str, Totals]] = field(default_factory=lambda: defaultdict(dict))
    months: list[tuple[str, int, float]] = field(default_factory=list)
    questions: list[tuple[str, float, float]] = field(default_factory=list)


def sums(connection: Connection, filters: Filters) -> Sums:
    """The track record's sums in four queries."""
    statements = _statements(filters.shape)
    params = filters.params()

    def run(name: str) -> Any:
        return connection.execute(statements[name], params)

    found = Sums(counts={str(status): int(n) for status, n in run("counts")})
    found.bins = {
        (str(basis), int(k)): Totals(int(n), *(float(v) for v in values))
        for basis, k, n, *values in run("bins")
    }
    months = []
    for dimension, name, a, b, n, se, lg, y in run("breakdowns"):
        if dimension == "month":
            months.append((f"{int(a):04d}-{int(b):02d}", int(n), float(se)))
            continue
        key = str(name) if name is not None else str(int(a))
        found.groups[str(dimension)][key] = Totals(
            int(n), sum_y=float(y), sum_se=float(se), sum_log=float(lg)
        )
    found.months = sorted(months)
    found.questions = [(str(q), float(p), float(y)) for q, p, y in run("questions")]
    return found


_BUILT: dict[Shape, dict[str, Executable]] = {}


def _statements(shape: Shape) -> dict[str, Executable]:
    found = _BUILT.get(shape)
    if found is None:
        where = _where(shape)
        found = _BUILT[shape] = {
            "counts": _counts(where),
            "bins": _bins(where),
            "breakdowns": _breakdowns(where),
            "questions": _questions(where),
        }
    return found


def _counts(where: list[ColumnElement[bool]]) -> Executable:
    return (
        select(col(Prediction.status), func.count()).where(*where).group_by(col(Prediction.status))
    )


def _bins(where: list[ColumnElement[bool]]) -> Executable:
    return (
        select(
            col(Prediction.probability_basis),
            BIN.label("bin"),
            func.count(),
            func.sum(P),
            func.sum(Y),
            func.sum(SE),
            func.sum(SE * SE),
            func.sum(LOG),
            func.sum(SPHERICAL),
            func.sum((P - 0.5) * (P - 0.5)),
        )
        .where(*where, SCORED)
        .group_by(col(Prediction.probability_basis), BIN)
    )


def _breakdowns(where: list[ColumnElement[bool]]) -> Executable:
    """By tag, outlet and year (Brier, log, base rate) and by month of verdict, in one query."""
    sums_of = (func.count(), func.sum(SE), func.sum(LOG), func.sum(Y))
    no_int, no_text = cast(null(), Integer), cast(null(), String)
    year = cast(extract("year", col(Prediction.made_at)), Integer)
    on_year = cast(extract("year", col(Prediction.resolved_on)), Integer)
    on_month = cast(extract("month", col(Prediction.resolved_on)), Integer)
    parts = [
        select(literal("tag"), col(PredictionTag.tag), no_int, no_int, *sums_of)
        .join(PredictionTag, col(PredictionTag.prediction_id) == col(Prediction.id))
        .where(*where, SCORED)
        .group_by(col(PredictionTag.tag)),
        select(literal("outlet"), col(Outlet.slug), no_int, no_int, *sums_of)
        .join(Source, col(Source.id) == col(Prediction.source_id))
        .join(Outlet, col(Outlet.id) == col(Source.outlet_id))
        .where(*where, SCORED)
        .group_by(col(Outlet.slug)),
        select(literal("year"), no_text, year, no_int, *sums_of)
        .where(*where, SCORED)
        .group_by(year),
        select(literal("month"), no_text, on_year, on_month, *sums_of)
        .where(*where, SCORED, col(Prediction.resolved_on).is_not(None))
        .group_by(on_year, on_month),
    ]
    return union_all(*parts)


def _questions(where: list[ColumnElement[bool]]) -> Executable:
    return (
        select(col(Prediction.question), P, Y)
        .where(*where, SCORED, col(Prediction.question).is_not(None))
        .order_by(col(Prediction.id))
    )
