"""Reading form fields the way people type them: 70%, dates from a picker, tag lists."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time

from pydantic import ValidationError

from app.errors import HindsightError
from app.schemas import normalize_tag
from app.web.pages import Rejected, Reshow, domain_errors, field_errors


class FormProblem(Exception):
    """Errors found before the service is called, keyed by form field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def noon_on(text: str) -> datetime | None:
    """A YYYY-MM-DD date as noon UTC that day (None when empty)."""
    if not text:
        return None
    try:
        return datetime.combine(date.fromisoformat(text), time(12), tzinfo=UTC)
    except ValueError:
        raise ValueError(f"'{text}' is not a date: use the date picker or YYYY-MM-DD") from None


def probability_from(text: str, problems: dict[str, str]) -> float | None:
    """0.7, 70% or 70 %: a fraction; a problem is noted under `probability`."""
    if not text:
        return None
    cleaned = text.replace(",", ".").strip()
    try:
        value = float(cleaned.rstrip("%").strip())
    except ValueError:
        problems["probability"] = f"'{text}' is not a number: write 70% or 0.7"
        return None
    if cleaned.endswith("%"):
        value /= 100
    if not 0 <= value <= 1:
        problems["probability"] = f"'{text}' is outside 0..1: write 70% or 0.7"
        return None
    return value


def tags_from(text: str) -> list[str]:
    """Comma-separated tags, normalised as the API does ('Middle East' → 'middle-east')."""
    return [normalize_tag(t) for t in text.split(",") if t.strip()]


# The API's messages name its fields; a page names its controls instead.
IN_PAGE_WORDS = {
    'or send "hedge_from": "editor" if you chose them': (
        "or choose “mine, not in the quote” under “The hedge words are”"
    ),
    "which is before made_at ": "which is before the date it was published, ",
}


def errors_of(exc: Exception) -> dict[str, str]:
    """Any form, schema or service error as messages by field, in the page's words."""
    if isinstance(exc, FormProblem):
        return exc.errors
    if isinstance(exc, ValidationError):
        return field_errors(exc)
    assert isinstance(exc, HindsightError)
    return {name: in_page_words(message) for name, message in domain_errors(exc).items()}


def in_page_words(message: str) -> str:
    """`message` with the API's field names swapped for what the forms call them."""
    for api, page in IN_PAGE_WORDS.items():
        message = message.replace(api, page)
    return message


@contextmanager
def reshown_on_error(
    reshow: Reshow, *, errors: Callable[[Exception], dict[str, str]] = errors_of
) -> Iterator[None]:
    """Form, schema and service errors inside the block roll the post back and show
    `reshow(session, errors)` again, the values kept and each error beside its field."""
    try:
        yield
    except (FormProblem, ValidationError, HindsightError) as exc:
        raise Rejected(errors(exc), reshow) from exc
