"""Webhook events written to the outbox when the domains announce a change (app.events)."""

from datetime import datetime

from sqlmodel import Session, col, select

from app import events
from app.models import Prediction
from app.notifications import events as outbox
from app.notifications.webhooks import enqueue

CHUNK = 1000


def on_logged(event: events.PredictionLogged) -> None:
    outbox.emit(event.session, "prediction.logged", [event.prediction], event.at)


def on_verdict(event: events.VerdictRecorded) -> None:
    outbox.emit(event.session, "prediction.resolved", [event.prediction], event.at)


def on_due(event: events.PredictionsDue) -> None:
    _emit_many(event.session, "prediction.due", event.prediction_ids, event.at)


def on_imported(event: events.PredictionsImported) -> None:
    _emit_many(event.session, "prediction.logged", event.prediction_ids, event.at)
    _emit_many(event.session, "prediction.resolved", event.resolved_ids, event.at)


def on_checkpoint(event: events.CheckpointSigned) -> None:
    """Announce every new checkpoint, so outsiders keep copies (issue 17)."""
    listeners = outbox.listeners_of(event.session, "log.checkpoint")
    if listeners:
        data = {"tree_size": event.tree_size, "note": event.note}
        enqueue(
            event.session,
            event_type="log.checkpoint",
            payload=data,
            matches=listeners,
            now=event.at,
        )


def _emit_many(session: Session, event_type: str, ids: list[int], at: datetime) -> None:
    if not ids or not outbox.has_listeners(session, event_type):
        return  # a sweep or an import of many predictions builds no payloads nobody asked for
    for chunk in (ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)):
        statement = (
            select(Prediction).where(col(Prediction.id).in_(chunk)).order_by(col(Prediction.id))
        )
        outbox.emit(session, event_type, list(session.scalars(statement)), at)


def install() -> None:
    """Subscribe the webhook outbox to the domains' events."""
    events.subscribe(events.PredictionLogged, on_logged)
    events.subscribe(events.VerdictRecorded, on_verdict)
    events.subscribe(events.PredictionsDue, on_due)
    events.subscribe(events.PredictionsImported, on_imported)
    events.subscribe(events.CheckpointSigned, on_checkpoint)
