"""Pages: log a prediction by hand, with the codebook's number and the deadline shown live."""

from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlmodel import Session

from app.authors.schemas import AuthorCreate
from app.deps import Today
from app.language.codebook import DEFAULT_CODEBOOK, get_codebook
from app.language.horizons import DeadlineError, parse_deadline
from app.models import Role, Source
from app.predictions import service as predictions
from app.predictions.schemas import PredictionCreate
from app.schemas import slugify
from app.sources.schemas import SourceCreate
from app.web import service
from app.web.forms import (
    FormProblem,
    errors_of,
    noon_on,
    probability_from,
    reshown_on_error,
    tags_from,
)
from app.web.pages import (
    FormDep,
    PageRoute,
    PageSession,
    Visitor,
    VisitorDep,
    day,
    field_errors,
    percent,
    redirect,
    render,
    require,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

PICKER_ROWS = 200
Words = Annotated[str, Query(max_length=200)]


@router.get("/predictions/new")
def new_prediction(
    request: Request,
    visitor: VisitorDep,
    session: PageSession,
    source: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """The log form (with a recorded source already picked, when named)."""
    require(visitor, Role.editor)
    return _form(request, visitor, session, {"source": str(source)} if source else {}, {})


def _form(
    request: Request,
    visitor: Visitor,
    session: Session,
    values: dict[str, str],
    errors: dict[str, str],
) -> Response:
    context = {
        "values": values,
        "errors": errors,
        "authors": service.author_names(session=session, limit=PICKER_ROWS),
        "sources": service.recent_sources(session=session, limit=PICKER_ROWS),
    }
    status = 422 if errors else 200
    return render(request, visitor, "log.html", context, status=status)


@router.post("/predictions/new")
def log_prediction(
    request: Request, visitor: VisitorDep, form: FormDep, session: PageSession, today: Today
) -> Response:
    """Log the forecast; errors come back beside their fields with the values kept."""
    user = require(visitor, Role.editor)

    def reshow(session: Session, errors: dict[str, str]) -> Response:
        return _form(request, visitor, session, form, errors)

    with reshown_on_error(reshow, errors=_errors_of):
        data = _prediction(session, form)
        prediction = predictions.create_prediction(
            session=session, data=data, user=user, today=today
        )
    notice = f"Logged prediction #{prediction.id}."
    return redirect(request, f"/predictions/{prediction.id}", notice=notice)


def _errors_of(exc: Exception) -> dict[str, str]:
    errors = errors_of(exc)
    if "made_at" in errors:
        errors["published_on"] = errors.pop("made_at")
    if "check" in errors:
        errors["check_url"] = errors.pop("check")
    return errors


def _prediction(session: Session, form: dict[str, str]) -> PredictionCreate:
    problems: dict[str, str] = {}
    try:
        published = noon_on(form.get("published_on", ""))
    except ValueError as exc:
        problems["published_on"], published = str(exc), None
    author = _author(session, form.get("author", ""), problems)
    source = _source(form, published, problems)
    probability = probability_from(form.get("probability", ""), problems)
    payload = _payload(form, probability, published)
    if problems:
        # Check the rest too, so every field's error shows at once.
        try:
            PredictionCreate.model_validate({**payload, "author": "someone", "source": 1})
        except ValidationError as exc:
            problems = {**field_errors(exc), **problems}
        raise FormProblem(problems)
    return PredictionCreate.model_validate({**payload, "author": author, "source": source})


def _payload(
    form: dict[str, str], probability: float | None, published: datetime | None
) -> dict[str, Any]:
    return {
        "quote": form.get("quote", ""),
        "claim": form.get("claim", ""),
        "resolution_criteria": form.get("resolution_criteria") or None,
        "probability": probability,
        "hedge": form.get("hedge") or None,
        "hedge_from": form.get("hedge_from") or None,
        "polarity": form.get("polarity") or None,
        "reason": form.get("reason") or None,
        # A reason is what an editor's departure from the hedge needs (issue 13).
        "probability_basis": "editor" if form.get("reason") else None,
        "made_at": published if form.get("source") else None,
        "resolve_by": form.get("resolve_by", ""),
        "conditional_on": form.get("conditional_on") or None,
        "tags": tags_from(form.get("tags", "")),
        "check": _check(form),
    }


def _check(form: dict[str, str]) -> dict[str, str] | None:
    """The linked question; its site is read from the address, so nobody picks it twice."""
    url = form.get("check_url", "").strip()
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    kind = "metaculus" if host == "metaculus.com" or host.endswith(".metaculus.com") else "manifold"
    return {"kind": kind, "url": url, "yes_means": "false" if form.get("check_negated") else "true"}


def _author(session: Session, text: str, problems: dict[str, str]) -> Any:
    if not text:
        problems["author"] = "say whose forecast this is: pick an author or type a new name"
        return None
    slug = service.find_author_slug(session=session, text=text)
    if slug is not None:
        return slug
    try:
        return AuthorCreate(name=text)
    except ValidationError as exc:
        problems["author"] = next(iter(field_errors(exc).values()))
        return None


def _source(form: dict[str, str], published: datetime | None, problems: dict[str, str]) -> Any:
    if form.get("source"):
        return form["source"]
    outlet = form.get("outlet", "")
    try:
        return SourceCreate.model_validate(
            {
                "url": form.get("source_url") or None,
                "title": form.get("source_title") or None,
                "outlet": {"name": outlet, "slug": slugify(outlet)} if outlet else None,
                "published_at": published,
            }
        )
    except ValidationError as exc:
        renamed = {"url": "source_url", "title": "source_title", "published_at": "published_on"}
        for name, message in field_errors(exc).items():
            problems[renamed.get(name, name)] = message
        return None


@router.get("/preview/hedge")
def preview_hedge(visitor: VisitorDep, value: Words = "") -> JSONResponse:
    """What the codebook makes of hedge words, for the log form's live hint."""
    require(visitor, Role.viewer)
    book = get_codebook(DEFAULT_CODEBOOK)
    entry = book.match(value)
    if entry is None:
        text = "no codebook phrase in these words: give a probability instead"
        return JSONResponse({"ok": False, "text": text})
    text = f"{book.name}: {percent(entry.probability)} (“{entry.phrase}”)"
    return JSONResponse({"ok": True, "text": text, "probability": entry.probability})


@router.get("/preview/deadline")
def preview_deadline(
    visitor: VisitorDep,
    session: PageSession,
    today: Today,
    value: Words = "",
    published_on: Annotated[date | None, Query()] = None,
    source: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> JSONResponse:
    """The date deadline words name, counted from the article's date."""
    require(visitor, Role.viewer)
    found = session.get(Source, source) if source else None
    said = found.published_at.date() if found and found.published_at else published_on
    try:
        deadline = parse_deadline(value, made_at=said or today)
    except DeadlineError as exc:
        return JSONResponse({"ok": False, "text": str(exc)})
    text = day(deadline.resolve_by)
    return JSONResponse({"ok": True, "text": text, "date": deadline.resolve_by.isoformat()})
