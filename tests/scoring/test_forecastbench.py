"""ForecastBench: the superforecaster median's leaderboard row, the t quantile, the commands."""

import csv
import json
import math
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from sqlalchemy import text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from app.cli.report import import_forecastbench, report_app
from app.config import get_settings
from app.scoring import forecastbench
from tests.conftest import shared_path

runner = CliRunner()
PUBLISHED_MODEL = "Superforecaster median forecast"
# Leaderboard column (before its " (N=...)") → our key.
COLUMNS = {
    "Dataset Score": "dataset",
    "Market Score (resolved)": "market_resolved",
    "Market Score (unresolved)": "market_unresolved",
    "Market Score (overall)": "market_overall",
    "Overall Resolved Score": "overall_resolved",
    "Overall Score": "overall",
}


def cli() -> typer.Typer:
    """The commands wired as `hindsight import forecastbench` and `hindsight report ...`."""
    app = typer.Typer()
    import_app = typer.Typer()
    import_app.command("forecastbench")(import_forecastbench)
    app.add_typer(import_app, name="import")
    app.add_typer(report_app, name="report")
    return app


@pytest.fixture
def directory() -> Path:
    return shared_path("data", "forecastbench")


@pytest.fixture
def cli_env(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HINDSIGHT_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def published_row(directory: Path) -> tuple[dict[str, float], list[float], dict[str, int]]:
    """Scores, 95% interval and N of the superforecaster median in the published CSV."""
    path = directory / "leaderboards" / "csv" / "human_leaderboard_overall.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Model"] == PUBLISHED_MODEL)
    scores, sizes = {}, {}
    for column, value in row.items():
        name, _, n = column.partition(" (N=")
        if name in COLUMNS:
            scores[COLUMNS[name]] = float(value)
            sizes[COLUMNS[name]] = int(n.rstrip(")"))
    ci = [float(x) for x in row["Overall Score 95% CI"].strip("[]").split()]
    return scores, ci, sizes


def test_the_report_equals_the_published_superforecaster_row(directory: Path) -> None:
    result = runner.invoke(cli(), ["report", "forecastbench", str(directory), "--json"])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)
    scores, ci, _ = published_row(directory)

    assert set(ours) == {*scores, "overall_ci"}
    assert {k: round(ours[k], 3) for k in scores} == scores
    # The lower bound agrees to 3 decimals. The upper comes out 0.11849 (published 0.119):
    # the stored forecast file is the first version, before upstream's later "fixing floating
    # point errors" commits, whose blobs are missing (data README, Caveats); allow 0.001.
    assert round(ours["overall_ci"][0], 3) == ci[0]
    assert ours["overall_ci"][1] == pytest.approx(ci[1], abs=0.001)


def test_the_rows_scored_are_the_ones_the_leaderboard_counts(directory: Path) -> None:
    data = forecastbench.load(directory)
    rows = forecastbench.join(data, forecastbench.median_rows(data.forecasts))
    _, _, sizes = published_row(directory)

    assert {k: forecastbench.group_sizes(rows)[k] for k in sizes} == sizes
    assert not any(r.imputed for r in rows)


def test_the_report_without_json_is_a_table(directory: Path) -> None:
    result = runner.invoke(cli(), ["report", "forecastbench", str(directory)])
    assert result.exit_code == 0, result.output
    assert re.search(r"Dataset \(N=521\) +0\.122", result.stdout)
    assert re.search(r"Overall 95% CI +\[0\.078, 0\.118\]", result.stdout)


def test_a_missing_file_names_the_path_expected(tmp_path: Path) -> None:
    result = runner.invoke(cli(), ["report", "forecastbench", str(tmp_path), "--json"])
    assert result.exit_code == 1
    assert "datasets/question_sets/2024-07-21-human.json not found" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("df", [1, 2, 3, 7, 30, 75, 500, 1e6])
@pytest.mark.parametrize("q", [0.0001, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999])
def test_the_t_quantile_matches_scipy(df: float, q: float) -> None:
    # scipy is only a test-time cross-check (a dependency of scikit-learn/statsmodels);
    # the service computes the quantile with the standard library. Agreement is ~1e-14
    # up to df = 1000; at df = 1e6 lgamma's cancellation leaves ~1e-10, hence rel=1e-9.
    stats = pytest.importorskip("scipy.stats")
    ours = forecastbench.t_quantile(q, df)
    assert ours == pytest.approx(stats.t.ppf(q, df), rel=1e-9, abs=1e-14)


@pytest.mark.parametrize("q", [0.01, 0.2, 0.75, 0.975, 0.9999])
def test_the_t_quantile_has_the_closed_forms_for_one_and_two_degrees_of_freedom(q: float) -> None:
    # df = 1 is the Cauchy distribution; df = 2 has t = (2q - 1) / sqrt(2q(1 - q)).
    assert forecastbench.t_quantile(q, 1) == pytest.approx(math.tan(math.pi * (q - 0.5)))
    assert forecastbench.t_quantile(q, 2) == pytest.approx((2 * q - 1) / math.sqrt(2 * q * (1 - q)))


def write_set(
    directory: Path, questions: list[dict], resolutions: list[dict], forecasts: list[dict]
) -> None:
    """A tiny data set in ForecastBench's layout."""
    documents = {"questions": questions, "resolutions": resolutions, "forecasts": forecasts}
    for path, key in zip(forecastbench.relative_paths(), documents, strict=True):
        (directory / path).parent.mkdir(parents=True, exist_ok=True)
        (directory / path).write_text(json.dumps({key: documents[key]}))


def test_combination_odd_and_unjoined_forecasts_are_skipped(tmp_path: Path) -> None:
    question = {"id": "q1", "source": "fred", "question": "Up by {resolution_date}?"}
    market = {
        "id": "m1",
        "source": "infer",
        "question": "Will it?",
        "market_info_close_datetime": "2026-01-01T05:00:00+00:00",
    }
    resolution = {
        "id": "q1",
        "source": "fred",
        "resolution_date": "2024-08-20",
        "resolved_to": 1.0,
        "resolved": True,
    }
    combination = {**resolution, "id": ["q1", "q2"], "direction": [1, -1]}
    base = {
        "id": "q1",
        "source": "fred",
        "resolution_date": "2024-08-20",
        "direction": None,
        "user_id": "u1",
    }
    forecasts = [
        {**base, "forecast": 0.8},
        {**base, "forecast": 0.2, "resolution_date": "2029-07-20"},
        {**base, "forecast": 0.9, "id": ["q1", "q2"], "direction": [1, -1]},
        {**base, "forecast": 1.5, "user_id": "u2"},
        {**base, "forecast": 0.4, "id": "elsewhere"},
        {**base, "forecast": 0.6, "id": "m1", "source": "infer", "resolution_date": None},
    ]
    write_set(tmp_path, [question, market], [resolution, combination], forecasts)

    data = forecastbench.load(tmp_path)
    rows = forecastbench.import_rows(data)

    assert data.total_forecasts - len(rows) == 3
    resolved, open_, unresolved_market = rows
    assert resolved["claim"] == "Up by 2024-08-20?"
    assert resolved["quote"] == "Up by {resolution_date}? (resolves 2024-08-20)"
    assert (resolved["outcome"], resolved["resolved_on"]) == ("true", "2024-08-20")
    assert resolved["question"] == "forecastbench:fred:q1:2024-08-20"
    assert "outcome" not in open_
    assert open_["resolve_by"] == "2029-07-20"
    assert unresolved_market["resolve_by"] == "2026-01-01"
    assert "outcome" not in unresolved_market


def count(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def resolved_keys(directory: Path) -> dict[str, str]:
    """Crowd key → outcome of each single question resolved to 0 or 1, read from the raw file."""
    path = directory / forecastbench.relative_paths()[1]
    keys = {}
    for r in json.loads(path.read_text())["resolutions"]:
        if isinstance(r["id"], str) and r["resolved"] and r["resolved_to"] in (0, 1):
            key = f"forecastbench:{r['source']}:{r['id']}:{r['resolution_date']}"
            keys[key] = "true" if r["resolved_to"] == 1 else "false"
    return keys


def test_the_import_loads_every_superforecaster_with_verdicts_on_resolved_rows(
    directory: Path, cli_env: None, engine: Engine
) -> None:
    result = runner.invoke(cli(), ["import", "forecastbench", str(directory)])
    assert result.exit_code == 0, result.output
    assert "imported 7693 predictions by 40 forecasters" in result.stdout

    # The data README: 7,693 individual forecasts by 40 users, all on the human question set.
    assert count(engine, "SELECT COUNT(*) FROM author WHERE name LIKE 'Superforecaster %'") == 40
    assert count(engine, "SELECT COUNT(*) FROM source") == 40
    assert count(engine, "SELECT COUNT(*) FROM prediction") == 7693
    with engine.connect() as connection:
        verdicts = connection.execute(
            text(
                "SELECT p.question, r.outcome FROM resolution r"
                " JOIN prediction p ON p.id = r.prediction_id"
            )
        ).all()
        unresolved = (
            connection.execute(
                text(
                    "SELECT p.question FROM prediction p"
                    " LEFT JOIN resolution r ON r.prediction_id = p.id WHERE r.id IS NULL"
                )
            )
            .scalars()
            .all()
        )
        fewest = connection.execute(
            text(
                "SELECT MIN(n) FROM (SELECT COUNT(DISTINCT author_id) AS n"
                " FROM prediction GROUP BY question) AS crowds"
            )
        ).scalar_one()
    expected = resolved_keys(directory)
    assert verdicts
    assert all(expected.get(key) == outcome for key, outcome in verdicts)
    assert not set(unresolved) & set(expected)
    assert fewest >= 3  # every question key is shared by several forecasters


def test_a_dry_run_writes_nothing(directory: Path, cli_env: None, engine: Engine) -> None:
    result = runner.invoke(cli(), ["import", "forecastbench", str(directory), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "would import 7693 predictions by 40 forecasters" in result.stdout
    assert "skipped 0 forecasts" in result.stdout
    assert count(engine, "SELECT COUNT(*) FROM prediction") == 0


def test_importing_twice_fails_and_doubles_nothing(
    directory: Path, cli_env: None, engine: Engine
) -> None:
    assert runner.invoke(cli(), ["import", "forecastbench", str(directory)]).exit_code == 0

    again = runner.invoke(cli(), ["import", "forecastbench", str(directory)])

    assert again.exit_code == 1
    assert "already logged as prediction" in again.stderr
    assert "nothing was imported" in again.stderr
    assert count(engine, "SELECT COUNT(*) FROM prediction") == 7693
    assert count(engine, "SELECT COUNT(*) FROM author") == 40
