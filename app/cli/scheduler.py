"""`hindsight scheduler`: the fixed jobs, forever or one of them once."""

import logging
import signal
import sys
from typing import Annotated

import httpx
import typer

from app import scheduler as jobs
from app.cli.support import fail
from app.clock import clock_for
from app.config import get_settings
from app.db import make_engine
from app.main import HTTP_TIMEOUT


def scheduler(
    once: Annotated[
        str | None, typer.Option(help="Run this job now and exit: " + ", ".join(jobs.JOBS))
    ] = None,
) -> None:
    """Run the scheduler's fixed jobs (its own process in production; one holds the lease)."""
    if once is not None and once not in jobs.JOBS:
        raise fail(f"unknown job '{once}': the jobs are {', '.join(jobs.JOBS)}")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    settings = get_settings()
    with httpx.Client(timeout=HTTP_TIMEOUT, follow_redirects=False) as http:
        ctx = jobs.Context(make_engine(settings), settings, clock_for(settings), http)
        try:
            if once is not None:
                _run_once(ctx, once)
                return
            jobs.run_forever(ctx)
        finally:
            ctx.engine.dispose()


def _run_once(ctx: jobs.Context, job_id: str) -> None:
    lease = jobs.Lease(ctx)
    if not lease.acquire():
        raise fail("another scheduler holds the lease: it runs the jobs")
    for signum in jobs.STOP_SIGNALS:  # a stopped run still gives the lease back
        signal.signal(signum, lambda number, _frame: sys.exit(128 + number))
    try:
        jobs.run_job(ctx, job_id, lease)
    finally:
        lease.release()
