"""The small in-process dispatcher through which domains announce what happened.

Predictions, resolutions and authors publish an event in the transaction that made the change;
scoring and notifications subscribe and react in that same transaction (through the session the
event carries), so no domain imports the packages above it. `app.reactions.install()` wires the
subscribers at every boundary (the app, the CLI, tests); publishing before that is an error,
never a silently skipped score update.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlmodel import Session

from app.models import Prediction


class Scorable(Protocol):
    """What scoring reads of a prediction: a row, or a snapshot taken before a change."""

    @property
    def author_id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def outcome(self) -> str | None: ...
    @property
    def probability(self) -> float: ...
    @property
    def probability_basis(self) -> str: ...
    @property
    def question(self) -> str | None: ...


@dataclass(frozen=True)
class PredictionState:
    """A prediction's scored fields at one moment (before a change)."""

    author_id: int
    status: str
    outcome: str | None
    probability: float
    probability_basis: str
    question: str | None


def state_of(prediction: Scorable) -> PredictionState:
    """A snapshot of what scoring reads, to announce with a change."""
    return PredictionState(
        prediction.author_id,
        prediction.status,
        prediction.outcome,
        prediction.probability,
        prediction.probability_basis,
        prediction.question,
    )


@dataclass(frozen=True)
class PredictionLogged:
    session: Session
    prediction: Prediction
    at: datetime


@dataclass(frozen=True)
class PredictionCorrected:
    session: Session
    prediction: Prediction
    before: PredictionState
    changed: frozenset[str]
    retagged: bool


@dataclass(frozen=True)
class PredictionWithdrawn:
    session: Session
    prediction: Prediction
    before: PredictionState


@dataclass(frozen=True)
class PredictionsDue:
    session: Session
    prediction_ids: list[int]
    at: datetime


@dataclass(frozen=True)
class VerdictRecorded:
    session: Session
    prediction: Prediction
    before: PredictionState
    at: datetime


@dataclass(frozen=True)
class PredictionSnoozed:
    session: Session
    prediction: Prediction


@dataclass(frozen=True)
class PredictionsImported:
    """Many predictions logged at once, some with their verdict (as any log and verdict)."""

    session: Session
    states: list[PredictionState]
    prediction_ids: list[int]
    resolved_ids: list[int]
    at: datetime


@dataclass(frozen=True)
class AuthorRenamed:
    session: Session
    author_id: int


@dataclass(frozen=True)
class CheckpointSigned:
    """The Merkle log signed a checkpoint over `tree_size` leaves (issue 17)."""

    session: Session
    tree_size: int
    note: str
    at: datetime


E = TypeVar("E")
_handlers: defaultdict[type, list[Callable[[Any], None]]] = defaultdict(list)
_installed: list[bool] = []


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Call `handler` with every event of this type, in the publisher's transaction."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def mark_installed() -> None:
    """Every subscriber is wired (called by `app.reactions.install`)."""
    if not _installed:
        _installed.append(True)


def publish(event: object) -> None:
    """Tell every subscriber; their work joins the publisher's transaction."""
    if not _installed:
        raise RuntimeError("event subscribers are not wired: call app.reactions.install()")
    for handler in _handlers[type(event)]:
        handler(event)
