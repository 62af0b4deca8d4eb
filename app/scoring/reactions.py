"""How the score rows and cache versions follow what the domains announce (app.events)."""

from app import events
from app.scoring import rows

# A correction of these fields changes what the author's track record shows.
SHOWN_IN_RECORDS = frozenset({"probability", "probability_basis", "hedge", "status"})


def on_logged(event: events.PredictionLogged) -> None:
    rows.touch_authors(event.session, [event.prediction.author_id])
    rows.touch_crowd(event.session, [event.prediction.question])


def on_corrected(event: events.PredictionCorrected) -> None:
    prediction = event.prediction
    rows.replace(
        event.session,
        before=rows.scored(event.before),
        after=rows.scored(prediction),
        retagged=event.retagged,
    )
    if event.retagged or SHOWN_IN_RECORDS & event.changed:
        rows.touch_authors(event.session, [prediction.author_id])
    if "probability" in event.changed:
        rows.touch_crowd(event.session, [prediction.question])


def on_withdrawn(event: events.PredictionWithdrawn) -> None:
    rows.replace(event.session, before=rows.scored(event.before), after=None)
    rows.touch_authors(event.session, [event.prediction.author_id])
    rows.touch_crowd(event.session, [event.prediction.question])


def on_due(event: events.PredictionsDue) -> None:
    rows.touch_authors_of(event.session, event.prediction_ids)


def on_verdict(event: events.VerdictRecorded) -> None:
    prediction = event.prediction
    rows.replace(event.session, before=rows.scored(event.before), after=rows.scored(prediction))
    rows.touch_authors(event.session, [prediction.author_id])


def on_snoozed(event: events.PredictionSnoozed) -> None:
    rows.touch_authors(event.session, [event.prediction.author_id])


def on_imported(event: events.PredictionsImported) -> None:
    scored = [s for s in map(rows.scored, event.states) if s is not None]
    rows.add_many(event.session, scored)
    rows.touch_authors(event.session, {s.author_id for s in event.states})
    rows.touch_crowd(event.session, {s.question for s in event.states})
    if scored:
        rows.bump(event.session)


def on_renamed(event: events.AuthorRenamed) -> None:
    rows.renamed(event.session, event.author_id)


def install() -> None:
    """Subscribe the score upkeep to the domains' events."""
    events.subscribe(events.PredictionLogged, on_logged)
    events.subscribe(events.PredictionCorrected, on_corrected)
    events.subscribe(events.PredictionWithdrawn, on_withdrawn)
    events.subscribe(events.PredictionsDue, on_due)
    events.subscribe(events.VerdictRecorded, on_verdict)
    events.subscribe(events.PredictionSnoozed, on_snoozed)
    events.subscribe(events.PredictionsImported, on_imported)
    events.subscribe(events.AuthorRenamed, on_renamed)
