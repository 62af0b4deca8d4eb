"""Browser sign-in (sessions stored as token hashes, each with its CSRF token) and page data."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from app.models import Author, ExtractionCandidate, Prediction, Source, User, WebSession


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(*, session: Session, user_id: int, now: datetime, days: int) -> tuple[str, WebSession]:
    """A new session for a user whose password was checked: its cookie token and row."""
    session.exec(delete(WebSession).where(col(WebSession.expires_at) <= now))
    session.exec(update(User).where(col(User.id) == user_id).values(last_seen_at=now))
    token = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=_hash(token),
        csrf_token=secrets.token_urlsafe(32),
        user_id=user_id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(row)
    return token, row


def find_session(*, session: Session, token: str, now: datetime) -> tuple[WebSession, User] | None:
    """The live session the cookie names, with its user."""
    row = session.exec(
        select(WebSession, User)
        .join(User, col(User.id) == col(WebSession.user_id))
        .where(col(WebSession.token_hash) == _hash(token), col(WebSession.expires_at) > now)
        .where(col(User.active))
    ).first()
    return (row[0], row[1]) if row else None


def sign_out(*, session: Session, token: str) -> None:
    """End the session the cookie names: the token stops working everywhere."""
    session.exec(delete(WebSession).where(col(WebSession.token_hash) == _hash(token)))


def recently_resolved(*, session: Session, limit: int) -> list[Prediction]:
    """The latest verdicts' predictions, newest verdict first."""
    statement = (
        select(Prediction)
        .where(col(Prediction.outcome).is_not(None))
        .order_by(col(Prediction.resolved_on).desc(), col(Prediction.id).desc())
        .limit(limit)
    )
    return list(session.exec(statement).all())


def recent_sources(*, session: Session, limit: int) -> list[Source]:
    """Sources to pick from when logging, newest first."""
    statement = select(Source).order_by(col(Source.id).desc()).limit(limit)
    return list(session.exec(statement).all())


OPENING = 80


@dataclass(frozen=True)
class ArticleInProgress:
    """An article whose candidates are not all decided yet."""

    source_id: int
    title: str | None
    opening: str | None  # the text's first words, for an article without a title
    undecided: int


def articles_in_progress(*, session: Session, limit: int) -> list[ArticleInProgress]:
    """The articles with candidates still to accept or reject, the latest extracted first."""
    statement = (
        select(
            Source.id,
            Source.title,
            func.substr(col(Source.text), 1, OPENING),
            func.count(col(ExtractionCandidate.id)),
        )
        .join(ExtractionCandidate, col(ExtractionCandidate.source_id) == col(Source.id))
        .where(col(ExtractionCandidate.status) == "proposed")
        .group_by(col(Source.id), col(Source.title), col(Source.text))
        .order_by(func.max(col(ExtractionCandidate.created_at)).desc(), col(Source.id).desc())
        .limit(limit)
    )
    rows = session.exec(statement).all()
    return [ArticleInProgress(int(sid or 0), title, words, int(n)) for sid, title, words, n in rows]


def author_names(*, session: Session, limit: int) -> list[tuple[str, str]]:
    """(slug, name) of authors for the picker, by name."""
    statement = select(Author.slug, Author.name).order_by(col(Author.name)).limit(limit)
    return [(slug, name) for slug, name in session.exec(statement).all()]


def find_author_slug(*, session: Session, text: str) -> str | None:
    """The slug of the author named by slug or by exact name (any case)."""
    statement = select(Author.slug).where(
        (col(Author.slug) == text) | (func.lower(col(Author.name)) == text.lower())
    )
    return session.exec(statement).first()


@dataclass(frozen=True)
class Excerpt:
    """The quote inside its surrounding text."""

    before: str
    quote: str
    after: str


def quote_in_context(text: str | None, quote: str, *, around: int = 300) -> Excerpt | None:
    """Where the quote sits in the archived text, with some text either side."""
    if not text:
        return None
    start = text.casefold().find(quote.casefold())
    if start < 0:
        return None
    end = start + len(quote)
    before = text[max(0, start - around) : start]
    after = text[end : end + around]
    return Excerpt(
        ("…" if start > around else "") + before,
        text[start:end],
        after + ("…" if end + around < len(text) else ""),
    )


@dataclass(frozen=True)
class Segment:
    """A run of article text; `n` is the candidate it belongs to, if any."""

    text: str
    n: int | None = None


def highlight(text: str, spans: list[tuple[int, int, int]]) -> list[Segment]:
    """The text cut into plain runs and candidates' (start, end, n) spans; overlaps skipped."""
    segments: list[Segment] = []
    position = 0
    for start, end, n in sorted(spans):
        if start < position or end <= start:
            continue
        segments.append(Segment(text[position:start]))
        segments.append(Segment(text[start:end], n))
        position = end
    segments.append(Segment(text[position:]))
    return [s for s in segments if s.text]


def end_other_sessions(*, session: Session, user_id: int, keep_token: str | None) -> None:
    """Sign the user out everywhere but here (after a password change)."""
    statement = delete(WebSession).where(col(WebSession.user_id) == user_id)
    if keep_token:
        statement = statement.where(col(WebSession.token_hash) != _hash(keep_token))
    session.exec(statement)


def names_of(*, session: Session, slugs: set[str]) -> dict[str, str]:
    """Authors' names by slug."""
    if not slugs:
        return {}
    statement = select(Author.slug, Author.name).where(col(Author.slug).in_(slugs))
    return dict(session.exec(statement).all())
