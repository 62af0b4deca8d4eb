"""Webhook events written to the outbox when the domains announce a change (app.events)."""

from sqlmodel import col, select

from app import events
from app.models import Prediction
from app.notifications import events as outbox

DUE_CHUNK = 1000


def on_logged(event: events.PredictionLogged) -> None:
    outbox.emit(event.session, "prediction.logged", [event.prediction], event.at)


def on_verdict(event: events.VerdictRecorded) -> None:
    outbox.emit(event.session, "prediction.resolved", [event.prediction], event.at)


def on_due(event: events.PredictionsDue) -> None:
    session, ids = event.session, event.prediction_ids
    if not outbox.has_listeners(session, "prediction.due"):
        return  # a sweep of many predictions builds no payloads nobody asked for
    for chunk in (ids[i : i + DUE_CHUNK] for i in range(0, len(ids), DUE_CHUNK)):
        rows = list(session.scalars(select(Prediction).where(col(Prediction.id).in_(chunk))))
        outbox.emit(session, "prediction.due", rows, event.at)


def install() -> None:
    """Subscribe the webhook outbox to the domains' events."""
    events.subscribe(events.PredictionLogged, on_logged)
    events.subscribe(events.VerdictRecorded, on_verdict)
    events.subscribe(events.PredictionsDue, on_due)
