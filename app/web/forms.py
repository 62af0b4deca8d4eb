"""Reading form fields the way people type them: 70%, dates from a picker, tag lists."""

from datetime import UTC, date, datetime, time

from pydantic import ValidationError

from app.errors import HindsightError
from app.web.pages import domain_errors, field_errors


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
    """Comma-separated tags, lower-cased."""
    return [t.strip().lower() for t in text.split(",") if t.strip()]


def errors_of(exc: Exception) -> dict[str, str]:
    """Any form, schema or service error as messages by field."""
    if isinstance(exc, FormProblem):
        return exc.errors
    if isinstance(exc, ValidationError):
        return field_errors(exc)
    assert isinstance(exc, HindsightError)
    return domain_errors(exc)
