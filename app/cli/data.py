"""Predictions in and out: `hindsight import`, `hindsight export` and `hindsight demo`."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from app import demo as demo_data
from app.cli.report import import_forecastbench
from app.cli.support import run_import
from app.clock import clock_for, today
from app.config import get_settings
from app.db import make_engine, session_scope
from app.predictions import exports
from app.predictions.columns import Format


class DefaultToFile(TyperGroup):
    """`hindsight import FILE` means `hindsight import file FILE`; named kinds stay subcommands."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["file", *args]
        return super().resolve_command(ctx, args)


import_app = typer.Typer(
    cls=DefaultToFile, help="Import predictions: `hindsight import FILE`.", no_args_is_help=True
)
import_app.command("forecastbench")(import_forecastbench)


def _format_for(path: Path, given: Format | None) -> Format:
    if given is not None:
        return given
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        return Format.jsonl
    return Format.csv


@import_app.command("file")
def import_file(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="CSV or JSONL.")],
    format: Annotated[Format | None, typer.Option(help="Else from the suffix.")] = None,
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


def export(
    format: Annotated[Format, typer.Option(help="csv or jsonl.")] = Format.csv,
    output: Annotated[Path | None, typer.Option(help="A file; standard output if omitted.")] = None,
) -> None:
    """Export every prediction with its verdict (the import's columns, and more)."""
    engine = make_engine(get_settings())
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with engine.connect() as connection:
            for chunk in exports.render(exports.export_rows(connection), format):
                stream.write(chunk)
    finally:
        if output:
            stream.close()
        engine.dispose()


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
