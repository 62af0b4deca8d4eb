"""FiveThirtyEight's published game forecasts, loaded through the generic CSV import, give
track records whose scores equal scikit-learn's on the same rows (an independent check)."""

import csv
import io

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, log_loss

from app.predictions.columns import COLUMNS
from tests.conftest import shared_path

DATA = ("data", "fivethirtyeight-checking-our-work")


def games(name: str) -> list[dict[str, str]]:
    """The file's decided games (ties, outcome 0.5, are not binary and are left out)."""
    with shared_path(*DATA, name).open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["prob1_outcome"] in ("0", "1")]


def as_import(sport: str, rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                "author": "FiveThirtyEight",
                "outlet": "FiveThirtyEight",
                "source_url": f"https://projects.fivethirtyeight.com/{sport}/{row['season']}/",
                "source_title": f"{sport} {row['season']} forecasts",
                "published_at": row["date"],
                "quote": f"{row['team1']} beat {row['team2']} on {row['date']}",
                "claim": f"{row['team1']} beats {row['team2']} on {row['date']}.",
                "probability": row["prob1"],
                "resolve_by": row["date"],
                "tags": sport,
                "outcome": "true" if row["prob1_outcome"] == "1" else "false",
                "resolved_on": row["date"],
            }
        )
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.parametrize(("name", "sport"), [("nba_games.csv", "nba"), ("nfl_games.csv", "nfl")])
def test_track_record_equals_scikit_learn(
    client: TestClient, editor_headers: dict, name: str, sport: str
) -> None:
    rows = games(name)
    response = client.post(
        "/api/v1/predictions/import",
        content=as_import(sport, rows).encode(),
        headers={**editor_headers, "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text[:500]
    record = client.get("/api/v1/authors/fivethirtyeight/track-record").json()

    y = np.array([int(r["prob1_outcome"]) for r in rows])
    p = np.array([float(r["prob1"]) for r in rows])
    assert record["scored"] == len(rows)
    assert record["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    clipped = np.clip(p, 0.001, 0.999)
    assert record["log_score"] == pytest.approx(-log_loss(y, clipped), abs=1e-12)

    observed, mean_p = calibration_curve(y, p, n_bins=10, strategy="uniform")
    bins = [b for b in record["calibration"] if b["n"]]
    assert [b["observed"] for b in bins] == pytest.approx(list(observed), abs=1e-12)
    assert [b["mean_p"] for b in bins] == pytest.approx(list(mean_p), abs=1e-12)
