"""From an article to candidate predictions, and from an accepted candidate to a prediction."""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

import httpx
from sqlalchemy import text as text_sql
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.authors import service as authors
from app.authors.schemas import AuthorCreate
from app.errors import Conflict, Invalid, NotFound
from app.extraction import parse
from app.extraction.fetch import FetchError, Page, fetch_page
from app.extraction.schemas import AcceptIn, ExtractIn
from app.language.codebook import DEFAULT_CODEBOOK
from app.models import (
    Author,
    Basis,
    ExtractionCandidate,
    Prediction,
    Source,
    SourceAuthor,
    User,
    utc_now,
)
from app.outlets.schemas import OutletCreate
from app.predictions import service as predictions
from app.predictions.schemas import PredictionCreate
from app.schemas import slugify
from app.sources import service as sources
from app.sources.schemas import SourceCreate
from app.unique import by_slug, inserted, same_name


def fetch_article(*, engine: Engine, data: ExtractIn, client: httpx.Client) -> Page | None:
    """The page behind data.url unless it is archived already; fetched outside any transaction,
    so no connection or write lock is held across the network (issue 10). The parse model is
    loaded here too, for the same reason: its first load takes a second or more."""
    parse.default_parser()
    if data.url is None or data.text is not None:
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
    """The source to extract from: the one archived with this text or URL, else a new one
    from the text given or the page `fetch_article` brought; linked to the author named."""
    source = _archived(session=session, data=data, page=page)
    _link_author(session=session, source=source, name=data.author)
    return source


def _archived(*, session: Session, data: ExtractIn, page: Page | None) -> Source:
    if data.text is not None:
        return _pasted(session=session, data=data, text=data.text)
    assert data.url is not None
    existing = sources.find_by_url(session=session, url=str(data.url))
    if existing is not None and existing.text:
        return existing
    if page is None:
        raise Invalid("the page was not fetched: send the request again", field="url")
    return _fetched(session=session, data=data, page=page)


def _pasted(*, session: Session, data: ExtractIn, text: str) -> Source:
    sha = sources.sha256_text(text)
    _hold(session, sha)
    url = str(data.url) if data.url is not None else None
    found = sources.find_by_url(session=session, url=url) if url else None
    if found is not None and found.text_sha256 not in (None, sha):
        raise Conflict(
            f"source {found.id} is archived at this url with another text: extract it "
            "with `url` alone, or send `text` without `url` to archive this version",
            field="text",
        )
    found = found or sources.find_by_sha256(session=session, sha256=sha)
    if found is None:
        return sources.create_source(
            session=session,
            data=SourceCreate(
                url=data.url,
                title=data.title,
                text=text,
                outlet=_outlet(data.outlet),
                published_at=data.published_at,
            ),
        )
    return _completed(session=session, source=found, data=data, text=text)


def _completed(*, session: Session, source: Source, data: ExtractIn, text: str) -> Source:
    """The archived source, with the text, address and title it lacked."""
    if source.text is None:
        source.text, source.text_sha256 = text, sources.sha256_text(text)
        source.retrieved_at = utc_now()
    if source.url is None and data.url is not None:
        source.url = str(data.url)
    source.title = source.title or data.title
    session.add(source)
    session.flush()
    return source


def _hold(session: Session, sha256: str) -> None:
    """Queue pastes of the same text, so that two at once make one source. SQLite's writers
    already queue (BEGIN IMMEDIATE); PostgreSQL takes a lock until the transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        key = int(sha256[:15], 16)
        session.execute(text_sql("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


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
    if found.prediction_id is not None:
        raise Conflict(
            f"candidate {n} is already logged as prediction {found.prediction_id}",
            field="n",
            prediction_id=found.prediction_id,
        )
    if found.status != "proposed":
        raise Conflict(f"candidate {n} is already {found.status}", field="n")
    return found


def accept(
    *, session: Session, candidate: ExtractionCandidate, edits: AcceptIn, user: User, today: date
) -> Prediction:
    """Log the candidate as a prediction (with the edits); its span is the verbatim quote."""
    data = candidate.data
    whose = _whose(session=session, candidate=candidate, edits=edits)
    resolve_by = edits.resolve_by or data.get("resolve_by")
    if not resolve_by:
        raise Invalid(
            "resolve_by: the text names no deadline; give one, e.g. 'by the end of 2026'",
            field="resolve_by",
        )
    body = PredictionCreate(
        author=_author_ref(session, whose.author),
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
    if whose.reason is not None:
        predictions.record_revision(
            session=session,
            prediction=prediction,
            action="attributed",
            reason=whose.reason,
            before={"attributed_to": data.get("attributed_to")},
            after={"as_author_of_source": True},
            user=user,
        )
    _decide(candidate, "accepted", user, prediction_id=prediction.id)
    return prediction


@dataclass(frozen=True)
class Whose:
    """Whose forecast an accepted candidate is, and why when the article says otherwise."""

    author: str
    reason: str | None = None


def attributed_elsewhere(*, session: Session, candidate: ExtractionCandidate) -> str | None:
    """Whom the article attributes the candidate to, when that is none of the source's
    authors: accepting it then needs a choice."""
    attributed = candidate.data.get("attributed_to")
    names = source_author_names(session=session, candidate=candidate)
    if attributed and not any(_names_same(attributed, name) for name in names):
        return str(attributed)
    return None


def _whose(*, session: Session, candidate: ExtractionCandidate, edits: AcceptIn) -> Whose:
    names = source_author_names(session=session, candidate=candidate)
    attributed = candidate.data.get("attributed_to")
    named = [name for name in names if attributed and _names_same(attributed, name)]
    if not attributed or named:
        return Whose(_required(edits.author or next(iter(named + names), None)))
    if edits.as_author_of_source:
        if not edits.reason:
            raise Invalid(
                f"the article attributes this forecast to '{attributed}': say why it is "
                "the source's author's in `reason`",
                field="reason",
            )
        return Whose(_required(edits.author or next(iter(names), None)), edits.reason)
    if edits.author and not any(_names_same(edits.author, name) for name in names):
        return Whose(edits.author)
    column = f"the source's author ({', '.join(names)})" if names else "the source's author"
    raise Invalid(
        f"candidate {candidate.n} is attributed to '{attributed}', not to {column}: send "
        f'{{"author": "{attributed}"}} to log it as theirs (created if new), or '
        '{"as_author_of_source": true, "reason": "..."} to log it as the source\'s author\'s',
        field="author",
        attributed_to=attributed,
    )


def _required(author: str | None) -> str:
    if not author:
        raise Invalid(
            "say whose forecast this is: give `author` (a slug or a name)", field="author"
        )
    return author


def _names_same(a: str, b: str) -> bool:
    """The same person, also when one side gives only the surname ('Putin')."""
    if same_name(a, b) or slugify(a) == slugify(b):
        return True
    return same_name(a.split()[-1], b.split()[-1]) and min(len(a.split()), len(b.split())) == 1


def source_author_names(*, session: Session, candidate: ExtractionCandidate) -> list[str]:
    """The names of the authors the source names, the extraction's author first."""
    linked = session.exec(
        select(Author.name)
        .join(SourceAuthor, col(SourceAuthor.author_id) == col(Author.id))
        .where(col(SourceAuthor.source_id) == candidate.source_id)
        .order_by(col(Author.name))
    ).all()
    first = [candidate.author] if candidate.author else []
    return first + [n for n in linked if not any(_names_same(n, f) for f in first)]


def _author_ref(session: Session, text: str) -> str | AuthorCreate:
    """A known slug, else the name of an author to find or create."""
    return text if by_slug(session, Author, text) is not None else AuthorCreate(name=text)


def _link_author(*, session: Session, source: Source, name: str | None) -> None:
    """Record that the article names this author (by slug or name; created if new)."""
    if not name:
        return
    ref = _author_ref(session, name)
    author = (
        by_slug(session, Author, ref)
        if isinstance(ref, str)
        else authors.find_or_create_author(session=session, data=ref)
    )
    assert author is not None and author.id is not None and source.id is not None
    if session.get(SourceAuthor, (source.id, author.id)) is None:
        inserted(session, SourceAuthor(source_id=source.id, author_id=author.id))


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
