"""The few fixed jobs, and the lease that lets exactly one scheduler run them.

The schedule itself lives in our tables (deadlines, the digest log, the webhook outbox), so a
million predictions never mean a million APScheduler jobs. Each job asks the database what is
due by the injected clock.
"""

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, timedelta

import httpx
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from app.clock import Clock
from app.config import Settings
from app.db import session_scope
from app.ledger import service as ledger
from app.ledger.keys import load_signer
from app.models import SchedulerLease, utc_now
from app.notifications import digest, webhooks
from app.predictions import service as predictions
from app.resolutions import checks
from app.scoring import stored as stored_records

log = logging.getLogger("hindsight.scheduler")

LEASE_NAME = "scheduler"


@dataclass
class Context:
    """What every job needs."""

    engine: Engine
    settings: Settings
    clock: Clock
    http: httpx.Client


def sweep_due(ctx: Context) -> object:
    """Open predictions past their deadline, and expired snoozes, become due."""
    with session_scope(ctx.engine) as session:
        return predictions.mark_due(session=session, today=ctx.clock.now().date())


def weekly_digest(ctx: Context) -> object:
    """Send this week's digest once its time has come (so a late start catches up once)."""
    week = digest.digest_due(ctx.settings, ctx.clock.now())
    if week is None:
        return None
    return digest.send_digests(
        engine=ctx.engine, settings=ctx.settings, now=ctx.clock.now(), week=week
    )


def deliver_webhooks(ctx: Context) -> object:
    """Send the outbox's due webhook events."""
    return webhooks.deliver_due(
        engine=ctx.engine,
        client=ctx.http,
        now=ctx.clock.now(),
        allow_private=ctx.settings.webhook_allow_private,
    )


def resolution_checks(ctx: Context) -> object:
    """Due predictions with a linked question: propose a verdict where it has resolved."""
    return checks.run_checks(engine=ctx.engine, client=ctx.http, now=ctx.clock.now())


def sign_checkpoint(ctx: Context) -> object:
    """Sign a checkpoint of the Merkle log if it has grown since the last one."""
    signer = load_signer(ctx.settings)
    with session_scope(ctx.engine) as session:
        return ledger.checkpoint(session=session, signer=signer).tree_size


def refresh_track_records(ctx: Context) -> object:
    """Re-render the stored track records of authors whose version moved (issue 16)."""
    return stored_records.refresh(ctx.engine, limit=REFRESH_BATCH)


JOBS: dict[str, Callable[[Context], object]] = {
    "sweep_due": sweep_due,
    "weekly_digest": weekly_digest,
    "deliver_webhooks": deliver_webhooks,
    "resolution_checks": resolution_checks,
    "sign_checkpoint": sign_checkpoint,
    "refresh_track_records": refresh_track_records,
}
# How many ticks apart each job runs.
EVERY = {
    "deliver_webhooks": 1,
    "sweep_due": 5,
    "weekly_digest": 5,
    "resolution_checks": 60,
    "sign_checkpoint": 10,
    "refresh_track_records": 1,
}
REFRESH_BATCH = 2000  # a tick's worth of rendering; the rest waits for the next tick


class Lease:
    """A row in scheduler_lease: whoever holds it unexpired runs the jobs."""

    def __init__(self, ctx: Context, owner: str | None = None) -> None:
        self.ctx = ctx
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"

    def acquire(self) -> bool:
        """Take or renew the lease; False while another holder's lease is unexpired."""
        now = self.ctx.clock.now()
        expires = now + timedelta(seconds=self.ctx.settings.scheduler_lease_seconds)
        try:
            with session_scope(self.ctx.engine) as session:
                row = session.get(SchedulerLease, LEASE_NAME, with_for_update=True)
                if row is None:
                    session.add(
                        SchedulerLease(
                            name=LEASE_NAME, owner=self.owner, expires_at=expires, renewed_at=now
                        )
                    )
                    return True
                if row.owner != self.owner and row.expires_at > now:
                    return False
                row.owner, row.expires_at, row.renewed_at = self.owner, expires, now
                return True
        except IntegrityError:
            return False

    def release(self) -> None:
        """Give the lease up (on a clean shutdown), so another scheduler need not wait."""
        with session_scope(self.ctx.engine) as session:
            row = session.get(SchedulerLease, LEASE_NAME)
            if row is not None and row.owner == self.owner:
                session.delete(row)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Keep renewing the lease while the block runs, so a job longer than the lease
        never runs twice: renewals come three times a lease."""
        stop = threading.Event()
        interval = self.ctx.settings.scheduler_lease_seconds / 3
        renewer = threading.Thread(
            target=self._renew_until, args=(stop, interval), name="lease-renewer", daemon=True
        )
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join()

    def _renew_until(self, stop: threading.Event, interval: float) -> None:
        while not stop.wait(interval):
            if not self.acquire():
                log.error("scheduler %s lost the lease while a job ran", self.owner)


def run_job(ctx: Context, job_id: str, lease: Lease | None = None) -> object:
    """Run one job now, under the lease when one is given (renewed while it runs)."""
    if lease is not None and not lease.acquire():
        log.info("%s: another scheduler holds the lease; waiting", job_id)
        return None
    with lease.held() if lease is not None else nullcontext():
        result = JOBS[job_id](ctx)
    log.info("%s ran: %s", job_id, result)
    return result


def build(ctx: Context, scheduler: BaseScheduler, lease: Lease) -> BaseScheduler:
    """Add the fixed jobs, each with an explicit id, to an APScheduler 3 scheduler."""
    tick = ctx.settings.scheduler_tick
    for job_id, every in EVERY.items():
        scheduler.add_job(
            run_job,
            "interval",
            seconds=tick * every,
            id=job_id,
            args=(ctx, job_id, lease),
            coalesce=True,
            max_instances=1,
            replace_existing=True,
            next_run_time=utc_now(),  # APScheduler keeps real time; jobs read ctx.clock
        )
    return scheduler


STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def run_forever(ctx: Context, stop: threading.Event | None = None) -> None:
    """`hindsight scheduler`: run the jobs until SIGTERM or SIGINT (or `stop`), then let the
    running jobs finish and release the lease, so the next scheduler starts within a tick."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():  # only there can signals land
        for signum in STOP_SIGNALS:
            signal.signal(signum, lambda *_: stop.set())
    lease = Lease(ctx)
    log.info("scheduler %s starting", lease.owner)
    scheduler = build(ctx, BackgroundScheduler(timezone=UTC), lease)
    scheduler.start()
    try:
        while not stop.wait(1.0):
            pass
    finally:
        scheduler.shutdown(wait=True)
        lease.release()
        log.info("scheduler %s stopped and released the lease", lease.owner)


def start_embedded(ctx: Context) -> tuple[BackgroundScheduler, Lease]:
    """The scheduler inside the API process (`make run`)."""
    lease = Lease(ctx)
    scheduler = build(ctx, BackgroundScheduler(timezone=UTC), lease)
    assert isinstance(scheduler, BackgroundScheduler)
    scheduler.start()
    return scheduler, lease
