"""Logging, finding and correcting predictions; every change leaves a revision."""

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from pydantic import HttpUrl
from sqlmodel import Session, col, delete, or_, select, update

from app import events
from app.authors import service as authors
from app.authors.schemas import AuthorCreate
from app.db import fetch_page
from app.errors import Conflict, Invalid, NotFound
from app.language import polarity as polarities
from app.language.codebook import DEFAULT_CODEBOOK, HedgeEntry, UnknownHedge, get_codebook
from app.language.horizons import Deadline, DeadlineError, parse_deadline
from app.ledger import service as ledger
from app.models import (
    Author,
    Basis,
    Outcome,
    Outlet,
    Prediction,
    PredictionRevision,
    PredictionTag,
    Resolution,
    Source,
    Status,
    User,
    utc_now,
)
from app.predictions.schemas import (
    PredictionCreate,
    PredictionDetail,
    PredictionPublic,
    PredictionUpdate,
    ResolutionPublic,
    RevisionPublic,
    SortKey,
)
from app.sources import service as sources
from app.sources.schemas import SourceCreate
from app.unique import inserted

_STATED_NUMBER = re.compile(
    r"\d+(\.\d+)?\s*(%|per ?cent)|\b\d+\s*(in|out of)\s*\d+\b|\bodds\b|\bchance of \d", re.I
)
_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
OPEN_STATUSES = (Status.open, Status.due, Status.snoozed)
# The fields a correction re-reads together rather than copies.
_READ_FIELDS = {"probability", "probability_basis", "hedge", "hedge_from", "polarity"}
# The corrected fields a track record shows (besides tags); others leave it as it was.


@dataclass(frozen=True)
class Filters:
    """What GET /predictions can narrow by."""

    author: str | None = None
    outlet: str | None = None
    tag: str | None = None
    status: Status | None = None
    due_before: date | None = None
    due_after: date | None = None
    made_after: datetime | None = None
    made_before: datetime | None = None
    q: str | None = None
    basis: Basis | None = None
    logged_by: int | None = None
    overdue_on: date | None = None


@dataclass(frozen=True)
class Probability:
    """A probability and where it came from."""

    value: float
    basis: Basis
    codebook_version: str | None
    note: str | None = None
    polarity: str | None = None
    hedge_from: str | None = None


@dataclass(frozen=True)
class Asked:
    """What a caller sent about a probability, with the quote and claim it is read against."""

    quote: str
    claim: str
    probability: float | None
    basis: str | None
    hedge: str | None
    hedge_from: str | None = None
    polarity: str | None = None
    reason: str | None = None


def normalize_quote(text: str) -> str:
    """Quotes compare without regard to case, curly quotes, dashes or spacing."""
    folded = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    return " ".join(folded.split())


def quote_hash(quote: str) -> str:
    """The fingerprint behind uq_prediction_source_quote."""
    return hashlib.sha256(normalize_quote(quote).encode()).hexdigest()


def interpret_probability(
    *, probability: float | None, basis: str | None, hedge: str | None, quote: str
) -> Probability:
    """The number to store: a given probability wins; else the codebook reads the hedge."""
    if probability is not None:
        guessed = Basis.stated if _STATED_NUMBER.search(quote) else Basis.editor
        return Probability(probability, Basis(basis) if basis else guessed, None)
    if hedge is None:
        raise Invalid(
            "give `probability` (0..1) or `hedge` words such as 'almost certainly'",
            field="probability",
        )
    codebook = get_codebook(DEFAULT_CODEBOOK)
    try:
        value = codebook.probability_of(hedge)
    except UnknownHedge as exc:
        raise Invalid(str(exc), field="hedge") from None
    return Probability(value, Basis.codebook, codebook.name)


def read_probability(asked: Asked) -> Probability:
    """The claim's probability as stated: the hedge read in the claim's polarity (issue 13)."""
    hedge_from = asked.hedge_from or ("quote" if asked.hedge else None)
    if asked.hedge and hedge_from != "editor" and not polarities.occurs(asked.hedge, asked.quote):
        raise Invalid(
            f"the hedge '{asked.hedge}' does not occur in the quote: copy the quote's own "
            'hedge words, or send "hedge_from": "editor" if you chose them',
            field="hedge",
        )
    base = interpret_probability(
        probability=asked.probability, basis=asked.basis, hedge=asked.hedge, quote=asked.quote
    )
    codebook = get_codebook(DEFAULT_CODEBOOK)
    entry = codebook.match(asked.hedge or asked.quote)
    if entry is None:
        return replace(base, hedge_from=hedge_from)
    polarity = _polarity(asked, entry)
    implied = entry.probability if polarity == "same" else round(1 - entry.probability, 6)
    notes = [_negation_note(asked, entry)] if polarity == "negated" else []
    if asked.probability is None:
        value = implied
    else:
        value = asked.probability
        notes += _departure(asked, base, entry, implied)
    return replace(
        base, value=value, note="; ".join(notes) or None, polarity=polarity, hedge_from=hedge_from
    )


def _polarity(asked: Asked, entry: HedgeEntry) -> str:
    if asked.polarity is not None:
        return asked.polarity
    reading = polarities.read_polarity(
        claim=asked.claim, quote=asked.quote, hedge=asked.hedge or entry.phrase
    )
    if reading.polarity is None:
        raise Invalid(
            f"cannot tell whether the claim states the event the hedge '{entry.phrase}' is "
            f'about or its negation ({reading.why}): send "polarity": "same" if the claim '
            'states that event, or "negated" if it states the opposite',
            field="polarity",
        )
    return reading.polarity


def _negation_note(asked: Asked, entry: HedgeEntry) -> str:
    reading = polarities.read_polarity(
        claim=asked.claim, quote=asked.quote, hedge=asked.hedge or entry.phrase
    )
    subject = reading.subject
    said = f"calls {subject}" if subject and len(subject.split()) <= 8 else "says"
    return (
        f"the quote {said} '{entry.phrase}', {entry.probability:.0%}, "
        "and the claim states its negation"
    )


def _departure(asked: Asked, base: Probability, entry: HedgeEntry, implied: float) -> list[str]:
    """An explicit probability far from the quote's hedge needs the editor to say why."""
    assert asked.probability is not None
    gap = abs(asked.probability - implied)
    stated = base.basis == Basis.stated and _STATED_NUMBER.search(asked.quote)
    if gap <= 0.3 or stated:
        return []
    if asked.basis != Basis.editor.value or not asked.reason:
        raise Invalid(
            f"probability {asked.probability:g} is {gap:.2f} away from the {implied:g} that "
            f"the quote's hedge '{entry.phrase}' implies for the claim as stated: send "
            '"probability_basis": "editor" with a "reason", or a probability within 0.3 '
            f"of {implied:g}",
            field="probability",
        )
    return [
        f"the editor's {asked.probability:.0%}, against the {implied:.0%} the quote's "
        f"'{entry.phrase}' implies: {asked.reason}"
    ]


def interpret_deadline(*, words: str, made_at: datetime) -> Deadline:
    """The resolve-by date the words name, relative to when the prediction was made."""
    try:
        return parse_deadline(words, made_at=made_at.date())
    except DeadlineError as exc:
        raise Invalid(str(exc), field="resolve_by", words=words) from None


def status_for(resolve_by: date, today: date) -> Status:
    """A fresh prediction is due at once when its deadline has passed."""
    return Status.due if resolve_by <= today else Status.open


def verdict_status(outcome: Outcome) -> Status:
    """The status a verdict leaves its prediction in."""
    return Status.void if outcome == Outcome.void else Status.resolved


def check_resolved_on(*, made_at: datetime, resolved_on: date, today: date) -> None:
    """A verdict's date is known (not in the future) and comes after the prediction.

    The rule of every verdict, whether the resolution service records it or an import does.
    """
    if resolved_on > today:
        raise Invalid(
            f"resolved_on {resolved_on} is in the future: give the date the outcome became known",
            field="resolved_on",
        )
    if resolved_on < made_at.date():
        raise Invalid(
            f"resolved_on {resolved_on} is before the prediction was made ({made_at.date()})",
            field="resolved_on",
        )


def get_prediction(*, session: Session, prediction_id: int) -> Prediction:
    """The prediction with this id, or 404."""
    prediction = session.get(Prediction, prediction_id)
    if prediction is None:
        raise NotFound(f"no prediction with id {prediction_id}", field="id")
    return prediction


def create_prediction(
    *,
    session: Session,
    data: PredictionCreate,
    user: User | None,
    today: date,
    probability: Probability | None = None,
) -> Prediction:
    """Log a forecast: check the quote against the source, read probability and deadline."""
    author = _resolve_author(session=session, author=data.author)
    source = _resolve_source(session=session, source=data.source)
    made_at = _made_at(data.made_at, source)
    _check_quote(session=session, source=source, quote=data.quote)
    probability = probability or read_probability(
        Asked(
            quote=data.quote,
            claim=data.claim,
            probability=data.probability,
            basis=data.probability_basis,
            hedge=data.hedge,
            hedge_from=data.hedge_from,
            polarity=data.polarity,
            reason=data.reason,
        )
    )
    deadline = interpret_deadline(words=data.resolve_by, made_at=made_at)
    assert author.id is not None
    assert source.id is not None
    now = utc_now()
    prediction = Prediction(
        author_id=author.id,
        source_id=source.id,
        quote=data.quote,
        quote_sha256=quote_hash(data.quote),
        claim=data.claim,
        resolution_criteria=data.resolution_criteria,
        probability=probability.value,
        probability_basis=probability.basis.value,
        hedge=data.hedge,
        codebook_version=probability.codebook_version,
        probability_note=probability.note,
        polarity=probability.polarity,
        hedge_from=probability.hedge_from,
        made_at=made_at,
        resolve_by=deadline.resolve_by,
        horizon_text=deadline.horizon_text,
        conditional_on=data.conditional_on,
        question=data.question,
        resolution_check=data.check.model_dump(mode="json") if data.check else None,
        status=status_for(deadline.resolve_by, today).value,
        logged_by_id=user.id if user else None,
        assignee_id=user.id if user else None,
        created_at=now,
        updated_at=now,
    )
    if not inserted(session, prediction):
        _check_quote(session=session, source=source, quote=data.quote)  # names the winner
        raise Conflict("this quote was being logged by another request: retry", field="quote")
    set_tags(session=session, prediction=prediction, tags=data.tags)
    events.publish(events.PredictionLogged(session, prediction, now))
    tags = tags_of(session=session, prediction_ids=[prediction.id or 0])[prediction.id or 0]
    ledger.append(session=session, entries=[ledger.prediction_entry(prediction, tags)])
    return prediction


def _resolve_author(*, session: Session, author: str | AuthorCreate) -> Author:
    if isinstance(author, AuthorCreate):
        return authors.find_or_create_author(session=session, data=author)
    return authors.get_by_slug_or_name(session=session, text=author)


def _resolve_source(*, session: Session, source: int | HttpUrl | SourceCreate) -> Source:
    if isinstance(source, SourceCreate):
        try:
            return sources.create_source(session=session, data=source)
        except Invalid as exc:
            exc.field = f"source.{exc.field}" if exc.field else "source"
            raise
    found = (
        session.get(Source, source)
        if isinstance(source, int)
        else sources.find_by_url(session=session, url=str(source))
    )
    if found is None:
        what = f"id {source}" if isinstance(source, int) else f"the URL {source}"
        raise Invalid(
            f"no source recorded with {what}: send the source object instead, "
            '{"url": ..., "title": ..., "outlet": ..., "published_at": ...}',
            field="source",
        )
    return found


def _made_at(made_at: datetime | None, source: Source) -> datetime:
    if made_at is not None:
        return made_at
    if source.published_at is None:
        raise Invalid(
            "made_at is required when the source has no published_at: give the date it was said",
            field="made_at",
        )
    return source.published_at


def _check_quote(
    *, session: Session, source: Source, quote: str, exclude: int | None = None
) -> None:
    if source.text and normalize_quote(quote) not in normalize_quote(source.text):
        raise Invalid(
            "the quote does not occur in the source's archived text: copy it verbatim",
            field="quote",
        )
    statement = select(Prediction.id).where(
        Prediction.source_id == source.id, Prediction.quote_sha256 == quote_hash(quote)
    )
    if exclude is not None:
        statement = statement.where(Prediction.id != exclude)
    existing = session.exec(statement).first()
    if existing is not None:
        raise Conflict(
            f"this quote is already logged from this source as prediction {existing}",
            field="quote",
            prediction_id=existing,
        )


def set_tags(*, session: Session, prediction: Prediction, tags: list[str]) -> None:
    """Replace the prediction's tags."""
    session.exec(delete(PredictionTag).where(col(PredictionTag.prediction_id) == prediction.id))
    for tag in sorted(set(tags)):
        assert prediction.id is not None
        session.add(PredictionTag(prediction_id=prediction.id, tag=tag))
    session.flush()


def tags_of(*, session: Session, prediction_ids: list[int]) -> dict[int, list[str]]:
    """Prediction id → sorted tags, in one query."""
    result: dict[int, list[str]] = {pid: [] for pid in prediction_ids}
    if not prediction_ids:
        return result
    rows = session.exec(
        select(PredictionTag.prediction_id, PredictionTag.tag)
        .where(col(PredictionTag.prediction_id).in_(prediction_ids))
        .order_by(col(PredictionTag.tag))
    )
    for pid, tag in rows:
        result[pid].append(tag)
    return result


def record_revision(
    *,
    session: Session,
    prediction: Prediction,
    action: str,
    reason: str,
    before: dict[str, Any],
    after: dict[str, Any],
    user: User | None,
    logged_first: Sequence[ledger.Entry] = (),
) -> PredictionRevision:
    """Append one entry to the prediction's history (and to the Merkle log, after
    `logged_first`: one append, so the log's lock is taken once, last)."""
    assert prediction.id is not None
    revision = PredictionRevision(
        prediction_id=prediction.id,
        action=action,
        reason=reason,
        before=before,
        after=after,
        changed_by_id=user.id if user else None,
        changed_at=utc_now(),
    )
    prediction.updated_at = revision.changed_at
    session.add(revision)
    session.add(prediction)
    session.flush()
    ledger.append(session=session, entries=[*logged_first, ledger.revision_entry(revision)])
    return revision


def update_prediction(
    *, session: Session, prediction: Prediction, data: PredictionUpdate, user: User, today: date
) -> Prediction:
    """Correct a prediction; the old and new values go into a revision."""
    if prediction.status == Status.withdrawn:
        raise Conflict("a withdrawn prediction cannot be changed", field="status")
    changes = _proposed_changes(session=session, prediction=prediction, data=data, today=today)
    before = {name: _jsonable(getattr(prediction, name)) for name in changes}
    old_tags = tags_of(session=session, prediction_ids=[prediction.id or 0])[prediction.id or 0]
    tags_changed = data.tags is not None and sorted(set(data.tags)) != old_tags
    if not changes and not tags_changed:
        raise Invalid("nothing to change: every field sent equals the current value", field=None)
    state = events.state_of(prediction)
    for name, value in changes.items():
        setattr(prediction, name, value)
    events.publish(
        events.PredictionCorrected(session, prediction, state, frozenset(changes), tags_changed)
    )
    after = {name: _jsonable(value) for name, value in changes.items()}
    if tags_changed and data.tags is not None:
        before["tags"], after["tags"] = old_tags, sorted(set(data.tags))
        set_tags(session=session, prediction=prediction, tags=data.tags)
    record_revision(
        session=session,
        prediction=prediction,
        action="update",
        reason=data.reason,
        before=before,
        after=after,
        user=user,
    )
    return prediction


def _proposed_changes(
    *, session: Session, prediction: Prediction, data: PredictionUpdate, today: date
) -> dict[str, Any]:
    sent = data.model_dump(exclude_unset=True, exclude={"reason", "tags"})
    proposed: dict[str, Any] = {k: v for k, v in sent.items() if k not in _READ_FIELDS}
    if "quote" in proposed:
        source = sources.get_source(session=session, source_id=prediction.source_id)
        _check_quote(session=session, source=source, quote=proposed["quote"], exclude=prediction.id)
        proposed["quote_sha256"] = quote_hash(proposed["quote"])
    rereads = prediction.probability_basis == Basis.codebook and {"claim", "quote"} & sent.keys()
    if _READ_FIELDS & sent.keys() or rereads:
        proposed |= _probability_change(prediction, data)
    if "resolve_by" in proposed:
        deadline = interpret_deadline(words=proposed["resolve_by"], made_at=prediction.made_at)
        proposed["resolve_by"], proposed["horizon_text"] = (
            deadline.resolve_by,
            deadline.horizon_text,
        )
        if prediction.status in (Status.open, Status.due):
            proposed["status"] = status_for(deadline.resolve_by, today).value
    return {k: v for k, v in proposed.items() if getattr(prediction, k) != v}


def _probability_change(prediction: Prediction, data: PredictionUpdate) -> dict[str, Any]:
    keeps = not {"probability", "hedge"} & data.model_fields_set
    kept = keeps and prediction.probability_basis != Basis.codebook
    hedge = data.hedge if data.hedge is not None else prediction.hedge
    probability = read_probability(
        Asked(
            quote=data.quote or prediction.quote,
            claim=data.claim or prediction.claim,
            probability=prediction.probability if kept else data.probability,
            basis=data.probability_basis or (prediction.probability_basis if kept else None),
            hedge=hedge,
            hedge_from=data.hedge_from or prediction.hedge_from,
            polarity=data.polarity,
            reason=data.reason,
        )
    )
    return {
        "probability": probability.value,
        "probability_basis": probability.basis.value,
        "codebook_version": probability.codebook_version,
        "hedge": hedge,
        "probability_note": probability.note,
        "polarity": probability.polarity,
        "hedge_from": probability.hedge_from,
    }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def withdraw(*, session: Session, prediction: Prediction, reason: str, user: User) -> Prediction:
    """Take a prediction logged in error out of every score; it stays on record."""
    if prediction.status == Status.withdrawn:
        raise Conflict(f"prediction {prediction.id} is already withdrawn", field="status")
    before = {"status": prediction.status}
    state = events.state_of(prediction)
    prediction.status = Status.withdrawn.value
    events.publish(events.PredictionWithdrawn(session, prediction, state))
    record_revision(
        session=session,
        prediction=prediction,
        action="withdraw",
        reason=reason,
        before=before,
        after={"status": prediction.status},
        user=user,
    )
    return prediction


def mark_due(*, session: Session, today: date) -> int:
    """Open predictions past their deadline and expired snoozes become due; returns the count."""
    became_due = (col(Prediction.status) == Status.open) & (col(Prediction.resolve_by) <= today)
    woke = (col(Prediction.status) == Status.snoozed) & (col(Prediction.snoozed_until) <= today)
    ids = [
        int(i or 0)
        for i in session.scalars(select(col(Prediction.id)).where(or_(became_due, woke)))
    ]
    now = utc_now()
    for chunk in (ids[i : i + 5000] for i in range(0, len(ids), 5000)):
        session.execute(
            update(Prediction)
            .where(col(Prediction.id).in_(chunk))
            .values(status=Status.due.value, snoozed_until=None, updated_at=now)
        )
    if ids:
        events.publish(events.PredictionsDue(session, ids, now))
    return len(ids)


def list_predictions(
    *, session: Session, filters: Filters, sort: SortKey, limit: int, offset: int
) -> tuple[list[Prediction], int]:
    """Predictions matching the filters, in the order asked for."""
    statement = select(Prediction)
    for condition in filter_conditions(session=session, filters=filters):
        statement = statement.where(condition)
    key = sort.lstrip("-")
    if key == "author":
        statement = statement.join(Author, col(Author.id) == col(Prediction.author_id))
    column = col(Author.name) if key == "author" else col(getattr(Prediction, key))
    order = column.desc() if sort.startswith("-") else column.asc()
    tiebreak = col(Prediction.id).desc() if sort.startswith("-") else col(Prediction.id).asc()
    return fetch_page(session, statement.order_by(order, tiebreak), limit=limit, offset=offset)


def filter_conditions(*, session: Session, filters: Filters) -> list[Any]:
    """The WHERE clauses for the filters (slugs looked up now: NotFound names the field)."""
    conditions: list[Any] = []
    if filters.author:
        conditions.append(col(Prediction.author_id) == _id_of(session, Author, filters.author))
    if filters.outlet:
        outlet_id = _id_of(session, Outlet, filters.outlet)
        in_outlet = select(Source.id).where(Source.outlet_id == outlet_id)
        conditions.append(col(Prediction.source_id).in_(in_outlet))
    if filters.tag:
        tagged = select(PredictionTag.prediction_id).where(PredictionTag.tag == filters.tag.lower())
        conditions.append(col(Prediction.id).in_(tagged))
    if filters.status:
        conditions.append(col(Prediction.status) == filters.status.value)
    if filters.basis:
        conditions.append(col(Prediction.probability_basis) == filters.basis.value)
    if filters.logged_by is not None:
        conditions.append(col(Prediction.logged_by_id) == filters.logged_by)
    if filters.overdue_on is not None:
        conditions.append(col(Prediction.resolve_by) < filters.overdue_on)
        conditions.append(col(Prediction.status).in_([Status.open, Status.due]))
    conditions += _range_conditions(filters)
    if filters.q:
        conditions.append(_text_condition(filters.q))
    return conditions


def _text_condition(text: str) -> Any:
    """The words anywhere in the quote, the claim or the author's name; % and _ match only
    themselves (ILIKE: lower() LIKE lower() on SQLite, ILIKE on PostgreSQL)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    named = select(Author.id).where(col(Author.name).ilike(pattern, escape="\\"))
    return or_(
        col(Prediction.quote).ilike(pattern, escape="\\"),
        col(Prediction.claim).ilike(pattern, escape="\\"),
        col(Prediction.author_id).in_(named),
    )


def _range_conditions(filters: Filters) -> list[Any]:
    bounds = [
        (filters.due_before, col(Prediction.resolve_by).__le__),
        (filters.due_after, col(Prediction.resolve_by).__ge__),
        (filters.made_after, col(Prediction.made_at).__ge__),
        (filters.made_before, col(Prediction.made_at).__le__),
    ]
    return [compare(value) for value, compare in bounds if value is not None]


def _id_of(session: Session, model: type[Author] | type[Outlet], slug: str) -> int:
    found = session.exec(select(model.id).where(model.slug == slug)).first()
    if found is None:
        field = model.__tablename__
        raise NotFound(f"no {field} with slug '{slug}'", field=str(field))
    return found


def current_resolutions(*, session: Session, prediction_ids: list[int]) -> dict[int, Resolution]:
    """Prediction id → its verdict in force (the one no later verdict supersedes)."""
    if not prediction_ids:
        return {}
    superseded = select(Resolution.supersedes_id).where(col(Resolution.supersedes_id).is_not(None))
    rows = session.exec(
        select(Resolution)
        .where(col(Resolution.prediction_id).in_(prediction_ids))
        .where(col(Resolution.id).not_in(superseded))
        .order_by(col(Resolution.id))
    )
    return {r.prediction_id: r for r in rows}


def present(*, session: Session, predictions: list[Prediction]) -> list[PredictionPublic]:
    """The public shape of many predictions, with a fixed number of queries."""
    ids = [p.id for p in predictions if p.id is not None]
    author_ids = {p.author_id for p in predictions}
    source_ids = {p.source_id for p in predictions}
    author_rows = session.exec(
        select(Author.id, Author.slug, Author.name).where(col(Author.id).in_(author_ids))
    ).all()
    people = {aid: (slug, name) for aid, slug, name in author_rows}
    source_rows = session.exec(
        select(Source.id, Source.url, Outlet.slug)
        .join(Outlet, col(Outlet.id) == col(Source.outlet_id), isouter=True)
        .where(col(Source.id).in_(source_ids))
    ).all()
    places = {sid: (url, outlet) for sid, url, outlet in source_rows}
    tags = tags_of(session=session, prediction_ids=ids)
    logged = ledger.log_indexes(session=session, table="prediction", ids=ids)
    return [
        _public(p, people[p.author_id], places[p.source_id], tags[p.id or 0], logged.get(p.id or 0))
        for p in predictions
    ]


def _public(
    prediction: Prediction,
    person: tuple[str, str],
    place: tuple[str | None, str | None],
    tags: list[str],
    log_index: int | None,
) -> PredictionPublic:
    fields = prediction.model_dump(exclude={"author_id", "quote_sha256"})
    return PredictionPublic(
        **fields,
        log_index=log_index,
        author=person[0],
        author_name=person[1],
        source_url=place[0],
        outlet=place[1],
        tags=tags,
    )


def detail(*, session: Session, prediction: Prediction) -> PredictionDetail:
    """A prediction with its revisions and every verdict, oldest first."""
    revisions = session.exec(
        select(PredictionRevision)
        .where(PredictionRevision.prediction_id == prediction.id)
        .order_by(col(PredictionRevision.id))
    ).all()
    resolutions = session.exec(
        select(Resolution)
        .where(Resolution.prediction_id == prediction.id)
        .order_by(col(Resolution.id))
    ).all()
    public = present(session=session, predictions=[prediction])[0]
    return PredictionDetail(
        **public.model_dump(),
        revisions=[RevisionPublic.model_validate(r) for r in revisions],
        resolutions=verdicts_public(session=session, resolutions=list(resolutions)),
    )


def verdicts_public(*, session: Session, resolutions: list[Resolution]) -> list[ResolutionPublic]:
    """Verdicts as the API shows them, each with its leaf's index in the Merkle log."""
    ids = [r.id for r in resolutions if r.id is not None]
    logged = ledger.log_indexes(session=session, table="resolution", ids=ids)
    return [
        ResolutionPublic.model_validate(r).model_copy(update={"log_index": logged.get(r.id or 0)})
        for r in resolutions
    ]
