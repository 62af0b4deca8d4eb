"""`hindsight scores`: check or rebuild the per-author score rows; refresh the stored track
records."""

import typer

from app.cli.support import fail
from app.config import get_settings
from app.db import make_engine, session_scope
from app.scoring import rows as score_rows
from app.scoring import stored as stored_records

scores_app = typer.Typer(help="The per-author score rows.", no_args_is_help=True)


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


@scores_app.command("refresh")
def scores_refresh() -> None:
    """Store every author's default track record at its current version (after an import:
    the first read of each is then one indexed query, not a render)."""
    engine = make_engine(get_settings())
    try:
        written = stored_records.refresh(engine)
    finally:
        engine.dispose()
    typer.echo(f"refreshed {written} stored track records")
