"""Creating and finding sources."""

import hashlib
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, or_, select

from app.db import fetch_page
from app.errors import Conflict, NotFound
from app.models import Outlet, Source, utc_now
from app.outlets import service as outlets
from app.outlets.schemas import OutletCreate
from app.sources.schemas import SourceCreate, SourceDetail, SourcePublic, SourceUpdate
from app.unique import inserted


def sha256_text(text: str) -> str:
    """The archived text's fingerprint."""
    return hashlib.sha256(text.encode()).hexdigest()


def get_source(*, session: Session, source_id: int) -> Source:
    """The source with this id, or 404."""
    source = session.get(Source, source_id)
    if source is None:
        raise NotFound(f"no source with id {source_id}", field="source")
    return source


def find_by_url(*, session: Session, url: str) -> Source | None:
    """The source recorded for this URL, if any."""
    return session.exec(select(Source).where(Source.url == url)).first()


def find_by_sha256(*, session: Session, sha256: str) -> Source | None:
    """The first source archived with this text, if any."""
    statement = select(Source).where(Source.text_sha256 == sha256).order_by(col(Source.id))
    return session.exec(statement).first()


def create_source(*, session: Session, data: SourceCreate) -> Source:
    """A new source, or the existing one when its URL is already recorded (even by a racing
    request a moment ago)."""
    url = str(data.url) if data.url is not None else None
    existing = find_by_url(session=session, url=url) if url else None
    if existing is not None:
        return existing
    outlet = _resolve_outlet(session=session, outlet=data.outlet, url=url)
    now = utc_now()
    source = Source(
        url=url,
        title=data.title,
        outlet_id=outlet.id if outlet else None,
        published_at=data.published_at,
        text=data.text,
        text_sha256=sha256_text(data.text) if data.text else None,
        retrieved_at=now if data.text else None,
        created_at=now,
    )
    if inserted(session, source):
        return source
    assert url is not None  # only the URL is unique
    winner = find_by_url(session=session, url=url)
    if winner is None:
        raise Conflict(f"the source {url} is being recorded by another request: retry", field="url")
    return winner


def update_source(*, session: Session, source: Source, data: SourceUpdate) -> Source:
    """Correct a source's address, title, outlet or date; an address another source holds is
    a 409 naming that source."""
    sent = data.model_fields_set
    if "url" in sent:
        url = str(data.url) if data.url is not None else None
        holder = find_by_url(session=session, url=url) if url else None
        if holder is not None and holder.id != source.id:
            raise Conflict(f"source {holder.id} is already recorded at {url}", field="url")
        source.url = url
    if "title" in sent:
        source.title = data.title
    if "outlet" in sent:
        outlet = _resolve_outlet(session=session, outlet=data.outlet, url=None)
        source.outlet_id = outlet.id if outlet else None
    if "published_at" in sent:
        source.published_at = data.published_at
    session.add(source)
    session.flush()
    return source


def _resolve_outlet(
    *, session: Session, outlet: str | OutletCreate | None, url: str | None
) -> Outlet | None:
    if isinstance(outlet, str):
        return outlets.find_or_create_by_text(session=session, text=outlet)
    if isinstance(outlet, OutletCreate):
        return outlets.find_or_create_outlet(session=session, data=outlet)
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        return session.exec(select(Outlet).where(Outlet.domain == host)).first()
    return None


def list_sources(
    *, session: Session, outlet: str | None, q: str | None, limit: int, offset: int
) -> tuple[list[Source], int]:
    """Sources, newest first."""
    statement = select(Source).order_by(col(Source.id).desc())
    if outlet:
        found = outlets.get_outlet(session=session, slug=outlet)
        statement = statement.where(Source.outlet_id == found.id)
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(
            or_(col(Source.title).ilike(pattern), col(Source.url).ilike(pattern))
        )
    return fetch_page(session, statement, limit=limit, offset=offset)


def outlet_slugs(*, session: Session, sources: list[Source]) -> dict[int, str]:
    """Outlet id → slug for these sources, in one query."""
    ids = {s.outlet_id for s in sources if s.outlet_id is not None}
    if not ids:
        return {}
    rows = session.exec(select(Outlet.id, Outlet.slug).where(col(Outlet.id).in_(ids)))
    return {oid: slug for oid, slug in rows if oid is not None}


def to_public(source: Source, outlet_slug: str | None) -> SourcePublic:
    """The list shape of a source."""
    return SourcePublic(**_fields(source, outlet_slug))


def to_detail(source: Source, outlet_slug: str | None) -> SourceDetail:
    """The detail shape of a source, with its text."""
    return SourceDetail(**_fields(source, outlet_slug), text=source.text)


def _fields(source: Source, outlet_slug: str | None) -> dict[str, Any]:
    assert source.id is not None
    return {
        "id": source.id,
        "url": source.url,
        "title": source.title,
        "outlet": outlet_slug,
        "published_at": source.published_at,
        "text_sha256": source.text_sha256,
        "retrieved_at": source.retrieved_at,
        "created_at": source.created_at,
    }
