"""From an article to candidate predictions, and from an accepted candidate to a prediction."""

import re
from dataclasses import asdict
from datetime import date, datetime
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.authors.schemas import AuthorCreate
from app.errors import Conflict, Invalid, NotFound
from app.extraction.fetch import FetchError, Page, fetch_page
from app.extraction.schemas import AcceptIn, ExtractIn
from app.language.codebook import DEFAULT_CODEBOOK
from app.models import Basis, ExtractionCandidate, Prediction, Source, User, utc_now
from app.outlets.schemas import OutletCreate
from app.predictions import service as predictions
from app.predictions.schemas import PredictionCreate
from app.schemas import SLUG_PATTERN, slugify
from app.sources import service as sources
from app.sources.schemas import SourceCreate


def fetch_article(*, engine: Engine, data: ExtractIn, client: httpx.Client) -> Page | None:
    """The page behind data.url unless it is archived already; fetched outside any transaction,
    so no connection or write lock is held across the network (issue 10)."""
    if data.url is None:
        return None
    with Session(engine) as session:
        existing = sources.find_by_url(session=session, url=str(data.url))
    if existing is not None and existing.text:
        return None
    try:
        return fetch_page(str(data.url), client=client)
    except FetchError as exc:
        raise Invalid(exc.reason, field="url") from None


def archive(*, session: Session, data: ExtractIn, page: Page | None) -> Source:
    """The source to extract from: the text given, or the page `fetch_article` brought."""
    if data.url is not None:
        existing = sources.find_by_url(session=session, url=str(data.url))
        if existing is not None and existing.text:
            return existing
        if page is None:
            raise Invalid("the page was not fetched: send the request again", field="url")
        return _fetched(session=session, data=data, page=page)
    return sources.create_source(
        session=session,
        data=SourceCreate(
            text=data.text, outlet=_outlet(data.outlet), published_at=data.published_at
        ),
    )


def _fetched(*, session: Session, data: ExtractIn, page: Page) -> Source:
    return sources.create_source(
        session=session,
        data=SourceCreate(
            url=data.url,
            title=(page.title or None) and page.title[:500],
            text=page.text,
            outlet=_outlet(data.outlet),
            published_at=data.published_at or page.published_at,
        ),
    )


def _outlet(name: str | None) -> OutletCreate | None:
    return OutletCreate(name=name, slug=slugify(name)) if name else None


def extract_candidates(
    *, session: Session, source: Source, author: str | None, today: date
) -> list[ExtractionCandidate]:
    """The source's candidates: found once and kept, so each has a stable number."""
    found = find_candidates(session=session, source=source, author=author, today=today)
    if all(row.id is not None for row in found):
        return found
    session.add_all(found)
    session.flush()
    assert source.id is not None
    return _candidates(session, source.id)


def find_candidates(
    *, session: Session, source: Source, author: str | None, today: date
) -> list[ExtractionCandidate]:
    """The source's kept candidates, or else those the extractor finds, numbered, unsaved."""
    assert source.id is not None
    kept = _candidates(session, source.id)
    if kept:
        return kept
    from app.extraction.extract import extract  # lazily: pysbd is slow to import

    made_on = source.published_at.date() if source.published_at else today
    now = utc_now()
    return [
        ExtractionCandidate(
            source_id=source.id,
            n=n,
            data={
                k: _jsonable(v)
                for k, v in asdict(candidate).items()
                if k not in ("span_start", "span_end")
            },
            author=author,
            status="proposed",
            created_at=now,
        )
        for n, candidate in enumerate(extract(source.text or "", published_at=made_on))
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return list(value) if isinstance(value, tuple) else value


def _candidates(session: Session, source_id: int) -> list[ExtractionCandidate]:
    statement = (
        select(ExtractionCandidate)
        .where(col(ExtractionCandidate.source_id) == source_id)
        .order_by(col(ExtractionCandidate.n))
    )
    return list(session.exec(statement))


def get_candidate(*, session: Session, source_id: int, n: int) -> ExtractionCandidate:
    """Candidate n of a source, still waiting for a decision."""
    found = session.exec(
        select(ExtractionCandidate).where(
            col(ExtractionCandidate.source_id) == source_id, col(ExtractionCandidate.n) == n
        )
    ).first()
    if found is None:
        raise NotFound(f"source {source_id} has no candidate {n}", field="n")
    if found.status != "proposed":
        raise Conflict(f"candidate {n} is already {found.status}", field="n")
    return found


def accept(
    *, session: Session, candidate: ExtractionCandidate, edits: AcceptIn, user: User, today: date
) -> Prediction:
    """Log the candidate as a prediction (with the edits); its span is the verbatim quote."""
    data = candidate.data
    author = edits.author or candidate.author
    if not author:
        raise Invalid(
            "say whose forecast this is: give `author` (a slug or a name)", field="author"
        )
    resolve_by = edits.resolve_by or data.get("resolve_by")
    if not resolve_by:
        raise Invalid(
            "resolve_by: the text names no deadline; give one, e.g. 'by the end of 2026'",
            field="resolve_by",
        )
    body = PredictionCreate(
        author=author if _is_slug(author) else AuthorCreate(name=author),
        source=candidate.source_id,
        quote=data["span"],
        claim=edits.claim or data["claim"],
        resolution_criteria=edits.criteria,
        resolve_by=str(resolve_by),
        conditional_on=data.get("conditional_on"),
        tags=edits.tags,
        probability=edits.probability,
        hedge=None if edits.probability is not None else data["hedge"],
    )
    prediction = predictions.create_prediction(
        session=session,
        data=body,
        user=user,
        today=today,
        probability=None if edits.probability is not None else _found_probability(data),
    )
    _decide(candidate, "accepted", user, prediction_id=prediction.id)
    return prediction


def _is_slug(text: str) -> bool:
    return re.fullmatch(SLUG_PATTERN, text) is not None


def _found_probability(data: dict[str, Any]) -> predictions.Probability:
    basis = Basis(data["probability_basis"])
    version = DEFAULT_CODEBOOK if basis == Basis.codebook else None
    return predictions.Probability(float(data["probability"]), basis, version)


def reject(*, session: Session, candidate: ExtractionCandidate, reason: str, user: User) -> None:
    """Record that the candidate is not worth logging, and why."""
    candidate.reason = reason
    _decide(candidate, "rejected", user)
    session.add(candidate)
    session.flush()


def _decide(
    candidate: ExtractionCandidate, status: str, user: User, prediction_id: int | None = None
) -> None:
    candidate.status, candidate.decided_at, candidate.decided_by_id = status, utc_now(), user.id
    candidate.prediction_id = prediction_id
