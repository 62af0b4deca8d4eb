"""Creating, finding and changing outlets."""

from collections.abc import Callable

from sqlmodel import Session, col, func, select

from app.db import fetch_page
from app.errors import NotFound
from app.models import Outlet, utc_now
from app.outlets.schemas import OutletCreate, OutletUpdate
from app.unique import Kind, create_named, find_or_create_named

OUTLETS = Kind("an outlet", "/api/v1/outlets", fallback="outlet")


def find_outlet(*, session: Session, slug: str) -> Outlet | None:
    """The outlet with this slug, if any."""
    return session.exec(select(Outlet).where(Outlet.slug == slug)).first()


def get_outlet(*, session: Session, slug: str) -> Outlet:
    """The outlet with this slug, or 404."""
    outlet = find_outlet(session=session, slug=slug)
    if outlet is None:
        raise NotFound(
            f"no outlet with slug '{slug}': create it with POST /api/v1/outlets", field="outlet"
        )
    return outlet


def find_or_create_by_text(*, session: Session, text: str) -> Outlet:
    """The outlet with this slug, else with this name in any case, else a new one so named."""
    found = find_outlet(session=session, slug=text)
    if found is None:
        named = select(Outlet).where(func.lower(col(Outlet.name)) == text.lower())
        found = session.exec(named.order_by(col(Outlet.id))).first()
    return found or find_or_create_outlet(session=session, data=OutletCreate(name=text))


def create_outlet(*, session: Session, data: OutletCreate) -> Outlet:
    """A new outlet; 409 naming the outlet that holds the slug or the very same name.

    A different name whose slug is taken gets a numbered slug ('the-times-2').
    """
    return create_named(
        session, OUTLETS, Outlet, name=data.name, slug=data.slug, build=_builder(data)
    )


def find_or_create_outlet(*, session: Session, data: OutletCreate) -> Outlet:
    """The outlet an inline object names (by slug, else by the same name), or a new one."""
    return find_or_create_named(
        session, OUTLETS, Outlet, name=data.name, slug=data.slug, build=_builder(data)
    )


def _builder(data: OutletCreate) -> Callable[[str], Outlet]:
    def build(slug: str) -> Outlet:
        now = utc_now()
        return Outlet.model_validate(
            data.model_dump(), update={"slug": slug, "created_at": now, "updated_at": now}
        )

    return build


def update_outlet(*, session: Session, outlet: Outlet, data: OutletUpdate) -> Outlet:
    """Apply the fields that were sent."""
    for name, value in data.model_dump(exclude_unset=True).items():
        setattr(outlet, name, value)
    outlet.updated_at = utc_now()
    session.add(outlet)
    session.flush()
    return outlet


def list_outlets(*, session: Session, limit: int, offset: int) -> tuple[list[Outlet], int]:
    """Outlets in name order."""
    statement = select(Outlet).order_by(col(Outlet.name), col(Outlet.id))
    return fetch_page(session, statement, limit=limit, offset=offset)
