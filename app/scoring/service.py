"""Track records and the leaderboard, computed from an author's predictions and the score rows."""

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from threading import Lock
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlmodel import col

from app.language.codebook import UnknownCodebook, get_codebook
from app.models import Author, AuthorScoreBin, Outlet, Prediction, PredictionTag, Source, Status
from app.scoring import aggregates, rules
from app.scoring.rows import OUTCOME_VALUE
from app.scoring.schemas import (
    BRIER_NOTE,
    LOG_SCORE_NOTE,
    BinOut,
    Brief,
    Counts,
    DecompositionOut,
    LeaderRow,
    MonthPoint,
    Relative,
    Rescoring,
    Skill,
    TrackRecord,
)

Z_95 = 1.959963984540054
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Record:
    """One of an author's predictions, as much of it as a track record needs."""

    id: int
    p: float
    basis: str
    hedge: str | None
    status: str
    outcome: str | None
    made_at: datetime
    resolved_on: date | None
    question: str | None
    outlet: str | None
    tags: tuple[str, ...]

    @property
    def y(self) -> float | None:
        """1 or 0 when the prediction is scored, else None."""
        if self.status != Status.resolved:
            return None
        return OUTCOME_VALUE.get(self.outcome or "")


@dataclass(frozen=True)
class TrackQuery:
    """What narrows or changes a track record."""

    since: date | None = None
    until: date | None = None
    tag: str | None = None
    basis: str | None = None
    codebook: str | None = None

    def admits(self, record: Record) -> bool:
        """Whether the record falls inside the filters."""
        made_on = record.made_at.date()
        return (
            (self.since is None or made_on >= self.since)
            and (self.until is None or made_on <= self.until)
            and (self.tag is None or self.tag in record.tags)
            and (self.basis is None or record.basis == self.basis)
        )


def load_records(connection: Connection, author_id: int) -> list[Record]:
    """Every prediction of the author, with its outlet and tags, in two queries."""
    statement = (
        select(
            col(Prediction.id),
            col(Prediction.probability),
            col(Prediction.probability_basis),
            col(Prediction.hedge),
            col(Prediction.status),
            col(Prediction.outcome),
            col(Prediction.made_at),
            col(Prediction.resolved_on),
            col(Prediction.question),
            col(Outlet.slug),
        )
        .join(Source, col(Source.id) == col(Prediction.source_id))
        .outerjoin(Outlet, col(Outlet.id) == col(Source.outlet_id))
        .where(col(Prediction.author_id) == author_id)
        .order_by(col(Prediction.id))
    )
    rows = connection.execute(statement).all()
    tags = _tags(connection, author_id)
    return [
        Record(
            id=pid or 0,
            p=p,
            basis=basis,
            hedge=hedge,
            status=status,
            outcome=outcome,
            made_at=made_at,
            resolved_on=resolved_on,
            question=question,
            outlet=outlet,
            tags=tuple(tags.get(pid or 0, ())),
        )
        for pid, p, basis, hedge, status, outcome, made_at, resolved_on, question, outlet in rows
    ]


def _tags(connection: Connection, author_id: int) -> dict[int, list[str]]:
    statement = (
        select(col(PredictionTag.prediction_id), col(PredictionTag.tag))
        .join(Prediction, col(Prediction.id) == col(PredictionTag.prediction_id))
        .where(col(Prediction.author_id) == author_id)
    )
    found: dict[int, list[str]] = defaultdict(list)
    for pid, tag in connection.execute(statement):
        found[pid].append(tag)
    return found


def rescore(records: list[Record], codebook: str) -> tuple[list[Record], Rescoring]:
    """Codebook-implied probabilities read again under another codebook."""
    try:
        book = get_codebook(codebook)
    except UnknownCodebook as exc:
        from app.errors import Invalid

        raise Invalid(str(exc).strip("'\""), field="codebook") from None
    out, rescored, unmapped = [], 0, 0
    for record in records:
        entry = book.match(record.hedge) if record.basis == "codebook" and record.hedge else None
        if record.basis == "codebook":
            rescored, unmapped = rescored + (entry is not None), unmapped + (entry is None)
        out.append(replace(record, p=entry.probability) if entry else record)
    return out, Rescoring(codebook=book.name, rescored=rescored, unmapped=unmapped)


def _selected(
    connection: Connection, author: Author, query: TrackQuery
) -> tuple[list[Record], Rescoring | None]:
    assert author.id is not None
    records = [r for r in load_records(connection, author.id) if query.admits(r)]
    if query.codebook:
        return rescore(records, query.codebook)
    return records, None


def calibration_of(*, connection: Connection, author: Author, query: TrackQuery) -> list[rules.Bin]:
    """The calibration bins of the author's scored predictions under the query."""
    records, _ = _selected(connection, author, query)
    return rules.calibration([(r.p, r.y) for r in records if r.y is not None])


def track_record(*, connection: Connection, author: Author, query: TrackQuery) -> TrackRecord:
    """The author's track record under the query: from the database's sums, or, to rescore
    under another codebook (which reads each hedge), from the predictions one by one."""
    assert author.id is not None
    if query.codebook is None:
        return _from_sums(connection, author, query)
    return _from_records(connection, author, query)


def _from_records(connection: Connection, author: Author, query: TrackQuery) -> TrackRecord:
    assert author.id is not None
    records, rescoring = _selected(connection, author, query)
    scored = [r for r in records if r.y is not None]
    summary = rules.summarize([(r.p, r.y) for r in scored if r.y is not None])
    return TrackRecord(
        author=author.slug,
        author_name=author.name,
        since=query.since,
        until=query.until,
        tag=query.tag,
        basis=query.basis,
        counts=_counts(records),
        scored=summary.n,
        brier=summary.brier,
        log_score=summary.log_score,
        spherical=summary.spherical,
        base_rate=summary.base_rate,
        sharpness=summary.sharpness,
        skill=Skill(vs_half=summary.skill_vs_half, vs_base_rate=summary.skill_vs_base_rate),
        brier_ci=summary.brier_ci,
        calibration=[BinOut(**vars(b)) for b in summary.calibration],
        decomposition=DecompositionOut(**vars(summary.decomposition))
        if summary.decomposition
        else None,
        by_basis=_by(scored, lambda r: [r.basis]),
        by_tag=_by(scored, lambda r: list(r.tags)),
        by_outlet=_by(scored, lambda r: [r.outlet] if r.outlet else []),
        by_year=_by(scored, lambda r: [str(r.made_at.year)]),
        running=_running(scored),
        relative=_relative(connection, author.id, scored),
        rescoring=rescoring,
        notes=[BRIER_NOTE, LOG_SCORE_NOTE],
    )


def _from_sums(connection: Connection, author: Author, query: TrackQuery) -> TrackRecord:
    assert author.id is not None
    filters = aggregates.Filters(author.id, query.since, query.until, query.tag, query.basis)
    found = aggregates.sums(connection, filters)
    total = aggregates.Totals()
    per_bin = [rules.BinTotals(0, 0.0, 0.0)] * rules.N_BINS
    by_basis: dict[str, aggregates.Totals] = defaultdict(aggregates.Totals)
    for (basis, k), totals in found.bins.items():
        total.add(totals)
        by_basis[basis].add(totals)
        n, sum_p, sum_y = per_bin[k]
        per_bin[k] = rules.BinTotals(n + totals.n, sum_p + totals.sum_p, sum_y + totals.sum_y)
    groups = found.groups
    return TrackRecord(
        author=author.slug,
        author_name=author.name,
        since=query.since,
        until=query.until,
        tag=query.tag,
        basis=query.basis,
        counts=Counts(
            logged=sum(found.counts.values()),
            **{s.value: found.counts.get(s.value, 0) for s in Status},
        ),
        **_headline(total, per_bin),
        by_basis={k: _brief_of(by_basis[k]) for k in sorted(by_basis)},
        by_tag={k: _brief_of(v) for k, v in sorted(groups["tag"].items())},
        by_outlet={k: _brief_of(v) for k, v in sorted(groups["outlet"].items())},
        by_year={k: _brief_of(v) for k, v in sorted(groups["year"].items())},
        running=_running_of(found.months),
        relative=_relative_of(connection, author.id, found.questions),
        rescoring=None,
        notes=[BRIER_NOTE, LOG_SCORE_NOTE],
    )


def _headline(total: aggregates.Totals, per_bin: list[rules.BinTotals]) -> dict[str, Any]:
    """The scores over every scored prediction, from their sums (0/1 outcomes only)."""
    calibration = [BinOut(**vars(b)) for b in rules.calibration_from_totals(per_bin)]
    n = total.n
    if n == 0:
        none = dict.fromkeys(("brier", "log_score", "spherical", "base_rate", "sharpness"))
        return {
            "scored": 0,
            **none,
            "skill": Skill(vs_half=None, vs_base_rate=None),
            "brier_ci": None,
            "calibration": calibration,
            "decomposition": None,
        }
    brier, base = total.sum_se / n, total.sum_y / n
    # With 0/1 outcomes a constant forecast c scores mean((c - y)^2) = c^2 - 2c·ō + ō.
    ref_base = base * (1.0 - base)
    decomposition = rules.decomposition_from_totals(per_bin, sum_se=total.sum_se)
    return {
        "scored": n,
        "brier": brier,
        "log_score": total.sum_log / n,
        "spherical": total.sum_sph / n,
        "base_rate": base,
        "sharpness": total.sum_sharp / n,
        "skill": Skill(
            vs_half=1.0 - brier / 0.25,
            vs_base_rate=1.0 - brier / ref_base if ref_base > 0 else None,
        ),
        "brier_ci": rules.brier_interval(rules.Moments(n, total.sum_se, total.sum_se2)),
        "calibration": calibration,
        "decomposition": DecompositionOut(**vars(decomposition)),
    }


def _brief_of(totals: aggregates.Totals) -> Brief:
    n = totals.n
    return Brief(
        n=n, brier=totals.sum_se / n, log_score=totals.sum_log / n, base_rate=totals.sum_y / n
    )


def _running_of(months: list[tuple[str, int, float]]) -> list[MonthPoint]:
    points, n, total = [], 0, 0.0
    for month, count, sum_se in months:
        n, total = n + count, total + sum_se
        points.append(MonthPoint(month=month, n=n, brier=total / n))
    return points


def _relative_of(
    connection: Connection, author_id: int, questions: list[tuple[str, float, float]]
) -> Relative | None:
    outcome = {1.0: "true", 0.0: "false"}
    scored = [
        Record(0, p, "", None, Status.resolved, outcome[y], _EPOCH, None, q, None, ())
        for q, p, y in questions
    ]
    return _relative(connection, author_id, scored) if scored else None


def _counts(records: Sequence[Record]) -> Counts:
    by_status: dict[str, int] = defaultdict(int)
    for record in records:
        by_status[record.status] += 1
    return Counts(logged=len(records), **{s.value: by_status[s.value] for s in Status})


def _brief(pairs: list[rules.Pair]) -> Brief:
    if not pairs:
        return Brief(n=0, brier=None, log_score=None, base_rate=None)
    return Brief(
        n=len(pairs),
        brier=rules.brier(pairs),
        log_score=rules.log_score(pairs),
        base_rate=rules.base_rate(pairs),
    )


def _by(scored: Iterable[Record], keys: Callable[[Record], list[str]]) -> dict[str, Brief]:
    groups: dict[str, list[rules.Pair]] = defaultdict(list)
    for record in scored:
        for key in keys(record):
            groups[key].append((record.p, record.y or 0.0))
    return {key: _brief(groups[key]) for key in sorted(groups)}


def _running(scored: Sequence[Record]) -> list[MonthPoint]:
    points: list[MonthPoint] = []
    total = 0.0
    dated = sorted((r for r in scored if r.resolved_on), key=lambda r: (r.resolved_on, r.id))
    for n, record in enumerate(dated, start=1):
        assert record.resolved_on is not None
        total += rules.squared_error(record.p, record.y or 0.0)
        month = f"{record.resolved_on:%Y-%m}"
        if points and points[-1].month == month:
            points.pop()
        points.append(MonthPoint(month=month, n=n, brier=total / n))
    return points


def _relative(connection: Connection, author_id: int, scored: Sequence[Record]) -> Relative | None:
    mine = {r.question: r for r in scored if r.question is not None}
    if not mine:
        return None
    others: dict[str, list[float]] = defaultdict(list)
    statement = select(col(Prediction.question), col(Prediction.probability)).where(
        col(Prediction.question).in_(list(mine)),
        col(Prediction.author_id) != author_id,
        col(Prediction.status) != Status.withdrawn,
    )
    for question, p in connection.execute(statement):
        others[str(question)].append(p)
    shared = [q for q in mine if others.get(q)]
    if not shared:
        return None
    own = rules.brier([(mine[q].p, mine[q].y or 0.0) for q in shared])
    crowd = rules.brier([(statistics.median(others[q]), mine[q].y or 0.0) for q in shared])
    return Relative(
        questions=len(shared),
        brier=own,
        crowd_brier=crowd,
        difference=own - crowd,
        ratio=own / crowd if crowd > 0 else None,
    )


@dataclass(frozen=True)
class LeaderQuery:
    """What narrows the leaderboard."""

    min_resolved: int = 10
    tag: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    basis: str | None = None

    @property
    def needs_predictions(self) -> bool:
        """Filters the score rows cannot answer: aggregate over the predictions instead."""
        return any(v is not None for v in (self.tag, self.outlet, self.since, self.until))


Moments4 = tuple[int, float, float, float]


def author_moments(connection: Connection, query: LeaderQuery) -> dict[int, Moments4]:
    """Author id → (n, Σ squared error, Σ its square, Σ log score) under the query."""
    if query.needs_predictions:
        return _moments_from_predictions(connection, query)
    statement = select(
        col(AuthorScoreBin.author_id),
        func.sum(AuthorScoreBin.n),
        func.sum(AuthorScoreBin.sum_se),
        func.sum(AuthorScoreBin.sum_se2),
        func.sum(AuthorScoreBin.sum_log),
    ).group_by(col(AuthorScoreBin.author_id))
    if query.basis:
        statement = statement.where(col(AuthorScoreBin.basis) == query.basis)
    rows = connection.execute(statement).all()
    return {aid: (int(n), float(se), float(se2), float(lg)) for aid, n, se, se2, lg in rows if n}


def _moments_from_predictions(connection: Connection, query: LeaderQuery) -> dict[int, Moments4]:
    statement = select(
        col(Prediction.author_id), col(Prediction.probability), col(Prediction.outcome)
    ).where(col(Prediction.status) == Status.resolved, col(Prediction.outcome).in_(OUTCOME_VALUE))
    statement = _filtered(statement, query)
    sums: dict[int, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for author_id, p, outcome in connection.execute(statement.execution_options(yield_per=20_000)):
        y = OUTCOME_VALUE[str(outcome)]
        se = rules.squared_error(p, y)
        total = sums[author_id]
        total[0] += 1
        total[1] += se
        total[2] += se * se
        total[3] += rules.log_term(p, y)
    return {aid: (int(t[0]), t[1], t[2], t[3]) for aid, t in sums.items()}


def _filtered(statement: Any, query: LeaderQuery) -> Any:
    if query.basis:
        statement = statement.where(col(Prediction.probability_basis) == query.basis)
    if query.since:
        statement = statement.where(col(Prediction.made_at) >= _start_of(query.since))
    if query.until:
        statement = statement.where(col(Prediction.made_at) < _start_of(query.until, days=1))
    if query.tag:
        tagged = select(col(PredictionTag.prediction_id)).where(col(PredictionTag.tag) == query.tag)
        statement = statement.where(col(Prediction.id).in_(tagged))
    if query.outlet:
        in_outlet = (
            select(col(Source.id))
            .join(Outlet, col(Outlet.id) == col(Source.outlet_id))
            .where(col(Outlet.slug) == query.outlet)
        )
        statement = statement.where(col(Prediction.source_id).in_(in_outlet))
    return statement


_start_of = aggregates.start_of


@dataclass(frozen=True)
class LeaderStats:
    """One author's leaderboard figures."""

    n: int
    brier: float
    shrunk: float
    low: float
    high: float
    log_score: float


_MOMENTS: dict[tuple[LeaderQuery, int], dict[int, Moments4]] = {}
_MOMENTS_LOCK = Lock()


def forget_moments() -> None:
    """Drop the cached sums (for a database whose scores version went back, as tests do)."""
    with _MOMENTS_LOCK:
        _MOMENTS.clear()
        _RANKED.clear()


def cached_moments(connection: Connection, query: LeaderQuery, version: int) -> dict[int, Moments4]:
    """author_moments, kept per scores version: every page and threshold of a board share it."""
    key = (replace(query, min_resolved=0), version)
    with _MOMENTS_LOCK:
        found = _MOMENTS.get(key)
    if found is None:
        found = author_moments(connection, query)
        with _MOMENTS_LOCK:
            if len(_MOMENTS) >= 64:
                _MOMENTS.clear()
            _MOMENTS[key] = found
    return found


_RANKED: dict[tuple[LeaderQuery, int], tuple[list[tuple[int, LeaderStats]], float | None]] = {}


def leaderboard_rows(
    connection: Connection, query: LeaderQuery, *, version: int
) -> tuple[list[tuple[int, LeaderStats]], float | None]:
    """Eligible authors ranked by shrunk Brier, and the population mean they shrink toward."""
    everyone, mean = _ranking(connection, query, version)
    return [item for item in everyone if item[1].n >= query.min_resolved], mean


def _ranking(
    connection: Connection, query: LeaderQuery, version: int
) -> tuple[list[tuple[int, LeaderStats]], float | None]:
    """Every author ranked, kept per scores version: the prior and the order do not depend
    on min_resolved, limit or offset, so a new page or threshold only filters and slices."""
    key = (replace(query, min_resolved=0), version)
    with _MOMENTS_LOCK:
        found = _RANKED.get(key)
    if found is not None:
        return found
    moments = cached_moments(connection, query, version)
    found = ([], None)
    if moments:
        prior = rules.population_prior([(n, se, se2) for n, se, se2, _ in moments.values()])
        ranked = [(author_id, _stats(m, prior)) for author_id, m in moments.items()]
        ranked.sort(key=lambda item: (item[1].shrunk, -item[1].n, item[0]))
        found = (ranked, prior.mean)
    with _MOMENTS_LOCK:
        if len(_RANKED) >= 64:
            _RANKED.clear()
        _RANKED[key] = found
    return found


def hidden_below_min_resolved(connection: Connection, query: LeaderQuery, *, version: int) -> int:
    """How many authors have verdicts under the query but fewer than min_resolved of them."""
    moments = cached_moments(connection, query, version)
    return sum(1 for n, *_ in moments.values() if n < query.min_resolved)


def _stats(m: tuple[int, float, float, float], prior: rules.Population) -> LeaderStats:
    n, sum_se, sum_se2, sum_log = m
    moments = rules.Moments(n, sum_se, sum_se2)
    interval = rules.brier_interval(moments)
    assert interval is not None  # a ranked author has at least one verdict
    shrunk = rules.shrunk_brier_from_moments(moments, prior=prior)
    return LeaderStats(n, sum_se / n, shrunk, *interval, sum_log / n)


def leader_page(
    connection: Connection, ranked: list[tuple[int, LeaderStats]], *, limit: int, offset: int
) -> list[LeaderRow]:
    """One page of the ranking, with the authors' names."""
    page = ranked[offset : offset + limit]
    ids = [author_id for author_id, _ in page]
    names = {
        aid: (slug, name)
        for aid, slug, name in connection.execute(
            select(col(Author.id), col(Author.slug), col(Author.name)).where(
                col(Author.id).in_(ids)
            )
        )
    }
    return [
        leader_row(rank=offset + i + 1, slug=names[aid][0], name=names[aid][1], stats=s)
        for i, (aid, s) in enumerate(page)
    ]


def leader_row(*, rank: int, slug: str, name: str, stats: LeaderStats) -> LeaderRow:
    """An author's row of the leaderboard."""
    return LeaderRow(
        rank=rank,
        author=slug,
        author_name=name,
        resolved=stats.n,
        brier=stats.brier,
        shrunk_brier=stats.shrunk,
        brier_low=stats.low,
        brier_high=stats.high,
        log_score=stats.log_score,
    )


LEADERBOARD_NOTES = [
    "Ranked by the Brier score shrunk toward the population mean (empirical Bayes): an author "
    "with few resolved predictions is pulled toward the average, so a few lucky calls do not "
    "top the board. Lower is better.",
    "brier_low and brier_high: the 95% interval of the author page's brier_ci, the mean "
    "squared error ± 1.96 standard errors (the normal approximation).",
]
