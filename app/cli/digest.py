"""`hindsight digest`: the weekly digest, sent by hand."""

from typing import Annotated

import typer

from app.cli.support import fail
from app.clock import clock_for
from app.config import get_settings
from app.db import make_engine
from app.errors import HindsightError
from app.notifications import digest
from app.notifications.email import smtp_configured

digest_app = typer.Typer(help="The weekly digest.", no_args_is_help=True)


@digest_app.command("send")
def digest_send(
    week: Annotated[str | None, typer.Option(help="ISO week, e.g. 2026-W48; this week.")] = None,
) -> None:
    """Send a week's digest now; recipients who already had that week's digest are skipped."""
    settings = get_settings()
    engine = make_engine(settings)
    try:
        run = digest.send_digests(
            engine=engine, settings=settings, now=clock_for(settings).now(), week=week
        )
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
    where = "" if smtp_configured(settings) else " (no SMTP configured: recorded, not mailed)"
    typer.echo(
        f"digest {run.week}: {run.sent} sent, {run.recorded} recorded, "
        f"{run.skipped} already sent, {run.failed} failed{where}"
    )
