"""Recording verdicts (with supersession) and snoozes; the review queue and assignments."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import func
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from app import events
from app.db import fetch_page
from app.errors import Conflict, Invalid, NotFound
from app.ledger import service as ledger
from app.models import (
    Author,
    Outcome,
    Prediction,
    ProposedVerdict,
    Resolution,
    Role,
    Status,
    User,
    utc_now,
)
from app.predictions.service import (
    check_resolved_on,
    current_resolutions,
    record_revision,
    verdict_status,
    verdicts_public,
)
from app.resolutions.schemas import QueueItem, ResolutionIn, ResolutionResult, SnoozeIn
from app.unique import inserted


def resolve(
    *,
    session: Session,
    prediction: Prediction,
    verdict: ResolutionIn,
    user: User | None,
    today: date,
    now: datetime | None = None,
) -> Resolution:
    """Record a verdict; a second one must name the verdict it supersedes.

    `now` stamps when it was recorded (the app's clock; the real one if omitted).
    """
    lock(session, prediction)
    if prediction.status == Status.withdrawn:
        raise Conflict("a withdrawn prediction takes no verdict", field="status")
    resolved_on = verdict.resolved_on or today
    check_resolved_on(made_at=prediction.made_at, resolved_on=resolved_on, today=today)
    current = current_resolutions(session=session, prediction_ids=[prediction.id or 0]).get(
        prediction.id or 0
    )
    _check_supersedes(prediction, current, verdict.supersedes)
    check_condition(prediction, verdict)
    assert prediction.id is not None
    resolution = Resolution(
        prediction_id=prediction.id,
        outcome=verdict.outcome.value,
        resolved_on=resolved_on,
        evidence_urls=[str(u) for u in verdict.evidence_urls],
        note=verdict.note,
        resolved_by_id=user.id if user else None,
        supersedes_id=verdict.supersedes,
        condition_met=verdict.condition_met,
        created_at=now or utc_now(),
    )
    if not inserted(session, resolution):
        raise _in_force(session, prediction)
    before = {"status": prediction.status, "outcome": current.outcome if current else None}
    state = events.state_of(prediction)
    prediction.status = verdict_status(verdict.outcome).value
    prediction.outcome = verdict.outcome.value
    prediction.resolved_on = resolved_on
    prediction.snoozed_until = None
    session.flush()
    events.publish(events.VerdictRecorded(session, prediction, state, resolution.created_at))
    record_revision(
        session=session,
        prediction=prediction,
        action="supersede" if current else "resolve",
        reason=verdict.note or f"verdict {verdict.outcome.value}",
        before=before,
        after={"status": prediction.status, "outcome": resolution.outcome},
        user=user,
        logged_first=[ledger.verdict_entry(resolution)],
    )
    return resolution


def lock(session: Session, prediction: Prediction) -> None:
    """Reload the prediction and hold its row until the request commits (PostgreSQL), so
    verdicts and snoozes on it queue rather than each act on what it read before the other."""
    session.refresh(prediction, with_for_update=True)


def _in_force(session: Session, prediction: Prediction) -> Conflict:
    # uq_resolution_first_verdict or uq_resolution_supersedes_id refused the verdict: a
    # racing request recorded its own first (lock() makes this rare; the index makes it safe).
    assert prediction.id is not None
    current = current_resolutions(session=session, prediction_ids=[prediction.id])
    found = current.get(prediction.id)
    if found is None:
        return Conflict(
            f"prediction {prediction.id} is taking another verdict at this moment: retry",
            field="supersedes",
        )
    return Conflict(
        f"prediction {prediction.id} already has a verdict in force (resolution {found.id}): "
        f"to replace it, send supersedes: {found.id}",
        field="supersedes",
        current_resolution_id=found.id,
    )


def _check_supersedes(
    prediction: Prediction, current: Resolution | None, supersedes: int | None
) -> None:
    if current is None and supersedes is not None:
        raise Conflict(
            f"prediction {prediction.id} has no verdict to supersede: omit `supersedes`",
            field="supersedes",
        )
    if current is not None and supersedes is None:
        raise Conflict(
            f"prediction {prediction.id} already has verdict {current.id} ({current.outcome}): "
            f"to correct it, send `supersedes: {current.id}` with the new verdict",
            field="supersedes",
            current_resolution_id=current.id,
        )
    if current is not None and supersedes != current.id:
        raise Conflict(
            f"verdict {supersedes} is not the one in force; supersede verdict {current.id}",
            field="supersedes",
            current_resolution_id=current.id,
        )


def snooze(
    *, session: Session, prediction: Prediction, data: SnoozeIn, user: User | None, today: date
) -> Prediction:
    """Put a due prediction off to a re-check date; the sweep brings it back."""
    lock(session, prediction)
    if prediction.status not in (Status.due, Status.snoozed):
        raise Conflict(
            f"only a due prediction can be snoozed; this one is {prediction.status} "
            f"(resolve_by {prediction.resolve_by})",
            field="status",
        )
    if data.until <= today:
        raise Invalid(f"until {data.until} must be after today ({today})", field="until")
    before = {"status": prediction.status, "snoozed_until": _iso(prediction.snoozed_until)}
    prediction.status = Status.snoozed.value
    prediction.snoozed_until = data.until
    events.publish(events.PredictionSnoozed(session, prediction))
    record_revision(
        session=session,
        prediction=prediction,
        action="snooze",
        reason=data.reason,
        before=before,
        after={"status": prediction.status, "snoozed_until": data.until.isoformat()},
        user=user,
    )
    return prediction


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _proposal(session: Session, proposal_id: int) -> ProposedVerdict:
    proposal = session.get(ProposedVerdict, proposal_id)
    if proposal is None:
        raise NotFound(f"no proposed verdict with id {proposal_id}", field="id")
    if proposal.status != "proposed":
        raise Conflict(f"proposal {proposal_id} is already {proposal.status}", field="status")
    return proposal


def list_proposals(
    *, session: Session, status: str, limit: int, offset: int
) -> tuple[list[ProposedVerdict], int]:
    """Proposed verdicts in one status, oldest first."""
    statement = (
        select(ProposedVerdict)
        .where(col(ProposedVerdict.status) == status)
        .order_by(col(ProposedVerdict.id))
    )
    return fetch_page(session, statement, limit=limit, offset=offset)


def check_condition(prediction: Prediction, verdict: ResolutionIn) -> None:
    """A conditional prediction's verdict says whether the condition held; a failed one voids."""
    if prediction.conditional_on is None:
        if verdict.condition_met is not None:
            raise Invalid(
                "this prediction has no condition (conditional_on is empty): "
                "leave condition_met out",
                field="condition_met",
            )
        return
    if verdict.condition_met is None:
        raise Invalid(
            f"this prediction is conditional on '{prediction.conditional_on}': send "
            '"condition_met": true if that happened, or false to make the verdict void',
            field="condition_met",
        )
    if not verdict.condition_met and verdict.outcome != Outcome.void:
        raise Invalid(
            f"the condition was not met, so the verdict is void, not {verdict.outcome.value}: "
            'send "outcome": "void" or leave outcome out',
            field="outcome",
        )


def confirm_proposal(
    *, session: Session, proposal_id: int, user: User, today: date, now: datetime | None = None
) -> ResolutionResult:
    """Turn a proposal into the prediction's verdict (the editor's act, with its evidence).

    `now` stamps when it was recorded (the app's clock; the real one if omitted)."""
    proposal = _proposal(session, proposal_id)
    prediction = session.get(Prediction, proposal.prediction_id)
    assert prediction is not None
    if prediction.conditional_on is not None:
        raise Invalid(
            f"prediction {prediction.id} is conditional on '{prediction.conditional_on}', which "
            f"a linked question cannot settle: record its verdict at POST /api/v1/predictions/"
            f"{prediction.id}/resolution with condition_met",
            field="condition_met",
        )
    verdict = ResolutionIn(
        outcome=Outcome(proposal.outcome),
        resolved_on=min(proposal.resolved_on, today),
        evidence_urls=[proposal.evidence_url],
        note=f"confirmed from the linked {proposal.source} question",
    )
    resolution = resolve(
        session=session, prediction=prediction, verdict=verdict, user=user, today=today, now=now
    )
    proposal.status, proposal.decided_by_id = "confirmed", user.id
    proposal.decided_at = now or utc_now()
    return ResolutionResult(
        resolution=verdicts_public(session=session, resolutions=[resolution])[0],
        status=Status(prediction.status),
    )


def reject_proposal(
    *, session: Session, proposal_id: int, user: User, reason: str
) -> ProposedVerdict:
    """Refuse a proposal; the reason goes into the prediction's history."""
    proposal = _proposal(session, proposal_id)
    proposal.status, proposal.decided_by_id, proposal.decided_at = "rejected", user.id, utc_now()
    prediction = session.get(Prediction, proposal.prediction_id)
    assert prediction is not None
    record_revision(
        session=session,
        prediction=prediction,
        action="reject-proposal",
        reason=reason,
        before={"proposal": proposal.id, "outcome": proposal.outcome},
        after={},
        user=user,
    )
    return proposal


def queue(
    *,
    session: Session,
    today: date,
    escalation_weeks: int,
    assignee: str | None,
    limit: int,
    offset: int,
    show_assignees: bool,
) -> tuple[list[QueueItem], int]:
    """Due and overdue predictions, oldest deadline first, with who is to resolve them.

    show_assignees=False (anonymous visitors) leaves every assignee out: staff stay private.
    """
    statement = (
        select(Prediction, Author.slug, User.display_name, User.email)
        .join(Author, col(Author.id) == col(Prediction.author_id))
        .outerjoin(User, col(User.id) == col(Prediction.assignee_id))
        .where(col(Prediction.status) == Status.due)
        .order_by(col(Prediction.resolve_by), col(Prediction.id))
    )
    if assignee:
        statement = statement.where(col(User.email) == assignee.lower())
    count = select(func.count()).select_from(statement.order_by(None).subquery())
    total = int(session.scalar(count) or 0)
    rows = session.execute(statement.limit(limit).offset(offset)).all()
    items = []
    for prediction, slug, name, email in rows:
        shown = shown_name(name, email) if show_assignees else None
        items.append(_queue_item(prediction, slug, shown, today, escalation_weeks))
    return items, total


def shown_name(display_name: str | None, email: str | None) -> str | None:
    """How staff see a colleague: the display name, else the part of the email before @."""
    if email is None:
        return None
    return display_name or email.split("@", 1)[0]


def _queue_item(
    prediction: Prediction, author: str, assignee: str | None, today: date, escalation_weeks: int
) -> QueueItem:
    overdue_days = max((today - prediction.resolve_by).days, 0)
    return QueueItem(
        id=prediction.id or 0,
        author=author,
        claim=prediction.claim,
        resolve_by=prediction.resolve_by,
        assignee=assignee,
        overdue_days=overdue_days,
        escalated=overdue_days >= 7 * escalation_weeks,
    )


def assign(
    *,
    session: Session,
    prediction: Prediction,
    email: str,
    by: User | None = None,
    now: datetime | None = None,
    previous: str | None = None,
) -> User:
    """Make another journalist responsible for the verdict, recording who assigned them.

    `previous` is the assignee's email the caller last saw ("" for nobody): when someone else
    reassigned the prediction meanwhile, the assignment is refused (409) rather than undone.
    """
    user = session.exec(select(User).where(col(User.email) == email.lower())).first()
    if user is None:
        raise Invalid(f"no user with email '{email}': create one first", field="assignee")
    if Role(user.role).rank < Role.editor.rank:
        raise Invalid(f"'{email}' is a viewer and cannot give verdicts", field="assignee")
    if not user.active:
        raise Invalid(f"'{email}' is deactivated: choose an active editor", field="assignee")
    lock(session, prediction)
    if previous is not None:
        _check_previous(session, prediction, previous)
    prediction.assignee_id = user.id
    prediction.assigned_by_id = by.id if by else None
    prediction.assigned_at = now or utc_now()
    session.add(prediction)
    session.flush()
    return user


def _check_previous(session: Session, prediction: Prediction, previous: str) -> None:
    current = session.get(User, prediction.assignee_id) if prediction.assignee_id else None
    current_email = current.email if current else ""
    if current_email != previous.lower():
        held = f"is now assigned to {current_email}" if current_email else "is now unassigned"
        raise Conflict(
            f"prediction {prediction.id} {held}: someone changed it after you loaded the "
            "page; reload and choose again",
            field="assignee",
            current_assignee=current_email or None,
        )


@dataclass(frozen=True)
class ReviewItem:
    """A prediction on the review desk: what it is, how late, who has it and who said so."""

    id: int
    author: str
    claim: str
    resolve_by: date
    overdue_days: int
    escalated: bool
    assignee: User | None
    assigned_by: User | None
    assigned_at: datetime | None


def review_queue(
    *,
    session: Session,
    today: date,
    escalation_weeks: int,
    scope: Literal["mine", "unassigned", "all"],
    user: User,
    limit: int,
    offset: int,
    escalated_only: bool = False,
) -> tuple[list[ReviewItem], int]:
    """Due predictions for staff, the most overdue first; `mine` is `user`'s."""
    assignee, assigner = aliased(User), aliased(User)
    statement = (
        select(Prediction, Author.slug, assignee, assigner)
        .join(Author, col(Author.id) == col(Prediction.author_id))
        .outerjoin(assignee, col(assignee.id) == col(Prediction.assignee_id))
        .outerjoin(assigner, col(assigner.id) == col(Prediction.assigned_by_id))
        .where(col(Prediction.status) == Status.due)
        .order_by(col(Prediction.resolve_by), col(Prediction.id))
    )
    if scope == "mine":
        statement = statement.where(col(Prediction.assignee_id) == user.id)
    elif scope == "unassigned":
        statement = statement.where(col(Prediction.assignee_id).is_(None))
    if escalated_only:
        cutoff = today - timedelta(weeks=escalation_weeks)
        statement = statement.where(col(Prediction.resolve_by) <= cutoff)
    count = select(func.count()).select_from(statement.order_by(None).subquery())
    total = int(session.scalar(count) or 0)
    rows = session.execute(statement.limit(limit).offset(offset)).all()
    items = [
        _review_item(prediction, slug, held_by, given_by, today, escalation_weeks)
        for prediction, slug, held_by, given_by in rows
    ]
    return items, total


def _review_item(
    prediction: Prediction,
    author: str,
    assignee: User | None,
    assigner: User | None,
    today: date,
    escalation_weeks: int,
) -> ReviewItem:
    item = _queue_item(prediction, author, None, today, escalation_weeks)
    return ReviewItem(
        id=item.id,
        author=author,
        claim=item.claim,
        resolve_by=item.resolve_by,
        overdue_days=item.overdue_days,
        escalated=item.escalated,
        assignee=assignee,
        assigned_by=assigner,
        assigned_at=prediction.assigned_at,
    )


def pending_proposals(
    *, session: Session, limit: int
) -> list[tuple[ProposedVerdict, Prediction, str]]:
    """Proposals awaiting a decision, oldest first, with their prediction and author slug."""
    statement = (
        select(ProposedVerdict, Prediction, Author.slug)
        .join(Prediction, col(Prediction.id) == col(ProposedVerdict.prediction_id))
        .join(Author, col(Author.id) == col(Prediction.author_id))
        .where(col(ProposedVerdict.status) == "proposed")
        .order_by(col(ProposedVerdict.id))
        .limit(limit)
    )
    return [(proposal, p, slug) for proposal, p, slug in session.execute(statement).all()]
