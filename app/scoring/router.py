"""/api/v1/authors/{slug}/track-record, .../calibration.svg and /api/v1/leaderboard"""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.deps import EngineDep, Limit, Offset, Reader
from app.errors import NotFound
from app.models import Author
from app.ratelimit import SCORES_LIMIT, limited
from app.scoring import rows, service
from app.scoring.cache import cached_body, track_record_key
from app.scoring.fastpath import note_version
from app.scoring.schemas import BasisName, Leaderboard, TrackRecord
from app.scoring.svg import calibration_svg

router = APIRouter(tags=["scores"])

Since = Annotated[date | None, Query(description="Predictions made on or after this date.")]
Until = Annotated[date | None, Query(description="Predictions made on or before this date.")]
TagQuery = Annotated[str | None, Query(max_length=64, description="Only this tag.")]
BasisQuery = Annotated[BasisName | None, Query(description="Only this probability basis.")]
CodebookQuery = Annotated[
    str | None,
    Query(
        max_length=64,
        description="Rescore codebook-implied probabilities under another codebook: "
        "hindsight-v2, hindsight-v1, kent-1964, icd-203 or survey-medians.",
    ),
]


async def track_query(
    since: Since = None,
    until: Until = None,
    tag: TagQuery = None,
    basis: BasisQuery = None,
    codebook: CodebookQuery = None,
) -> service.TrackQuery:
    """The track-record filters from the query string."""
    return service.TrackQuery(since, until, tag.lower() if tag else None, basis, codebook)


TrackQueryDep = Annotated[service.TrackQuery, Depends(track_query)]


def _versioned(engine: Engine, slug: str) -> tuple[int, int]:
    """(author id, version) for the slug, or 404."""
    with engine.connect() as connection:
        found = rows.author_version(connection, slug)
    if found is None:
        raise NotFound(f"no author with slug '{slug}'", field="slug")
    return found


def _author(engine: Engine, author_id: int) -> Author:
    with Session(engine) as session:
        author = session.get(Author, author_id)
    if author is None:
        raise NotFound(f"no author with id {author_id}", field="slug")
    return author


# The score routes are async: the version lookup is one short indexed read, run inline so a
# cache hit costs no threadpool hop (issue 16); a miss renders in the threadpool, so the
# queries and the rendering never block the event loop.
@router.get(
    "/authors/{slug}/track-record",
    response_model=TrackRecord,
    responses={
        304: {"description": "Not modified since the ETag you sent."},
        **SCORES_LIMIT.responses(),
    },
    dependencies=[Depends(limited(SCORES_LIMIT))],
)
async def track_record(
    slug: str, request: Request, engine: EngineDep, _reader: Reader, query: TrackQueryDep
) -> Response:
    """An author's track record: counts, Brier and log scores, skill, calibration, breakdowns."""
    author_id, version = _versioned(engine, slug)
    note_version(request, slug=slug, value=(author_id, version))
    key = track_record_key(author_id, query, version)

    def render() -> bytes:
        author = _author(engine, author_id)
        with engine.connect() as connection:
            record = service.track_record(connection=connection, author=author, query=query)
        return record.model_dump_json().encode()

    return await cached_body(request, key, render)


@router.get(
    "/leaderboard",
    response_model=Leaderboard,
    responses={
        304: {"description": "Not modified since the ETag you sent."},
        **SCORES_LIMIT.responses(),
    },
    dependencies=[Depends(limited(SCORES_LIMIT))],
)
async def leaderboard(
    request: Request,
    engine: EngineDep,
    _reader: Reader,
    min_resolved: Annotated[int, Query(ge=1, le=100_000, description="Fewest scored.")] = 10,
    tag: TagQuery = None,
    outlet: Annotated[str | None, Query(max_length=120, description="An outlet's slug.")] = None,
    since: Since = None,
    until: Until = None,
    basis: BasisQuery = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    """Authors ranked by Brier score shrunk toward the population (few calls, less credit)."""
    query = service.LeaderQuery(
        min_resolved, tag.lower() if tag else None, outlet, since, until, basis
    )
    with engine.connect() as connection:
        version = rows.version(connection)
    note_version(request, slug=None, value=version)
    key = ("leaderboard", query, limit, offset, version)

    def render() -> bytes:
        with engine.connect() as connection:
            ranked, mean = service.leaderboard_rows(connection, query, version=version)
            items = service.leader_page(connection, ranked, limit=limit, offset=offset)
            hidden = service.hidden_below_min_resolved(connection, query, version=version)
        board = Leaderboard(
            items=items,
            total=len(ranked),
            limit=limit,
            offset=offset,
            population_mean=mean,
            min_resolved=min_resolved,
            hidden_below_min_resolved=hidden,
            notes=service.LEADERBOARD_NOTES,
        )
        return board.model_dump_json().encode()

    return await cached_body(request, key, render)


@router.get(
    "/authors/{slug}/calibration.svg",
    response_class=Response,
    responses={
        200: {"content": {"image/svg+xml": {}}, "description": "A 600×400 SVG chart."},
        **SCORES_LIMIT.responses(),
    },
    dependencies=[Depends(limited(SCORES_LIMIT))],
)
async def calibration_chart(
    slug: str, request: Request, engine: EngineDep, _reader: Reader, query: TrackQueryDep
) -> Response:
    """The author's calibration: each bin's observed frequency with its 95% interval."""
    author_id, version = _versioned(engine, slug)

    def render() -> bytes:
        author = _author(engine, author_id)
        with engine.connect() as connection:
            bins = service.calibration_of(connection=connection, author=author, query=query)
        title = f"Calibration of {author.name}"
        return calibration_svg(bins, title=title).encode()

    key = ("calibration.svg", author_id, query, version)
    return await cached_body(request, key, render, media_type="image/svg+xml")
