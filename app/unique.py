"""Rows under a unique constraint: inserts that a racing request may win, and free slugs."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, col, or_, select

from app.errors import Conflict
from app.models import Author, Outlet
from app.schemas import slug_base

Named = TypeVar("Named", Author, Outlet)
ATTEMPTS = 5  # a racing creator retries with what the winner committed


def inserted(session: Session, row: SQLModel) -> bool:
    """Insert the row in a SAVEPOINT; False when a unique constraint refused it.

    On PostgreSQL the refusal comes once the racing winner has committed, so a lookup
    right after it sees the winner's row.
    """
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def same_name(a: str, b: str) -> bool:
    """Names that differ only in case or spacing name the same person or outlet."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


@dataclass(frozen=True)
class SlugChoice:
    """A free slug for a name, or the row that already carries that very name."""

    slug: str
    namesake: Author | Outlet | None


def choose_slug(session: Session, model: type[Named], name: str, fallback: str) -> SlugChoice:
    """The name's slug, numbered when a different name holds it ('jose-perez-2').

    A name with no letters or digits gets `fallback-1`, `fallback-2`, ...
    """
    base = slug_base(name)
    prefix = base or fallback
    family = re.compile(rf"^{re.escape(prefix)}(?:-(\d+))?$")
    rows = session.exec(
        select(model).where(or_(col(model.slug) == prefix, col(model.slug).like(f"{prefix}-%")))
    ).all()
    numbers: set[int] = set()
    for row in rows:
        match = family.match(row.slug)
        if match is None:
            continue
        if same_name(row.name, name):
            return SlugChoice(row.slug, row)
        numbers.add(int(match.group(1) or 1))
    if base and 1 not in numbers:
        return SlugChoice(base, None)
    return SlugChoice(f"{prefix}-{max(numbers, default=0) + 1}", None)


@dataclass(frozen=True)
class Kind:
    """How the API names a table of named rows (authors, outlets) in its messages."""

    noun: str  # "an author"
    path: str  # "/api/v1/authors"
    fallback: str  # the slug stem of names with no letters or digits


def create_named(
    session: Session,
    kind: Kind,
    model: type[Named],
    *,
    name: str,
    slug: str | None,
    build: Callable[[str], Named],
) -> Named:
    """A new row; 409 naming the row that holds the given slug or the very same name.

    Without a slug, a different name whose slug is taken gets a numbered one.
    """
    chosen = slug or ""
    for _ in range(ATTEMPTS):
        if not slug:
            choice = choose_slug(session, model, name, kind.fallback)
            if choice.namesake is not None:
                raise taken(kind, choice.namesake)
            chosen = choice.slug
        row = build(chosen)
        if inserted(session, row):
            return row
        if slug:
            break
    raise taken(kind, by_slug(session, model, chosen))


def find_or_create_named(
    session: Session,
    kind: Kind,
    model: type[Named],
    *,
    name: str,
    slug: str | None,
    build: Callable[[str], Named],
) -> Named:
    """The row with this slug (or, without one, this very name), else a new one.

    A request racing another that creates the same row reuses the winner's.
    """
    found: Author | Outlet | None
    for _ in range(ATTEMPTS):
        if slug:
            found, chosen = by_slug(session, model, slug), slug
        else:
            choice = choose_slug(session, model, name, kind.fallback)
            found, chosen = choice.namesake, choice.slug
        if isinstance(found, model):
            return found
        row = build(chosen)
        if inserted(session, row):
            return row
    raise taken(kind, None)


def by_slug(session: Session, model: type[Named], slug: str) -> Named | None:
    """The row with this slug, if any."""
    return session.exec(select(model).where(col(model.slug) == slug)).first()


def taken(kind: Kind, row: Author | Outlet | None) -> Conflict:
    """The 409 naming the row that holds the slug or name."""
    if row is None:
        return Conflict(
            f"{kind.noun} with this name is being created by other requests at this moment: "
            f"look it up with GET {kind.path} and retry",
            field="name",
        )
    return Conflict(
        f"{kind.noun} with slug '{row.slug}' exists already (id {row.id}, name '{row.name}'): "
        "use it, or send another `slug`",
        field="slug",
        slug=row.slug,
        id=row.id,
    )
