"""Schema pieces shared by every resource: pages, slugs, bounded strings."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, ClassVar, Generic, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    HttpUrl,
    StringConstraints,
    model_validator,
)
from slugify import slugify as transliterate

T = TypeVar("T")

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SLUG_ROOM = 112  # of the 120 a slug may take, leaving room for a number ("-9999999")

Slug = Annotated[
    str,
    StringConstraints(min_length=1, max_length=120, pattern=SLUG_PATTERN, strip_whitespace=True),
]
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
ShortText = Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
LongText = Annotated[str, StringConstraints(max_length=20_000)]
Url = Annotated[HttpUrl, Field(max_length=2048)]


def _require_aware(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("give a timezone, e.g. 2025-03-14T09:00:00Z")
    return value.astimezone(UTC)


AwareDatetime = Annotated[datetime, AfterValidator(_require_aware)]


class Input(BaseModel):
    """Request bodies refuse unknown fields, so a typo is an error rather than ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    # Fields that may be left out of an update but never set to null.
    not_null: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="before")
    @classmethod
    def _refuse_nul_and_null(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for name in cls.not_null:
                if name in data and data[name] is None:
                    raise ValueError(f"{name} cannot be null: leave it out to keep it")
            if _has_nul(data):
                raise ValueError("text may not contain NUL (\\x00) characters")
        return data


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def text_or_object(value: Any) -> str | None:
    """Which form a name-or-object field was given in; None for neither (a 422)."""
    if isinstance(value, str):
        return "by-text"
    if isinstance(value, dict | BaseModel):
        return "by-object"
    return None


def id_text_or_object(value: Any) -> str | None:
    """Like text_or_object, with a numeric id as a third form."""
    if isinstance(value, int) and not isinstance(value, bool):
        return "by-id"
    if isinstance(value, str) and value.strip().isdigit():
        return "by-id"
    return text_or_object(value)


def forms(field: str, message: str, *, with_id: bool = False) -> Discriminator:
    """The branch chooser of a field that takes several forms, and what to say otherwise."""
    return Discriminator(
        id_text_or_object if with_id else text_or_object,
        custom_error_type=f"{field}_form",
        custom_error_message=message,
    )


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total that match, and where the page starts."""

    items: list[T]
    total: int
    limit: int
    offset: int


def slug_base(text: str) -> str:
    """A transliterated URL slug: 'Владимир Путин' → 'vladimir-putin', '习近平' → 'xi-jin-ping'.

    Empty when the text holds no letters or digits ('???'); callers number those.
    """
    return transliterate(text, max_length=SLUG_ROOM, word_boundary=True, save_order=True)


def slugify(text: str) -> str:
    """A slug from a name, never empty: 'Andrew Latham' → 'andrew-latham'."""
    return slug_base(text) or "unnamed"


# The written forms people paste, each an explicit format: no free parsing of anything.
WRITTEN_DATES = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%b %d %Y", "%d %B %Y", "%d %b %Y")
DATE_FORMS = "give 2025-03-14, March 14, 2025 or 14 Mar 2025"


def written_date(value: object) -> object:
    """'March 14, 2025' or '14 Mar 2025' as a date; ISO text and other values pass through."""
    if not isinstance(value, str) or re.match(r"\s*\d{4}-", value):
        return value
    words = " ".join(value.replace(".", " ").split())
    for form in WRITTEN_DATES:
        try:
            return datetime.strptime(words, form).replace(tzinfo=UTC).date()
        except ValueError:
            continue
    raise ValueError(f"'{value}' is not a date: {DATE_FORMS}")


Day = Annotated[date, BeforeValidator(written_date)]


def _midnight_utc(value: object) -> object:
    # A bare date ("2025-03-14") means the start of that day in UTC.
    value = written_date(value)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return f"{value.strip()}T00:00:00Z"
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return value


Instant = Annotated[AwareDatetime, BeforeValidator(_midnight_utc)]
TAG_FORM = re.compile(r"[^\W_][\w.:-]*")


def normalize_tag(text: str) -> str:
    """A tag as the API, the pages and imports store it: 'Middle East' → 'middle-east'."""
    return re.sub(r"\s+", "-", text.strip().lower())


def _tag(value: object) -> object:
    if not isinstance(value, str):
        return value
    tag = normalize_tag(value)
    if tag and not TAG_FORM.fullmatch(tag):
        raise ValueError(
            f"'{value}' is not a tag: use letters (of any script), digits and - _ . : "
            "starting with a letter or digit, e.g. 'ukraine' or 'middle-east'"
        )
    return tag


Tag = Annotated[
    str,
    BeforeValidator(_tag),
    StringConstraints(min_length=1, max_length=64),
]
