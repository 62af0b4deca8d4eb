"""The scheduler's lease: held while a job runs longer than the lease, renewed by the clock."""

import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime

import httpx
import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import scheduler as jobs
from app.config import Settings
from app.models import SchedulerLease
from tests.conftest import MovableClock


@pytest.fixture
def ctx(engine: Engine, database_url: str, clock: MovableClock) -> Iterator[jobs.Context]:
    settings = Settings(database_url=database_url, scheduler_lease_seconds=0.3)
    with httpx.Client() as http:
        yield jobs.Context(engine, settings, clock, http)


def renewed_at(engine: Engine) -> datetime | None:
    with Session(engine) as session:
        row = session.get(SchedulerLease, jobs.LEASE_NAME)
        return None if row is None else row.renewed_at


def wait_until(condition: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def test_a_job_longer_than_its_lease_keeps_the_lease_and_never_runs_twice(
    ctx: jobs.Context, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, finish, runs = threading.Event(), threading.Event(), []

    def slow(_ctx: jobs.Context) -> str:
        runs.append(1)
        started.set()
        finish.wait(timeout=30)
        return "done"

    monkeypatch.setitem(jobs.JOBS, "slow", slow)
    first, second = jobs.Lease(ctx, owner="first"), jobs.Lease(ctx, owner="second")
    worker = threading.Thread(target=jobs.run_job, args=(ctx, "slow", first))
    worker.start()
    assert started.wait(timeout=10)
    clock.advance(minutes=10)  # far past the 0.3 s lease taken when the job began
    wait_until(lambda: renewed_at(ctx.engine) == clock.now())  # the running job renewed it
    assert jobs.run_job(ctx, "slow", second) is None  # so the second scheduler waits
    finish.set()
    worker.join(timeout=10)
    assert runs == [1]
    clock.advance(seconds=1)  # no job runs now, so nothing renews the first's lease
    assert second.acquire()


def test_a_released_lease_goes_to_the_next_scheduler_at_once(ctx: jobs.Context) -> None:
    first, second = jobs.Lease(ctx, owner="first"), jobs.Lease(ctx, owner="second")
    assert first.acquire()
    assert not second.acquire()
    first.release()
    assert second.acquire()


def test_run_forever_stops_on_request_and_releases_the_lease(ctx: jobs.Context) -> None:
    stop = threading.Event()
    runner = threading.Thread(target=jobs.run_forever, args=(ctx, stop))
    runner.start()
    try:
        wait_until(lambda: renewed_at(ctx.engine) is not None)
    finally:
        stop.set()
        runner.join(timeout=30)
    assert not runner.is_alive()
    assert renewed_at(ctx.engine) is None
