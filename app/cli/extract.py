"""`hindsight extract`: the candidate forecasts in one article, printed."""

import json
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli.support import fail
from app.clock import clock_for, today
from app.config import get_settings


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
