"""Source request and response bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.outlets.schemas import OutletRef
from app.schemas import Input, Instant, Page, Url

ArticleText = Annotated[str, StringConstraints(max_length=500_000, strip_whitespace=False)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=500, strip_whitespace=True)]


class SourceCreate(Input):
    """A new source. With `text`, quotes logged against it must occur in that text."""

    url: Url | None = None
    title: Title | None = None
    outlet: OutletRef | None = Field(
        default=None,
        description="An outlet's slug or name (a new name creates it), or an object.",
    )
    published_at: Instant | None = Field(
        default=None, description="ISO 8601, or written: 'March 14, 2025'."
    )
    text: ArticleText | None = Field(default=None, description="The archived text.")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "url": "https://www.example.com/2025/03/ceasefire-gamble",
                    "title": "Trump's ceasefire gamble",
                    "outlet": "19fortyfive",
                    "published_at": "2025-03-14T09:00:00Z",
                }
            ]
        }
    )


class SourceUpdate(Input):
    """A source's record corrected: the fields sent replace the stored ones (null clears)."""

    url: Url | None = None
    title: Title | None = None
    outlet: str | None = Field(
        default=None, max_length=200, description="An outlet slug or name; a new name creates it."
    )
    published_at: Instant | None = None


class SourcePublic(BaseModel):
    """A source as lists show it (without its text)."""

    id: int
    url: str | None
    title: str | None
    outlet: str | None = Field(description="The outlet's slug.")
    published_at: datetime | None
    text_sha256: str | None
    retrieved_at: datetime | None
    created_at: datetime


class SourceDetail(SourcePublic):
    """A source with its archived text."""

    text: str | None


SourcesPage = Page[SourcePublic]
