"""Creating, finding and changing authors."""

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, col, func, or_, select

from app import events
from app.authors.schemas import AuthorCreate, AuthorUpdate
from app.db import fetch_page
from app.errors import Invalid, NotFound
from app.models import Author, utc_now
from app.unique import Kind, create_named, find_or_create_named

AUTHORS = Kind("an author", "/api/v1/authors", fallback="author")


def get_author(*, session: Session, slug: str) -> Author:
    """The author with this slug, or 404."""
    author = session.exec(select(Author).where(Author.slug == slug)).first()
    if author is None:
        raise NotFound(
            f"no author with slug '{slug}': create it with POST /api/v1/authors", field="author"
        )
    return author


def get_by_slug_or_name(*, session: Session, text: str) -> Author:
    """The author with this slug, else with this exact name in any case; or a 422 saying how
    to create one."""
    found = session.exec(select(Author).where(Author.slug == text)).first()
    if found is None:
        named = select(Author).where(func.lower(col(Author.name)) == text.lower())
        found = session.exec(named.order_by(col(Author.id))).first()
    if found is None:
        raise Invalid(
            f'no author named \'{text}\': send {{"name": "{text}"}} to create one',
            field="author",
        )
    return found


def create_author(*, session: Session, data: AuthorCreate) -> Author:
    """A new author; 409 naming the author who holds the slug or the very same name.

    A different name whose slug is taken gets a numbered slug ('jose-perez-2').
    """
    return create_named(
        session, AUTHORS, Author, name=data.name, slug=data.slug, build=_builder(data)
    )


def find_or_create_author(*, session: Session, data: AuthorCreate) -> Author:
    """The author an inline object names (by slug, else by the same name), or a new one."""
    return find_or_create_named(
        session, AUTHORS, Author, name=data.name, slug=data.slug, build=_builder(data)
    )


def _builder(data: AuthorCreate) -> Callable[[str], Author]:
    def build(slug: str) -> Author:
        now = utc_now()
        return Author.model_validate(
            data.model_dump(mode="json"),
            update={"slug": slug, "created_at": now, "updated_at": now},
        )

    return build


def update_author(*, session: Session, author: Author, data: AuthorUpdate) -> Author:
    """Apply the fields that were sent."""
    changes: dict[str, Any] = data.model_dump(mode="json", exclude_unset=True)
    renamed = changes.get("name") not in (None, author.name)
    for name, value in changes.items():
        if value is not None:
            setattr(author, name, value)
    author.updated_at = utc_now()
    session.add(author)
    session.flush()
    if renamed:
        assert author.id is not None
        events.publish(events.AuthorRenamed(session, author.id))
    return author


def list_authors(
    *, session: Session, q: str | None, limit: int, offset: int
) -> tuple[list[Author], int]:
    """Authors by name, optionally matching q in name or slug."""
    statement = select(Author).order_by(col(Author.name), col(Author.id))
    if q:
        pattern = f"%{q.lower()}%"
        statement = statement.where(
            or_(col(Author.name).ilike(pattern), col(Author.slug).ilike(pattern))
        )
    return fetch_page(session, statement, limit=limit, offset=offset)
