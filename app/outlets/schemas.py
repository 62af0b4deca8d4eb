"""Outlet request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, StringConstraints
from pydantic import Tag as Branch

from app.schemas import Input, Name, Page, Slug, forms

OUTLET_FORMS = (
    "give a slug ('19fortyfive'), a name ('19FortyFive') or an object "
    '{"name": "19FortyFive"} to create one'
)

Domain = Annotated[
    str,
    BeforeValidator(lambda v: v.strip().lower() if isinstance(v, str) else v),
    StringConstraints(max_length=253, pattern=r"^[a-z0-9.-]+\.[a-z]{2,}$"),
]


class OutletCreate(Input):
    """A new outlet; the slug is made from the name when omitted."""

    name: Name
    slug: Slug | None = None
    domain: Domain | None = None

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"name": "19FortyFive", "domain": "19fortyfive.com"}]}
    )


OutletRef = Annotated[
    Annotated[Name, Branch("by-text")] | Annotated[OutletCreate, Branch("by-object")],
    forms("outlet", OUTLET_FORMS),
]


class OutletUpdate(Input):
    """Fields to change; `domain: null` clears the domain."""

    not_null = ("name",)

    name: Name | None = None
    domain: Domain | None = None


class OutletPublic(BaseModel):
    """An outlet as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    domain: str | None
    created_at: datetime
    updated_at: datetime


OutletsPage = Page[OutletPublic]
