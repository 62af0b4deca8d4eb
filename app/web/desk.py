"""Pages: the desk dashboard, the prediction page, verdicts and snoozes."""

from datetime import timedelta
from typing import Any, Literal

from fastapi import APIRouter, Request, Response
from sqlmodel import Session

from app.config import Settings
from app.deps import IdPath, Today
from app.models import Outlet, Role, Source, Status, User
from app.predictions import service as predictions
from app.predictions.schemas import PredictionDetail, PredictionUpdate, WithdrawIn
from app.resolutions import service as resolutions
from app.resolutions.schemas import ResolutionIn, SnoozeIn
from app.web import service
from app.web.forms import (
    FormProblem,
    errors_of,
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
    percent,
    redirect,
    render,
    require,
    require_reader,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

DESK_ROWS = 10


@router.get("/desk")
def desk(request: Request, visitor: VisitorDep, session: PageSession, today: Today) -> Response:
    """Due this week, overdue with age, recently logged, recently resolved."""
    require(visitor, Role.viewer)
    settings: Settings = request.app.state.settings
    week = predictions.Filters(
        status=Status.open, due_after=today, due_before=today + timedelta(days=7)
    )
    coming, coming_total = predictions.list_predictions(
        session=session, filters=week, sort="resolve_by", limit=DESK_ROWS, offset=0
    )
    overdue, overdue_total = resolutions.queue(
        session=session,
        today=today,
        escalation_weeks=settings.escalation_weeks,
        assignee=None,
        limit=DESK_ROWS,
        offset=0,
        show_assignees=True,  # the desk is for signed-in staff only
    )
    logged, logged_total = predictions.list_predictions(
        session=session, filters=predictions.Filters(), sort="-id", limit=DESK_ROWS, offset=0
    )
    resolved = service.recently_resolved(session=session, limit=DESK_ROWS)
    context = {
        "coming": predictions.present(session=session, predictions=coming),
        "coming_total": coming_total,
        "overdue": overdue,
        "names": service.names_of(session=session, slugs={item.author for item in overdue}),
        "overdue_total": overdue_total,
        "logged": predictions.present(session=session, predictions=logged),
        "logged_total": logged_total,
        "resolved": predictions.present(session=session, predictions=resolved),
        "articles": service.articles_in_progress(session=session, limit=DESK_ROWS),
    }
    return render(request, visitor, "desk.html", context)


@router.get("/predictions/{prediction_id}")
def prediction_page(
    prediction_id: IdPath, request: Request, visitor: VisitorDep, session: PageSession
) -> Response:
    """The quote in its context, the claim, probability, deadline, history and verdict forms."""
    require_reader(visitor)
    return _prediction_page(request, visitor, session, prediction_id)


def _prediction_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    prediction_id: int,
    *,
    form: str | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 422,
) -> Response:
    prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
    detail = predictions.detail(session=session, prediction=prediction)
    source = session.get(Source, prediction.source_id)
    outlet = session.get(Outlet, source.outlet_id) if source and source.outlet_id else None
    context = {
        "p": detail,
        "source": source,
        "outlet": outlet,
        "excerpt": service.quote_in_context(source.text if source else None, detail.quote),
        "assignee": session.get(User, prediction.assignee_id) if prediction.assignee_id else None,
        "current": _current(detail),
        "as_typed": as_typed(detail),
        "form": form,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, visitor, "prediction.html", context, status=status if errors else 200)


def _reshow(
    request: Request, visitor: Visitor, prediction_id: int, form: str, values: dict[str, str]
) -> Reshow:
    """The prediction page again with one of its forms open, showing its errors."""

    def again(session: Session, errors: dict[str, str]) -> Response:
        # A verdict that lost the race to a colleague's is a conflict, not a bad form.
        status = 409 if RACED in errors.values() else 422
        return _prediction_page(
            request,
            visitor,
            session,
            prediction_id,
            form=form,
            values=values,
            errors=errors,
            status=status,
        )

    return again


def _current(detail: PredictionDetail) -> Any:
    replaced = {r.supersedes_id for r in detail.resolutions if r.supersedes_id}
    live = [r for r in detail.resolutions if r.id not in replaced]
    return live[-1] if live else None


@router.get("/predictions/{prediction_id}/{form_name}")
def prediction_form_address(
    prediction_id: IdPath,
    form_name: Literal["resolve", "snooze", "correct", "withdraw"],
    request: Request,
    visitor: VisitorDep,
) -> Response:
    """A form's address reloaded or bookmarked after an error leads back to the prediction."""
    require_reader(visitor)
    return redirect(request, f"/predictions/{prediction_id}")


@router.post("/predictions/{prediction_id}/resolve")
def resolve(
    prediction_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
    today: Today,
) -> Response:
    """Record a verdict with its evidence; a second verdict replaces the first, with history."""
    user = require(visitor, Role.editor)
    prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
    reshow = _reshow(request, visitor, prediction_id, "resolve", form)
    with reshown_on_error(reshow, errors=_verdict_errors):
        verdict = ResolutionIn.model_validate(verdict_body(form))
        resolutions.resolve(
            session=session,
            prediction=prediction,
            verdict=verdict,
            user=user,
            today=today,
            now=request.app.state.clock.now(),
        )
    notice = f"Verdict recorded: {verdict.outcome.value}."
    return redirect(request, f"/predictions/{prediction_id}", notice=notice)


VERDICT_FIELDS = {"outcome", "condition_met", "resolved_on", "evidence_urls", "no_link_reason"}
RACED = (
    "a colleague recorded a verdict meanwhile (under Verdicts above): read it; to replace it "
    "with yours, send this form again"
)


def _verdict_errors(exc: Exception) -> dict[str, str]:
    """Errors of the verdict form; one it has no field for is said at its top, in its words."""
    errors = errors_of(exc)
    if "supersedes" in errors:
        errors.pop("supersedes")
        errors.setdefault("form", RACED)
    for name in set(errors) - VERDICT_FIELDS - {"note", "form"}:
        errors.setdefault("form", errors.pop(name))
    return errors


def verdict_body(form: dict[str, str]) -> dict[str, Any]:
    """The verdict form as the API's body, once it is chosen rather than defaulted (issue 15):
    an outcome, the day it became known, evidence or a reason for none, a void's reason."""
    outcome, no_link = form.get("outcome", ""), bool(form.get("no_link"))
    links, note = form.get("evidence_urls", "").split(), form.get("note", "")
    reason = form.get("no_link_reason", "")
    failed_condition = form.get("condition_met") == "no"
    problems: dict[str, str] = {}
    if not outcome and not failed_condition:
        problems["outcome"] = "choose the verdict: true, false or void"
    if not form.get("resolved_on"):
        problems["resolved_on"] = "give the date the outcome became known, e.g. 2026-03-31"
    if outcome in ("true", "false") and not links and not no_link:
        problems["evidence_urls"] = "give an evidence link, or tick “no link” and say why"
    if no_link and not links and not reason:
        problems["no_link_reason"] = "say why there is no link to the evidence"
    if outcome == "void" and not note and not failed_condition:
        problems["note"] = "say why the question fell away: a void verdict needs a reason"
    if problems:
        raise FormProblem(problems)
    if no_link and not links:
        note = f"No evidence link: {reason}" + (f"\n{note}" if note else "")
    return {
        "outcome": outcome or None,
        "resolved_on": form.get("resolved_on"),
        "evidence_urls": links,
        "note": note or None,
        "supersedes": form.get("supersedes") or None,
        "condition_met": {"yes": True, "no": False}.get(form.get("condition_met", "")),
    }


@router.post("/predictions/{prediction_id}/snooze")
def snooze(
    prediction_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
    today: Today,
) -> Response:
    """Put a due prediction off until a re-check date (not knowable yet)."""
    user = require(visitor, Role.editor)
    prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
    with reshown_on_error(_reshow(request, visitor, prediction_id, "snooze", form)):
        data = SnoozeIn.model_validate({"until": form.get("until"), "reason": form.get("reason")})
        resolutions.snooze(
            session=session, prediction=prediction, data=data, user=user, today=today
        )
    notice = f"Snoozed until {data.until.isoformat()}."
    return redirect(request, f"/predictions/{prediction_id}", notice=notice)


@router.post("/predictions/{prediction_id}/withdraw")
def withdraw(
    prediction_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
) -> Response:
    """Withdraw a prediction logged in error (admins), whatever its status, with the reason."""
    user = require(visitor, Role.admin)
    prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
    reshow = _reshow(request, visitor, prediction_id, "withdraw", form)
    with reshown_on_error(reshow, errors=_withdraw_errors):
        data = WithdrawIn.model_validate({"reason": form.get("withdraw_reason", "")})
        predictions.withdraw(session=session, prediction=prediction, reason=data.reason, user=user)
    return redirect(
        request, f"/predictions/{prediction_id}", notice=f"Prediction #{prediction_id} withdrawn."
    )


def _withdraw_errors(exc: Exception) -> dict[str, str]:
    """The form has one field: every problem (the reason, "already withdrawn") sits by it."""
    return {"withdraw_reason": next(iter(errors_of(exc).values()))}


def as_typed(detail: PredictionDetail) -> dict[str, str]:
    """The correctable fields as the correction form shows them."""
    return {
        "claim": detail.claim,
        "resolution_criteria": detail.resolution_criteria or "",
        "probability": percent(detail.probability),
        "resolve_by": detail.horizon_text or detail.resolve_by.isoformat(),
        "tags": ", ".join(detail.tags),
    }


@router.post("/predictions/{prediction_id}/correct")
def correct(
    prediction_id: IdPath,
    request: Request,
    visitor: VisitorDep,
    form: FormDep,
    session: PageSession,
    today: Today,
) -> Response:
    """Amend a prediction: only what changed is sent, with the reason, into its history."""
    user = require(visitor, Role.editor)
    prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
    shown = as_typed(predictions.detail(session=session, prediction=prediction))
    with reshown_on_error(_reshow(request, visitor, prediction_id, "correct", form)):
        data = _correction(form, shown)
        predictions.update_prediction(
            session=session, prediction=prediction, data=data, user=user, today=today
        )
    return redirect(request, f"/predictions/{prediction_id}", notice="Correction recorded.")


def _correction(form: dict[str, str], shown: dict[str, str]) -> PredictionUpdate:
    changed = {k: form.get(k, "") for k in shown if form.get(k, "") != shown[k]}
    problems: dict[str, str] = {}
    body: dict[str, Any] = {"reason": form.get("reason", "")}
    for name in ("claim", "resolution_criteria", "resolve_by"):
        if name in changed:
            body[name] = changed[name] or None
    if "probability" in changed:
        body["probability"] = probability_from(changed["probability"], problems)
        if body["probability"] is None and "probability" not in problems:
            problems["probability"] = "give the corrected probability: 70% or 0.7"
    if "tags" in changed:
        body["tags"] = tags_from(changed["tags"])
    if problems:
        raise FormProblem(problems)
    return PredictionUpdate.model_validate(body)
