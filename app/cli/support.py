"""Pieces shared by the command modules: failing clearly, roles, and running an import."""

from enum import StrEnum

import typer

from app.clock import clock_for, today
from app.config import get_settings
from app.db import make_engine, session_scope
from app.errors import HindsightError
from app.predictions import imports
from app.predictions.columns import Format


class RoleName(StrEnum):
    viewer = "viewer"
    editor = "editor"
    admin = "admin"


def fail(message: str) -> typer.Exit:
    """Print an error to stderr and give the exit to raise."""
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code=1)


def run_import(data: bytes, fmt: Format, *, dry_run: bool) -> imports.ImportReport:
    """Import in one transaction (all rows or none); row errors go to stderr, then exit 1."""
    settings = get_settings()
    engine = make_engine(settings)
    try:
        with session_scope(engine) as session:
            return imports.import_predictions(
                session=session,
                data=data,
                fmt=fmt,
                user_id=None,
                today=today(clock_for(settings)),
                dry_run=dry_run,
                max_rows=settings.max_import_rows,
            )
    except HindsightError as exc:
        for error in exc.extra.get("errors", [])[:20]:
            typer.echo(f"row {error['row']}: {error['field']}: {error['message']}", err=True)
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
