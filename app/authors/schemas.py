"""Author request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field
from pydantic import Tag as Branch

from app.schemas import Input, LongText, Name, Page, Slug, Url, forms

AUTHOR_FORMS = (
    "give a slug ('andrew-latham'), a name ('Andrew Latham') or an object "
    '{"name": "Andrew Latham"} to create one'
)


class AuthorCreate(Input):
    """A new author; the slug is made from the name when omitted."""

    name: Name
    slug: Slug | None = None
    bio: LongText | None = None
    links: list[Url] = Field(default_factory=list, max_length=20)
    affiliations: list[Name] = Field(default_factory=list, max_length=20)

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "Andrew Latham",
                    "bio": "Professor of international relations.",
                    "links": ["https://www.19fortyfive.com/author/andrew-latham/"],
                    "affiliations": ["Defense Priorities", "Macalester College"],
                }
            ]
        }
    )


AuthorRef = Annotated[
    Annotated[Name, Branch("by-text")] | Annotated[AuthorCreate, Branch("by-object")],
    forms("author", AUTHOR_FORMS),
]


class AuthorUpdate(Input):
    """Fields to change; omitted fields stay as they are."""

    not_null = ("name", "links", "affiliations")

    name: Name | None = None
    bio: LongText | None = None
    links: list[Url] | None = Field(default=None, max_length=20)
    affiliations: list[Name] | None = Field(default=None, max_length=20)


class AuthorPublic(BaseModel):
    """An author as the API shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    slug: str
    name: str
    bio: str | None
    links: list[str]
    affiliations: list[str]
    created_at: datetime
    updated_at: datetime


AuthorsPage = Page[AuthorPublic]
