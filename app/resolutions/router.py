"""Verdicts and snoozes on a prediction, the review queue and its assignments (/api/v1/queue),
and the verdicts automated checks propose (/api/v1/proposals), confirmed or rejected by editors."""

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, status

from app.deps import (
    EditorUser,
    IdPath,
    Limit,
    Now,
    Offset,
    Reader,
    SessionDep,
    SettingsDep,
    Today,
)
from app.errors import Unauthorized
from app.models import Status
from app.predictions import service as predictions
from app.predictions.schemas import PredictionPublic
from app.resolutions import service
from app.resolutions.schemas import (
    AssignIn,
    ProposalPublic,
    ProposalsPage,
    QueuePage,
    RejectIn,
    ResolutionIn,
    ResolutionResult,
    SnoozeIn,
)

router = APIRouter(tags=["predictions"])


@router.get("/proposals", response_model=ProposalsPage)
def list_proposals(
    session: SessionDep,
    _user: EditorUser,
    status: Annotated[Literal["proposed", "confirmed", "rejected"], Query()] = "proposed",
    limit: Limit = 50,
    offset: Offset = 0,
) -> ProposalsPage:
    """Verdicts proposed by resolution checks (editor), oldest first."""
    rows, total = service.list_proposals(session=session, status=status, limit=limit, offset=offset)
    items = [ProposalPublic.model_validate(p) for p in rows]
    return ProposalsPage(items=items, total=total, limit=limit, offset=offset)


@router.post("/proposals/{proposal_id}/confirm", response_model=ResolutionResult, status_code=201)
def confirm(
    proposal_id: IdPath, session: SessionDep, user: EditorUser, today: Today, now: Now
) -> ResolutionResult:
    """Accept the proposed verdict: it becomes the prediction's verdict, with its evidence."""
    return service.confirm_proposal(
        session=session, proposal_id=proposal_id, user=user, today=today, now=now
    )


@router.post("/proposals/{proposal_id}/reject", response_model=ProposalPublic)
def reject(
    proposal_id: IdPath, body: RejectIn, session: SessionDep, user: EditorUser
) -> ProposalPublic:
    """Refuse the proposed verdict; the check will not propose again for this prediction."""
    proposal = service.reject_proposal(
        session=session, proposal_id=proposal_id, user=user, reason=body.reason
    )
    return ProposalPublic.model_validate(proposal)


@router.post(
    "/predictions/{prediction_id}/resolution",
    status_code=status.HTTP_201_CREATED,
    response_model=ResolutionResult,
    responses={409: {"description": "A verdict exists: name it in `supersedes`."}},
)
def resolve_prediction(
    prediction_id: IdPath,
    body: ResolutionIn,
    session: SessionDep,
    user: EditorUser,
    today: Today,
    now: Now,
) -> ResolutionResult:
    """Record a verdict: true, false or void (editor)."""
    prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
    resolution = service.resolve(
        session=session, prediction=prediction, verdict=body, user=user, today=today, now=now
    )
    return ResolutionResult(
        resolution=predictions.verdicts_public(session=session, resolutions=[resolution])[0],
        status=Status(prediction.status),
    )


@router.post("/predictions/{prediction_id}/snooze", response_model=PredictionPublic)
def snooze_prediction(
    prediction_id: IdPath, body: SnoozeIn, session: SessionDep, user: EditorUser, today: Today
) -> PredictionPublic:
    """Put a due prediction off until a re-check date (editor)."""
    prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
    service.snooze(session=session, prediction=prediction, data=body, user=user, today=today)
    return predictions.present(session=session, predictions=[prediction])[0]


@router.get("/queue", response_model=QueuePage)
def resolution_queue(
    session: SessionDep,
    settings: SettingsDep,
    reader: Reader,
    request: Request,
    assignee: Annotated[
        str | None,
        Query(max_length=320, description="An assignee's email (signed-in staff only)."),
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> QueuePage:
    """Predictions awaiting a verdict, oldest deadline first; staff also see the assignee."""
    if assignee is not None and reader is None:
        raise Unauthorized(
            "assignee= filters the queue for staff only: send `Authorization: Bearer <key>`",
            field="assignee",
        )
    items, total = service.queue(
        session=session,
        today=request.app.state.clock.now().date(),
        escalation_weeks=settings.escalation_weeks,
        assignee=assignee,
        limit=limit,
        offset=offset,
        show_assignees=reader is not None,
    )
    return QueuePage(items=items, total=total, limit=limit, offset=offset)


@router.post("/predictions/{prediction_id}/assign", response_model=QueuePage)
def assign(
    prediction_id: IdPath,
    body: AssignIn,
    session: SessionDep,
    settings: SettingsDep,
    editor: EditorUser,
    request: Request,
) -> QueuePage:
    """Hand a prediction's verdict to another journalist (editor); answers their queue.

    Who assigned it, and when, is recorded. With `previous`, a prediction reassigned by
    someone else since is a 409 (`current_assignee` says to whom)."""
    prediction = predictions.get_prediction(session=session, prediction_id=prediction_id)
    user = service.assign(
        session=session,
        prediction=prediction,
        email=body.assignee,
        by=editor,
        now=request.app.state.clock.now(),
        previous=body.previous,
    )
    return resolution_queue(session, settings, editor, request, user.email)
