"""Pages: authors and their track records, the leaderboard, outlets and the embeddable card."""

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection
from sqlmodel import Session, col

from app.authors import service as authors
from app.deps import Offset, SessionDep
from app.errors import NotFound
from app.links import Links
from app.models import Author, Basis, Prediction, Status
from app.outlets import service as outlets
from app.predictions import service as predictions
from app.predictions.schemas import PredictionPublic, SortKey
from app.scoring import rows, service
from app.scoring.schemas import MonthPoint
from app.web.pages import PageRoute, VisitorDep, render, require_reader

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PAGE = 25
FILTER_KEYS = ("q", "status", "tag", "since", "until", "basis", "outlet", "min_resolved")
DATE_HINT = "give a date as YYYY-MM-DD, e.g. 2026-01-31"


async def query_values(request: Request) -> dict[str, str]:
    """The page's filter fields as typed (blank ones left out), to parse and to show again."""
    params = request.query_params
    return {k: params[k].strip()[:120] for k in FILTER_KEYS if params.get(k, "").strip()}


ValuesDep = Annotated[dict[str, str], Depends(query_values)]


@dataclass(frozen=True)
class Chosen:
    """The filters a page understood from its query string."""

    status: Status | None = None
    tag: str | None = None
    outlet: str | None = None
    since: date | None = None
    until: date | None = None
    basis: Basis | None = None
    min_resolved: int = 10

    def track(self) -> service.TrackQuery:
        """The filters that narrow a track record."""
        basis = self.basis.value if self.basis else None
        return service.TrackQuery(self.since, self.until, self.tag, basis)

    def board(self) -> service.LeaderQuery:
        """The filters that narrow the leaderboard."""
        basis = self.basis.value if self.basis else None
        return service.LeaderQuery(
            self.min_resolved, self.tag, self.outlet, self.since, self.until, basis
        )

    def listing(
        self, *, author: str | None = None, outlet: str | None = None
    ) -> predictions.Filters:
        """The filters that narrow a list of predictions."""
        return predictions.Filters(
            author=author,
            outlet=outlet,
            tag=self.tag,
            status=self.status,
            basis=self.basis,
            made_after=_start(self.since),
            made_before=_end(self.until),
        )

    def track_params(self) -> str:
        """The track-record filters as a query string (for the calibration chart)."""
        pairs = {"since": self.since, "until": self.until, "tag": self.tag, "basis": self.basis}
        return urlencode({k: str(v) for k, v in pairs.items() if v is not None})


def _start(day: date | None) -> datetime | None:
    return datetime.combine(day, time(), tzinfo=UTC) if day else None


def _end(day: date | None) -> datetime | None:
    return datetime.combine(day, time.max, tzinfo=UTC) if day else None


def parse_filters(values: dict[str, str]) -> tuple[Chosen, dict[str, str]]:
    """The filters understood, and a message next to each field that was not."""
    errors: dict[str, str] = {}
    since, until = _date(values, "since", errors), _date(values, "until", errors)
    if since and until and since > until:
        errors["until"] = "the end date comes before the start date: swap them"
        since = until = None
    status = _choice(values, "status", Status, errors)
    basis = _choice(values, "basis", Basis, errors)
    chosen = Chosen(
        status=Status(status) if status else None,
        tag=values.get("tag", "").lower() or None,
        outlet=values.get("outlet"),
        since=since,
        until=until,
        basis=Basis(basis) if basis else None,
        min_resolved=_count(values, errors),
    )
    return chosen, errors


def _date(values: dict[str, str], name: str, errors: dict[str, str]) -> date | None:
    try:
        return date.fromisoformat(values[name]) if name in values else None
    except ValueError:
        errors[name] = DATE_HINT
        return None


def _choice(values: dict[str, str], name: str, kind: Any, errors: dict[str, str]) -> str | None:
    allowed = [member.value for member in kind]
    if name in values and values[name] not in allowed:
        errors[name] = f"choose one of: {', '.join(allowed)}"
        return None
    return values.get(name)


def _count(values: dict[str, str], errors: dict[str, str]) -> int:
    raw = values.get("min_resolved", "10")
    if raw.isdigit() and 1 <= int(raw) <= 100_000:
        return int(raw)
    errors["min_resolved"] = "give a whole number of at least 1"
    return 10


def _link(path: str, values: dict[str, str], **changes: str) -> str:
    """The page's address with its filters (for pagers and links); ends ready for a parameter."""
    query = urlencode({**values, **changes})
    return f"{path}?{query}&" if query else f"{path}?"


def _page(total: int, limit: int, offset: int) -> dict[str, int]:
    return {"total": total, "limit": limit, "offset": offset}


def _author(session: Session, slug: str) -> Author:
    try:
        return authors.get_author(session=session, slug=slug)
    except NotFound:
        raise NotFound(
            f"no author is called '{slug}' here: find them in the list of authors at /authors",
            field="slug",
        ) from None


def _tallies(connection: Connection, author_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Author id → (predictions logged, predictions resolved true or false)."""
    resolved = func.sum(case((col(Prediction.status) == Status.resolved.value, 1), else_=0))
    statement = (
        select(col(Prediction.author_id), func.count(), resolved)
        .where(col(Prediction.author_id).in_(author_ids))
        .group_by(col(Prediction.author_id))
    )
    return {aid: (int(n), int(done or 0)) for aid, n, done in connection.execute(statement)}


def _listed(
    session: Session,
    filters: predictions.Filters,
    *,
    limit: int,
    offset: int,
    sort: SortKey = "-made_at",
) -> tuple[list[PredictionPublic], int]:
    found, total = predictions.list_predictions(
        session=session, filters=filters, sort=sort, limit=limit, offset=offset
    )
    return predictions.present(session=session, predictions=found), total


def _board(
    connection: Connection, query: service.LeaderQuery, *, limit: int, offset: int
) -> dict[str, Any]:
    """A page of the leaderboard, its size, and how many authors fall below the threshold."""
    version = rows.version(connection)
    ranked, mean = service.leaderboard_rows(connection, query, version=version)
    moments = service.cached_moments(connection, query, version)
    return {
        "items": service.leader_page(connection, ranked, limit=limit, offset=offset),
        "total": len(ranked),
        "mean": mean,
        "fewer": sum(1 for m in moments.values() if m[0] < query.min_resolved),
    }


@dataclass(frozen=True)
class Chart:
    """The running Brier score drawn as a line: coordinates in a 600×240 box."""

    line: str
    dots: list[tuple[float, float, MonthPoint]]
    ticks: list[tuple[float, str]]
    months: list[tuple[float, str, str]]
    half: float


WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 600, 240, 48, 16, 12, 36


def running_chart(points: list[MonthPoint]) -> Chart | None:
    """Where the monthly running Brier points go, with the y axis up to at least 0.3."""
    if not points:
        return None
    tenths = math.ceil(round(max(0.3, *(p.brier for p in points)) * 10, 6))
    top = tenths / 10
    span = max(_months(points[0].month, points[-1].month), 1)

    def x(point: MonthPoint) -> float:
        if len(points) == 1:
            return (LEFT + WIDTH - RIGHT) / 2
        return LEFT + (WIDTH - LEFT - RIGHT) * _months(points[0].month, point.month) / span

    def y(value: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / top)

    dots = [(round(x(p), 1), round(y(p.brier), 1), p) for p in points]
    ticks = [(round(y(v / 10), 1), f"{v / 10:.1f}") for v in range(tenths + 1)]
    ends = [(dots[0], "start"), (dots[-1], "end")] if len(dots) > 1 else [(dots[0], "middle")]
    return Chart(
        line=" ".join(f"{a},{b}" for a, b, _ in dots),
        dots=dots,
        ticks=ticks,
        months=[(a, p.month, anchor) for (a, _, p), anchor in ends],
        half=round(y(0.25), 1),
    )


def _months(first: str, last: str) -> int:
    (y1, m1), (y2, m2) = (map(int, first.split("-")), map(int, last.split("-")))
    return (y2 - y1) * 12 + (m2 - m1)


def reading(brier: float | None) -> str:
    """A Brier score in plain words, against always saying 50% (0.25)."""
    if brier is None:
        return "no resolved predictions yet"
    if brier < 0.1:
        return "very good: far better than always saying 50%"
    if brier < 0.2:
        return "good: better than always saying 50%"
    if brier < 0.25:
        return "a little better than always saying 50%"
    if brier == 0.25:
        return "no better than always saying 50%"
    return "worse than always saying 50%"


@router.get("/authors")
def author_list(
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    values: ValuesDep,
    offset: Offset = 0,
) -> Response:
    """Authors by name, searchable, with how many predictions each has."""
    require_reader(visitor)
    found, total = authors.list_authors(
        session=session, q=values.get("q"), limit=PAGE, offset=offset
    )
    tallies = _tallies(session.connection(), [a.id for a in found if a.id is not None])
    context = {
        "authors": found,
        "tallies": tallies,
        "values": values,
        "page": _page(total, PAGE, offset),
        "base": _link("/authors", values),
    }
    return render(request, visitor, "public/authors.html", context)


@router.get("/authors/{slug}")
def author_page(
    slug: str,
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    values: ValuesDep,
    offset: Offset = 0,
) -> Response:
    """An author's track record, calibration, running score and predictions, filterable."""
    require_reader(visitor)
    author = _author(session, slug)
    chosen, errors = parse_filters(values)
    record = service.track_record(
        connection=session.connection(), author=author, query=chosen.track()
    )
    items, total = _listed(session, chosen.listing(author=slug), limit=PAGE, offset=offset)
    context = {
        "author": author,
        "record": record,
        "chart": running_chart(record.running),
        "items": items,
        "values": values,
        "errors": errors,
        "track_params": chosen.track_params(),
        "page": _page(total, PAGE, offset),
        "base": _link(f"/authors/{slug}", values),
        "embed_url": Links(request.app.state.settings.base_url).embed(slug),
        "reading": reading,
    }
    status = 400 if errors else 200
    return render(request, visitor, "public/author.html", context, status=status)


@router.get("/leaderboard")
def leaderboard(
    request: Request,
    visitor: VisitorDep,
    session: SessionDep,
    values: ValuesDep,
    offset: Offset = 0,
) -> Response:
    """Authors ranked by shrunk Brier score, with the filters and how the ranking works."""
    require_reader(visitor)
    chosen, errors = parse_filters(values)
    board = _board(session.connection(), chosen.board(), limit=PAGE * 2, offset=offset)
    context = {
        "board": board,
        "chosen": chosen,
        "notes": service.LEADERBOARD_NOTES,
        "values": {"min_resolved": str(chosen.min_resolved), **values},
        "errors": errors,
        "filtered": any(key != "min_resolved" for key in values),
        "page": _page(board["total"], PAGE * 2, offset),
        "base": _link("/leaderboard", values),
        "everyone": _link("/leaderboard", values, min_resolved="1").rstrip("&"),
    }
    status = 400 if errors else 200
    return render(request, visitor, "public/leaderboard.html", context, status=status)


@router.get("/outlets")
def outlet_list(
    request: Request, visitor: VisitorDep, session: SessionDep, offset: Offset = 0
) -> Response:
    """Outlets by name."""
    require_reader(visitor)
    found, total = outlets.list_outlets(session=session, limit=PAGE * 2, offset=offset)
    context = {"outlets": found, "page": _page(total, PAGE * 2, offset), "base": "/outlets?"}
    return render(request, visitor, "public/outlets.html", context)


@router.get("/outlets/{slug}")
def outlet_page(
    slug: str, request: Request, visitor: VisitorDep, session: SessionDep, offset: Offset = 0
) -> Response:
    """An outlet's recent predictions and the leaderboard of its authors."""
    require_reader(visitor)
    outlet = outlets.find_outlet(session=session, slug=slug)
    if outlet is None:
        raise NotFound(f"no outlet is called '{slug}' here: see the list at /outlets")
    listing = predictions.Filters(outlet=slug)
    items, total = _listed(session, listing, limit=PAGE, offset=offset)
    query = service.LeaderQuery(min_resolved=1, outlet=slug)
    board = _board(session.connection(), query, limit=PAGE, offset=0)
    context = {
        "outlet": outlet,
        "items": items,
        "board": board,
        "page": _page(total, PAGE, offset),
        "base": f"/outlets/{slug}?",
    }
    return render(request, visitor, "public/outlet.html", context)


@router.get("/embed/authors/{slug}")
def embed_author(slug: str, request: Request, visitor: VisitorDep, session: SessionDep) -> Response:
    """A compact track-record card for an iframe on another site."""
    require_reader(visitor)
    author = _author(session, slug)
    record = service.track_record(
        connection=session.connection(), author=author, query=service.TrackQuery()
    )
    recent, _ = _listed(
        session,
        predictions.Filters(author=slug, status=Status.resolved),
        limit=3,
        offset=0,
        sort="-resolve_by",
    )
    context = {"author": author, "record": record, "recent": recent, "reading": reading}
    response = render(request, visitor, "public/embed.html", context)
    response.headers["Content-Security-Policy"] = "frame-ancestors *"
    if "x-frame-options" in response.headers:
        del response.headers["x-frame-options"]
    return response
