"""ForecastBench on the command line: `hindsight report forecastbench DIR` and the
`hindsight import forecastbench DIR` command that `app.cli.data` mounts."""

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from app.cli.support import fail, run_import
from app.predictions.columns import Format
from app.predictions.imports import ImportReport
from app.scoring import forecastbench

report_app = typer.Typer(help="Reports computed from published data sets.", no_args_is_help=True)

Directory = Annotated[
    Path,
    typer.Argument(file_okay=False, help="ForecastBench's datasets checkout (holds datasets/...)."),
]
LABELS = {
    "dataset": "Dataset",
    "market_resolved": "Market (resolved)",
    "market_unresolved": "Market (unresolved)",
    "market_overall": "Market (overall)",
    "overall_resolved": "Overall resolved",
    "overall": "Overall",
}


def _load(directory: Path) -> forecastbench.ForecastBench:
    """The three ForecastBench files, or exit 1 naming what is missing."""
    try:
        return forecastbench.load(directory)
    except forecastbench.ForecastBenchError as exc:
        raise fail(str(exc)) from None


def _import(rows: list[dict[str, Any]], *, dry_run: bool) -> ImportReport:
    """Import the rows as one JSONL file in one transaction: all of them or none."""
    data = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows).encode()
    return run_import(data, Format.jsonl, dry_run=dry_run)


def import_forecastbench(
    directory: Directory,
    dry_run: Annotated[bool, typer.Option(help="Validate only; write nothing.")] = False,
) -> None:
    """Import ForecastBench's superforecaster forecasts (2024-07-21) with their verdicts."""
    data = _load(directory)
    rows = forecastbench.import_rows(data)
    report = _import(rows, dry_run=dry_run)
    verb = "would import" if dry_run else "imported"
    typer.echo(
        f"{verb} {report.predictions} predictions by {len({r['author'] for r in rows})} "
        f"forecasters ({report.resolutions} with verdicts); "
        f"skipped {data.total_forecasts - len(rows)} forecasts"
    )


@report_app.command("forecastbench")
def report_forecastbench(
    directory: Directory,
    as_json: Annotated[bool, typer.Option("--json", help="Print the row as JSON.")] = False,
) -> None:
    """The superforecaster median's row of ForecastBench's human leaderboard (Brier scores)."""
    data = _load(directory)
    rows = forecastbench.join(data, forecastbench.median_rows(data.forecasts))
    try:
        row = forecastbench.leaderboard_row(rows)
    except forecastbench.ForecastBenchError as exc:
        raise fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(row))
        return
    _print_table(row, forecastbench.group_sizes(rows), data)


def _print_table(
    row: forecastbench.Row, sizes: dict[str, int], data: forecastbench.ForecastBench
) -> None:
    """The row as a small table: Brier scores, lower is better."""
    typer.echo(f"ForecastBench {data.due}, superforecaster median (Brier, lower is better)")
    for key, label in LABELS.items():
        typer.echo(f"  {label + f' (N={sizes[key]})':<28} {row[key]:.3f}")
    ci = row["overall_ci"]
    assert isinstance(ci, list)
    typer.echo(f"  {'Overall 95% CI':<28} [{ci[0]:.3f}, {ci[1]:.3f}]")
