"""The `hindsight` command."""

import json
import logging
import signal
import sys
from dataclasses import asdict
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
import uvicorn
from alembic import command
from alembic.config import Config
from typer.core import TyperGroup

from app import demo as demo_data
from app import reactions
from app import scheduler as jobs
from app.auth import service as auth
from app.cli_support import fail, run_import
from app.clock import clock_for, today
from app.config import get_settings
from app.db import make_engine, session_scope
from app.errors import HindsightError
from app.main import HTTP_TIMEOUT
from app.notifications import digest
from app.notifications.email import smtp_configured
from app.predictions import transfer
from app.scoring import rows as score_rows
from app.scoring.commands import import_forecastbench, report_app

reactions.install()  # every command's services announce their changes to scoring and webhooks
app = typer.Typer(help="Hindsight: keeps score of pundits' predictions.", no_args_is_help=True)
db_app = typer.Typer(help="The database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
users_app = typer.Typer(help="Users who sign in to the web pages.", no_args_is_help=True)
app.add_typer(users_app, name="users")
scores_app = typer.Typer(help="The per-author score rows.", no_args_is_help=True)
app.add_typer(scores_app, name="scores")

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


class RoleName(StrEnum):
    viewer = "viewer"
    editor = "editor"
    admin = "admin"


def alembic_config(database_url: str | None = None) -> Config:
    """Alembic's configuration, pointed at the shipped migrations and the configured database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    config.attributes["configure_logger"] = False
    return config


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations (to the newest by default)."""
    settings = get_settings()
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Revert migrations."""
    command.downgrade(alembic_config(), revision)


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision."""
    command.current(alembic_config())


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve the API (OpenAPI docs at /docs)."""
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=get_settings().log_level,
        proxy_headers=False,  # forwarded headers count only from HINDSIGHT_TRUSTED_PROXIES
    )


@keys_app.command("create")
def keys_create(
    email: Annotated[str, typer.Option(help="The key's user; created when missing.")],
    role: Annotated[
        RoleName | None,
        typer.Option(help="viewer, editor or admin; a new user's role (editor if left out)."),
    ] = None,
    set_role: Annotated[
        bool, typer.Option("--set-role", help="Change an existing user's role to --role.")
    ] = False,
    name: Annotated[str | None, typer.Option(help="A label for the key.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the key.")] = False,
) -> None:
    """Create an API key; it is printed once and cannot be shown again."""
    if set_role and role is None:
        raise fail("--set-role needs --role: give the role to set")
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            chosen = None if role is None else auth.parse_role(role)
            user = auth.key_holder(session=session, email=email, role=chosen, set_role=set_role)
            issued = auth.issue_key(session=session, user=user, name=name)
            key_id, held = issued.api_key.id, user.role
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
    if quiet:
        typer.echo(issued.secret)
        return
    typer.echo(f"API key {key_id} for {email.lower()} ({held}); it will not be shown again:")
    typer.echo(issued.secret)


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="The user's email; created when missing.")],
    role: Annotated[RoleName, typer.Option(help="viewer, editor or admin.")] = RoleName.editor,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user (or change their role), with a password read from standard input."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            user = auth.ensure_user(session=session, email=email, role=auth.parse_role(role))
            if password is not None:
                auth.set_password(session=session, user=user, password=password)
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
    with_password = " with a password" if password is not None else ""
    typer.echo(f"user {email.lower()} ({role.value}){with_password}")


@users_app.command("deactivate")
def users_deactivate(
    email: Annotated[str, typer.Argument(help="The user's email.")],
) -> None:
    """Take every credential away from a user: API keys, web sessions and the password."""
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            user = auth.get_user_by_email(session=session, email=email)
            if user is None:
                raise fail(f"no user with email '{email}'")
            done = auth.deactivate_user(session=session, user=user)
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
    password = "password removed" if done.had_password else "no password"
    typer.echo(
        f"user {email.lower()} deactivated: {done.keys_revoked} API keys revoked, "
        f"{done.sessions_ended} web sessions ended, {password}"
    )


@keys_app.command("revoke")
def keys_revoke(
    key: Annotated[str, typer.Argument(help="The key's id, prefix or secret.")],
) -> None:
    """Revoke an API key; it stops working at once."""
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            revoked = auth.revoke_key(session=session, key=key)
            typer.echo(f"revoked API key {revoked.id} ({revoked.prefix})")
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()


class DefaultToFile(TyperGroup):
    """`hindsight import FILE` means `hindsight import file FILE`; named kinds stay subcommands."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["file", *args]
        return super().resolve_command(ctx, args)


import_app = typer.Typer(
    cls=DefaultToFile, help="Import predictions: `hindsight import FILE`.", no_args_is_help=True
)
app.add_typer(import_app, name="import")
import_app.command("forecastbench")(import_forecastbench)
app.add_typer(report_app, name="report")


def _format_for(path: Path, given: transfer.Format | None) -> transfer.Format:
    if given is not None:
        return given
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return transfer.Format.jsonl
    return transfer.Format.csv


@import_app.command("file")
def import_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSONL.")],
    format: Annotated[transfer.Format | None, typer.Option(help="Else from the suffix.")] = None,
    dry_run: Annotated[bool, typer.Option(help="Validate only; write nothing.")] = False,
) -> None:
    """Import predictions from a CSV or JSONL file: all rows land or none."""
    report = run_import(path.read_bytes(), _format_for(path, format), dry_run=dry_run)
    verb = "would import" if dry_run else "imported"
    typer.echo(
        f"{verb} {report.predictions} predictions ({report.resolutions} with verdicts); "
        f"new: {report.authors_created} authors, {report.outlets_created} outlets, "
        f"{report.sources_created} sources"
    )


@app.command("export")
def export(
    format: Annotated[transfer.Format, typer.Option(help="csv or jsonl.")] = transfer.Format.csv,
    output: Annotated[Path | None, typer.Option(help="A file; standard output if omitted.")] = None,
) -> None:
    """Export every prediction with its verdict (the import's columns, and more)."""
    engine = make_engine(get_settings())
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with engine.connect() as connection:
            for chunk in transfer.render(transfer.export_rows(connection), format):
                stream.write(chunk)
    finally:
        if output:
            stream.close()
        engine.dispose()


@app.command("demo")
def demo() -> None:
    """Load a small demo data set: a few authors, outlets, articles and predictions."""
    settings = get_settings()
    engine = make_engine(settings)
    try:
        with session_scope(engine) as session:
            loaded = demo_data.load(session=session, today=today(clock_for(settings)))
    finally:
        engine.dispose()
    typer.echo(loaded)


@app.command("scheduler")
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


digest_app = typer.Typer(help="The weekly digest.", no_args_is_help=True)
app.add_typer(digest_app, name="digest")


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


@app.command("extract")
def extract_command(
    source: Annotated[str, typer.Argument(help="A text file, or an http(s) URL to fetch.")],
    published_at: Annotated[
        str | None,
        typer.Option(help="When it was published (YYYY-MM-DD); deadlines count from it."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print the candidate forecasts found in an article."""
    from app.extraction.extract import extract  # lazily: the extraction stack is slow to import

    text, published = _article(source, published_at)
    candidates = extract(text, published_at=published or today(clock_for(get_settings())))
    if as_json:
        rows = [
            {k: str(v) if isinstance(v, date) else v for k, v in asdict(c).items()}
            for c in candidates
        ]
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _print_candidates(candidates)


def _article(source: str, published_at: str | None) -> tuple[str, date | None]:
    from app.extraction.fetch import FetchError, fetch_page, make_client

    published = None
    if published_at:
        try:
            published = date.fromisoformat(published_at)
        except ValueError:
            raise fail(f"--published-at {published_at!r} is not a date: use YYYY-MM-DD") from None
    if source.startswith(("http://", "https://")):
        with make_client() as http:
            try:
                page = fetch_page(source, client=http)
            except FetchError as exc:
                raise fail(exc.reason) from None
        return page.text, published or (page.published_at.date() if page.published_at else None)
    path = Path(source)
    if not path.is_file():
        raise fail(f"no file {source!r}: give a text file or an http(s) URL")
    return path.read_text(encoding="utf-8"), published


def _print_candidates(candidates: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{len(candidates)} candidate forecasts", show_lines=True)
    for column in ("#", "claim", "p", "basis", "deadline", "attributed to", "quote"):
        table.add_column(column)
    for n, c in enumerate(candidates):
        deadline = f"{c.resolve_by} ({c.horizon_text})" if c.resolve_by else "none in the text"
        table.add_row(
            str(n),
            c.claim,
            f"{c.probability:.2f}",
            c.probability_basis,
            deadline,
            c.attributed_to or "",
            c.span,
        )
    Console().print(table)


@scores_app.command("verify")
def scores_verify() -> None:
    """Recompute every score row from the predictions and report any that differ."""
    engine = make_engine(get_settings())
    try:
        with engine.connect() as connection:
            problems = score_rows.mismatches(connection)
    finally:
        engine.dispose()
    for problem in problems[:100]:
        typer.echo(problem)
    if problems:
        raise fail(f"{len(problems)} score values differ: run `hindsight scores rebuild`")
    typer.echo("score rows match a recomputation: 0 mismatches")


@scores_app.command("rebuild")
def scores_rebuild() -> None:
    """Replace every score row by a recomputation from the predictions."""
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            written = score_rows.rebuild(session)
    finally:
        engine.dispose()
    typer.echo(f"rebuilt {written} score rows")


def main() -> None:
    """Entry point for `python -m app.cli`."""
    app(prog_name="hindsight")


if __name__ == "__main__":
    main()
