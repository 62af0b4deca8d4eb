"""The clock, injected so tests and the scheduler can move time without sleeping.

Every CLI command, job and app takes its clock from `clock_for(settings)`: the real clock, or,
when `HINDSIGHT_CLOCK_START` is set, one that starts at that instant and runs on from there
(tests and replays set it; a subprocess under test reads it from its environment).
"""

import time
from datetime import UTC, date, datetime, timedelta
from typing import Protocol

from app.config import Settings
from app.models import utc_now


class Clock(Protocol):
    """Anything that tells the current UTC instant."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        return utc_now()

    def today(self) -> date:
        """Today's date in UTC."""
        return self.now().date()


class StartedClock:
    """A clock that read `start` when it was made and runs on at the real pace."""

    def __init__(self, start: datetime) -> None:
        self.start = start.astimezone(UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self._origin)


def clock_for(settings: Settings) -> Clock:
    """The clock the settings ask for: the real one unless a start instant is set."""
    if settings.clock_start is None:
        return SystemClock()
    return StartedClock(settings.clock_start)


def today(clock: Clock) -> date:
    """Today's date in UTC by this clock."""
    return clock.now().date()
