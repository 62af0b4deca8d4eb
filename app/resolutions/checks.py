"""Automated resolution checks: a linked Manifold or Metaculus question proposes a verdict.

A check never resolves a prediction by itself: when the linked question has resolved, it writes
a ProposedVerdict (with the link as evidence) for an editor to confirm or reject.
"""

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from app.db import session_scope
from app.models import Prediction, ProposedVerdict, Status
from app.predictions.questions import api_url

log = logging.getLogger("hindsight.checks")

Answer = Literal["yes", "no", "void"]


@dataclass(frozen=True)
class QuestionResult:
    """How the linked question resolved."""

    answer: Answer
    resolved_on: date | None  # None when the site does not say: the day the check ran


def _manifold(body: dict[str, Any]) -> QuestionResult | None:
    # GET /v0/slug/{slug}: isResolved, resolution YES/NO/MKT/CANCEL, resolutionTime (ms).
    if not body.get("isResolved"):
        return None
    answer: Answer = {"YES": "yes", "NO": "no"}.get(str(body.get("resolution")), "void")  # type: ignore[assignment]
    stamp = body.get("resolutionTime") or body.get("closeTime") or 0
    return QuestionResult(answer, datetime.fromtimestamp(stamp / 1000, UTC).date())


def _metaculus(body: dict[str, Any]) -> QuestionResult | None:
    # GET /api/posts/{id}/: question.status "resolved", question.resolution yes/no/annulled/...
    question = body.get("question") or {}
    if question.get("status") != "resolved":
        return None
    answer: Answer = {"yes": "yes", "no": "no"}.get(str(question.get("resolution")), "void")  # type: ignore[assignment]
    when = question.get("actual_resolve_time") or question.get("scheduled_resolve_time")
    resolved_on = datetime.fromisoformat(str(when).replace("Z", "+00:00")).date() if when else None
    return QuestionResult(answer, resolved_on)


def fetch_result(client: httpx.Client, check: dict[str, Any]) -> QuestionResult | None:
    """The linked question's result, or None while it is open."""
    response = client.get(api_url(check["kind"], check["url"]), timeout=10.0)
    response.raise_for_status()
    parse = _manifold if check["kind"] == "manifold" else _metaculus
    return parse(response.json())


def outcome_for(result: QuestionResult, check: dict[str, Any]) -> str:
    """The claim's outcome: YES means TRUE unless the check says the claim is the negation."""
    if result.answer == "void":
        return "void"
    yes = check.get("yes_means", "true") == "true"
    return "true" if (result.answer == "yes") == yes else "false"


def run_checks(*, engine: Engine, client: httpx.Client, now: datetime) -> int:
    """Propose verdicts for due predictions whose linked question resolved; returns how many."""
    proposed = 0
    for prediction_id, check in _due_checks(engine):
        try:
            result = fetch_result(client, check)
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            log.warning("check of prediction %s failed: %s", prediction_id, exc)
            continue
        if result is not None:
            with session_scope(engine) as session:
                proposed += _propose(session, prediction_id, check, result, now)
    return proposed


def _due_checks(engine: Engine) -> list[tuple[int, dict[str, Any]]]:
    open_proposal = select(col(ProposedVerdict.prediction_id)).where(
        col(ProposedVerdict.status).in_(["proposed", "rejected"])
    )
    statement = (
        select(col(Prediction.id), col(Prediction.resolution_check))
        .where(col(Prediction.status) == Status.due)
        .where(col(Prediction.resolution_check).is_not(None))
        .where(col(Prediction.id).not_in(open_proposal))
        .order_by(col(Prediction.resolve_by))
    )
    with Session(engine) as session:
        return [(int(pid or 0), check) for pid, check in session.execute(statement) if check]


def _propose(
    session: Session,
    prediction_id: int,
    check: dict[str, Any],
    result: QuestionResult,
    now: datetime,
) -> int:
    prediction = session.get(Prediction, prediction_id)
    if prediction is None or prediction.status != Status.due:
        return 0
    session.add(
        ProposedVerdict(
            prediction_id=prediction_id,
            outcome=outcome_for(result, check),
            resolved_on=max(result.resolved_on or now.date(), prediction.made_at.date()),
            evidence_url=check["url"],
            source=check["kind"],
            status="proposed",
            created_at=now,
        )
    )
    return 1
