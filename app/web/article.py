"""Pages: paste an article or its URL, see the forecasts found in it, accept, edit or reject."""

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import ValidationError
from sqlmodel import Session

from app.client import client_key
from app.deps import IdPath, Today
from app.extraction import service as extraction
from app.extraction.schemas import AcceptIn, ExtractIn, RejectCandidateIn, candidate_out
from app.models import ExtractionCandidate, Outlet, Role, Source
from app.ratelimit import EXTRACT_LIMIT, Rule, enforce
from app.sources import service as sources
from app.sources.schemas import SourceUpdate
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
    Reshow,
    Visitor,
    VisitorDep,
    field_errors,
    percent,
    redirect,
    render,
    require,
    require_reader,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

CandidateNumber = Annotated[int, Path(ge=0, le=100_000)]


def limited_page(rule: Rule) -> Callable[[Request, VisitorDep], None]:
    """A page dependency: the signed-in user, or the visitor's address, under `rule`."""

    def check(request: Request, visitor: VisitorDep) -> None:
        if visitor.user is not None:
            enforce(request, rule, rule.keyed, f"user:{visitor.user.id}")
        else:
            enforce(request, rule, rule.anonymous, f"ip:{client_key(request)}")

    return check


@router.get("/extract")
def extract_form(request: Request, visitor: VisitorDep) -> Response:
    """Paste an article's text or give its address."""
    require(visitor, Role.editor)
    return render(request, visitor, "extract.html", {"values": {}, "errors": {}})


@router.post("/extract", dependencies=[Depends(limited_page(EXTRACT_LIMIT))])
def extract(
    request: Request, visitor: VisitorDep, form: FormDep, session: PageSession, today: Today
) -> Response:
    """Archive the article, find its candidate forecasts and show them."""
    require(visitor, Role.editor)

    def reshow(_session: Session, errors: dict[str, str]) -> Response:
        return render(
            request, visitor, "extract.html", {"values": form, "errors": errors}, status=422
        )

    with reshown_on_error(reshow, errors=_extract_errors):
        data = _extract_in(form)
        page = extraction.fetch_article(
            engine=request.app.state.engine, data=data, client=request.app.state.http
        )
        source = extraction.archive(session=session, data=data, page=page)
        found = extraction.extract_candidates(
            session=session, source=source, author=data.author, today=today
        )
    notice = f"Found {len(found)} candidate forecast{'s' if len(found) != 1 else ''}."
    return redirect(request, f"/sources/{source.id}/candidates", notice=notice)


def _extract_in(form: dict[str, str]) -> ExtractIn:
    try:
        published_at = noon_on(form.get("published_on", ""))
    except ValueError as exc:
        raise FormProblem({"published_on": str(exc)}) from None
    return ExtractIn.model_validate(
        {
            "text": form.get("text") or None,
            "url": form.get("url") or None,
            "title": form.get("title") or None,
            "author": form.get("author") or None,
            "outlet": form.get("outlet") or None,
            "published_at": published_at,
        }
    )


def _extract_errors(exc: Exception) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        errors = field_errors(exc)
        if "form" in errors and "text" in errors["form"]:
            errors["text"] = "paste the article's text, or give its address below (or both)"
            del errors["form"]
        return {("published_on" if k == "published_at" else k): v for k, v in errors.items()}
    return errors_of(exc)


@router.get("/sources/{source_id}/candidates")
def candidates(
    source_id: IdPath, request: Request, visitor: VisitorDep, session: PageSession
) -> Response:
    """The article with each candidate highlighted, and a form to accept or reject each."""
    require_reader(visitor)
    return _candidates_page(request, visitor, session, source_id)


def _candidates_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    source_id: int,
    *,
    n: int | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    source_values: dict[str, str] | None = None,
    source_errors: dict[str, str] | None = None,
) -> Response:
    source = sources.get_source(session=session, source_id=source_id)
    outlet = session.get(Outlet, source.outlet_id) if source.outlet_id else None
    rows = extraction.find_candidates(
        session=session, source=source, author=None, today=source.created_at.date()
    )
    found = [candidate_out(row) for row in rows]
    text = source.text or ""
    asks = [extraction.attributed_elsewhere(session=session, candidate=row) for row in rows]
    context = {
        "source": source,
        "segments": service.highlight(text, [_span(text, c) for c in found]),
        "candidates": [
            (c, _prefill(c, row, ask), ask) for c, row, ask in zip(found, rows, asks, strict=True)
        ],
        "decided": sum(1 for row in rows if row.status != "proposed"),
        "outlet": outlet,
        "failed": n,
        "values": values or {},
        "errors": errors or {},
        "source_values": source_values or _source_as_typed(source, outlet),
        "source_errors": source_errors or {},
    }
    status = 422 if errors or source_errors else 200
    return render(request, visitor, "candidates.html", context, status=status)


def _source_as_typed(source: Source, outlet: Outlet | None) -> dict[str, str]:
    published = source.published_at.date().isoformat() if source.published_at else ""
    return {
        "title": source.title or "",
        "url": source.url or "",
        "outlet": outlet.name if outlet else "",
        "published_on": published,
    }


@router.post("/sources/{source_id}/edit")
def edit_source(
    source_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
) -> Response:
    """Correct the source's title, address, outlet and date (through the sources service)."""
    require(visitor, Role.editor)
    source = sources.get_source(session=session, source_id=source_id)

    def again(session: Session, errors: dict[str, str]) -> Response:
        return _candidates_page(
            request, visitor, session, source_id, source_values=form, source_errors=errors
        )

    with reshown_on_error(again, errors=_source_errors):
        try:
            published_at = noon_on(form.get("published_on", ""))
        except ValueError as exc:
            raise FormProblem({"published_on": str(exc)}) from None
        data = SourceUpdate.model_validate(
            {
                "title": form.get("title") or None,
                "url": form.get("url") or None,
                "outlet": form.get("outlet") or None,
                "published_at": published_at,
            }
        )
        sources.update_source(session=session, source=source, data=data)
    return redirect(request, f"/sources/{source_id}/candidates", notice="Source saved.")


def _source_errors(exc: Exception) -> dict[str, str]:
    errors = errors_of(exc)
    return {("published_on" if k == "published_at" else k): v for k, v in errors.items()}


def _reshow(
    request: Request, visitor: Visitor, source_id: int, n: int, values: dict[str, str]
) -> Reshow:
    """The article again, candidate n's form showing its errors."""

    def again(session: Session, errors: dict[str, str]) -> Response:
        return _candidates_page(
            request, visitor, session, source_id, n=n, values=values, errors=errors
        )

    return again


def _stored_candidate(session: Session, source_id: int, n: int) -> ExtractionCandidate:
    # The article page only shows what the extractor finds (a GET never writes): the first
    # decision on a source's candidates stores them, numbered as the page showed them.
    source = session.get(Source, source_id)
    if source is not None:
        extraction.extract_candidates(
            session=session, source=source, author=None, today=source.created_at.date()
        )
    return extraction.get_candidate(session=session, source_id=source_id, n=n)


def _span(text: str, candidate: Any) -> tuple[int, int, int]:
    at = text.find(candidate.span, candidate.start, candidate.end)
    if at < 0:
        return candidate.start, candidate.end, candidate.n
    return at, at + len(candidate.span), candidate.n


def _prefill(candidate: Any, row: ExtractionCandidate, ask: str | None) -> dict[str, str]:
    return {
        "claim": candidate.claim,
        "probability": percent(candidate.probability),
        "resolve_by": candidate.horizon_text or str(candidate.resolve_by or ""),
        "author": ask or row.author or "",
        "criteria": "",
        "tags": "",
    }


@router.get("/sources/{source_id}/candidates/{n}/{decision}")
def candidate_form_address(
    source_id: IdPath,
    n: CandidateNumber,
    decision: Literal["accept", "reject"],
    request: Request,
    visitor: VisitorDep,
) -> Response:
    """A form's address reloaded or bookmarked after an error leads back to the candidate."""
    require_reader(visitor)
    return redirect(request, f"/sources/{source_id}/candidates#candidate-{n}")


@router.post("/sources/{source_id}/candidates/{n}/accept")
def accept(
    source_id: IdPath,
    n: CandidateNumber,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
    today: Today,
) -> Response:
    """Log the candidate as a prediction, with the journalist's edits."""
    user = require(visitor, Role.editor)
    candidate = _stored_candidate(session, source_id, n)
    reshow = _reshow(request, visitor, source_id, n, form)
    with reshown_on_error(reshow, errors=_accept_errors):
        ask = extraction.attributed_elsewhere(session=session, candidate=candidate)
        edits = _edits(form, _prefill(candidate_out(candidate), candidate, ask), ask)
        prediction = extraction.accept(
            session=session, candidate=candidate, edits=edits, user=user, today=today
        )
    notice = f"Logged as prediction #{prediction.id}."
    return redirect(request, f"/sources/{source_id}/candidates#candidate-{n}", notice=notice)


ACCEPT_FIELDS = {"claim", "probability", "resolve_by", "criteria", "tags", "author", "whose"}
UNDATED = (
    "the article has no date, and deadlines count from it: give its “Published on” date "
    "under “Edit the source” above, then accept again"
)


def _accept_errors(exc: Exception) -> dict[str, str]:
    # `reason` is the reject form's field; the accept form's is `attribution_reason`.
    errors = errors_of(exc)
    if "reason" in errors:
        errors["attribution_reason"] = errors.pop("reason")
    if "made_at" in errors:
        errors.pop("made_at")
        errors.setdefault("form", UNDATED)
    # An error the accept form has no field for is said at its top, never lost.
    for name in set(errors) - ACCEPT_FIELDS - {"attribution_reason", "form"}:
        message = errors.pop(name)
        errors.setdefault("form", f"{name.replace('_', ' ')}: {message}")
    return errors


def _whose(form: dict[str, str], ask: str | None) -> dict[str, Any]:
    """The accept form's answer to whose forecast an attributed candidate is."""
    if ask is None:
        return {"author": form.get("author") or None}
    whose = form.get("whose", "")
    if whose == "source":
        reason = form.get("attribution_reason") or None
        return {"as_author_of_source": True, "reason": reason}
    if whose != "attributed":
        raise FormProblem(
            {"whose": f"the article attributes this to {ask}: choose whose forecast it is"}
        )
    return {"author": form.get("author") or None}


def _edits(form: dict[str, str], prefill: dict[str, str], ask: str | None) -> AcceptIn:
    # Unchanged fields go as None, so the found probability keeps its codebook basis
    # and the deadline keeps the words it came from.
    def changed(name: str) -> str | None:
        value = form.get(name, "")
        return value if value and value != prefill.get(name) else None

    problems: dict[str, str] = {}
    text = changed("probability")
    probability = probability_from(text, problems) if text else None
    if problems:
        raise FormProblem(problems)
    return AcceptIn.model_validate(
        _whose(form, ask)
        | {
            "claim": changed("claim"),
            "probability": probability,
            "resolve_by": form.get("resolve_by") or None,
            "criteria": form.get("criteria") or None,
            "tags": tags_from(form.get("tags", "")),
        }
    )


@router.post("/sources/{source_id}/candidates/{n}/reject")
def reject(
    source_id: IdPath,
    n: CandidateNumber,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
) -> Response:
    """Refuse the candidate, saying why (kept to improve the extractor)."""
    user = require(visitor, Role.editor)
    candidate = _stored_candidate(session, source_id, n)
    reshow = _reshow(request, visitor, source_id, n, form)
    with reshown_on_error(reshow, errors=_reject_errors):
        data = RejectCandidateIn.model_validate({"reason": form.get("reason", "")})
        extraction.reject(session=session, candidate=candidate, reason=data.reason, user=user)
    return redirect(request, f"/sources/{source_id}/candidates#candidate-{n}", notice="Rejected.")


def _reject_errors(exc: Exception) -> dict[str, str]:
    if isinstance(exc, ValidationError):
        return {"reason": "say why it is not a forecast worth logging"}
    return errors_of(exc)
