"""Track records, the leaderboard and the score rows behind them, over the API."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sklearn.metrics import brier_score_loss, log_loss
from sqlalchemy import text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from app.cli import app as cli
from app.scoring import rows

URL = "/api/v1/predictions"
SOURCE = {"url": "https://e.example/a", "title": "A", "published_at": "2025-01-15T00:00:00Z"}


def log(client: TestClient, headers: dict, author: str, n: int, **fields: Any) -> int:
    body = {
        "author": {"name": author},
        "source": {**SOURCE, "url": f"https://e.example/{author}"},
        "quote": f"quote {n}",
        "claim": f"claim {n}",
        "resolve_by": "2025-06-30",
        **fields,
    }
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def resolve(client: TestClient, headers: dict, pid: int, outcome: str, **extra: Any) -> int:
    body = {"outcome": outcome, "resolved_on": "2025-07-01", **extra}
    response = client.post(f"{URL}/{pid}/resolution", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["resolution"]["id"])


CASES = [(0.9, "true"), (0.8, "false"), (0.3, "false"), (0.6, "true"), (0.95, "true")]


@pytest.fixture
def latham(client: TestClient, editor_headers: dict) -> list[int]:
    ids = []
    for n, (p, outcome) in enumerate(CASES):
        pid = log(client, editor_headers, "Ann Smith", n, probability=p, tags=["t"])
        resolve(client, editor_headers, pid, outcome)
        ids.append(pid)
    still_due = log(client, editor_headers, "Ann Smith", 99, hedge="likely", quote="likely")
    ids.append(still_due)
    return ids


def test_scores_equal_scikit_learns(client: TestClient, latham: list[int]) -> None:
    record = client.get("/api/v1/authors/ann-smith/track-record").json()
    y = [1 if outcome == "true" else 0 for _, outcome in CASES]
    p = [prob for prob, _ in CASES]
    # The expected values come from scikit-learn, an independent implementation.
    assert record["brier"] == pytest.approx(brier_score_loss(y, p))
    assert record["log_score"] == pytest.approx(-log_loss(y, p))
    assert record["counts"] == {
        "logged": 6,
        "open": 0,
        "due": 1,
        "snoozed": 0,
        "resolved": 5,
        "void": 0,
        "withdrawn": 0,
    }
    assert record["scored"] == 5
    assert sum(b["n"] for b in record["calibration"]) == 5
    assert record["by_basis"]["editor"]["n"] == 5
    assert record["by_tag"]["t"]["n"] == 5
    assert record["running"][-1] == {
        "month": "2025-07",
        "n": 5,
        "brier": pytest.approx(record["brier"]),
    }
    low, high = record["brier_ci"]
    assert low <= record["brier"] <= high


def test_void_and_withdrawn_are_not_scored(
    client: TestClient, latham: list[int], editor_headers: dict, admin_headers: dict
) -> None:
    first = client.get(f"{URL}/{latham[0]}").json()["resolutions"][0]["id"]
    resolve(client, editor_headers, latham[0], "void", supersedes=first)
    client.post(
        f"{URL}/{latham[1]}/withdraw", json={"reason": "misattributed"}, headers=admin_headers
    )
    record = client.get("/api/v1/authors/ann-smith/track-record").json()
    kept = CASES[2:]
    y = [1 if outcome == "true" else 0 for _, outcome in kept]
    assert record["scored"] == 3
    assert record["brier"] == pytest.approx(brier_score_loss(y, [p for p, _ in kept]))
    assert (record["counts"]["void"], record["counts"]["withdrawn"]) == (1, 1)


def test_score_rows_follow_every_change(
    client: TestClient, latham: list[int], editor_headers: dict, admin_headers: dict, engine: Engine
) -> None:
    first = client.get(f"{URL}/{latham[2]}").json()["resolutions"][0]["id"]
    resolve(client, editor_headers, latham[2], "true", supersedes=first)
    client.patch(
        f"{URL}/{latham[3]}", json={"probability": 0.2, "reason": "typo"}, headers=editor_headers
    )
    client.post(f"{URL}/{latham[4]}/withdraw", json={"reason": "dup"}, headers=admin_headers)
    resolve(client, editor_headers, latham[5], "false")
    with engine.connect() as connection:
        assert rows.mismatches(connection) == []
        kept = rows.stored(connection)
    assert sum(r["n"] for r in kept.values()) == 5


def test_verify_reports_a_broken_row(
    client: TestClient,
    latham: list[int],
    engine: Engine,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.config import get_settings

    monkeypatch.setenv("HINDSIGHT_DATABASE_URL", database_url)
    get_settings.cache_clear()
    runner = CliRunner()
    assert runner.invoke(cli, ["scores", "verify"]).exit_code == 0
    with engine.begin() as connection:
        connection.execute(text("UPDATE author_score_bin SET sum_se = sum_se + 0.5 WHERE bin = 9"))
    broken = runner.invoke(cli, ["scores", "verify"])
    assert broken.exit_code == 1
    assert "sum_se" in broken.output
    assert runner.invoke(cli, ["scores", "rebuild"]).exit_code == 0
    assert runner.invoke(cli, ["scores", "verify"]).exit_code == 0


def test_an_unchanged_record_answers_304_and_a_verdict_changes_it(
    client: TestClient, latham: list[int], editor_headers: dict
) -> None:
    path = "/api/v1/authors/ann-smith/track-record"
    etag = client.get(path).headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    resolve(client, editor_headers, latham[5], "true")
    fresh = client.get(path, headers={"If-None-Match": etag})
    assert fresh.status_code == 200
    assert fresh.json()["scored"] == 6


def test_filters_and_codebook_rescoring(
    client: TestClient, latham: list[int], editor_headers: dict
) -> None:
    resolve(client, editor_headers, latham[5], "true")
    base = "/api/v1/authors/ann-smith/track-record"
    assert client.get(f"{base}?basis=codebook").json()["scored"] == 1
    assert client.get(f"{base}?tag=t").json()["scored"] == 5
    assert client.get(f"{base}?since=2026-01-01").json()["scored"] == 0
    kent = client.get(f"{base}?codebook=kent-1964&basis=codebook").json()
    assert kent["rescoring"] == {"codebook": "kent-1964", "rescored": 1, "unmapped": 0}
    bad = client.get(f"{base}?codebook=nope")
    assert bad.status_code == 422
    assert bad.json()["field"] == "codebook"


def test_the_leaderboard_ranks_by_the_shrunk_score(
    client: TestClient, editor_headers: dict
) -> None:
    # A sharp forecaster with many calls, a lucky one with two, a poor one with many.
    for n in range(12):
        pid = log(client, editor_headers, "Steady Sage", n, probability=0.9)
        resolve(client, editor_headers, pid, "true" if n % 6 else "false")
        pid = log(client, editor_headers, "Poor Pundit", n, probability=0.8)
        resolve(client, editor_headers, pid, "false" if n % 3 else "true")
    for n in range(2):
        pid = log(client, editor_headers, "Lucky Lou", n, probability=0.99)
        resolve(client, editor_headers, pid, "true")
    board = client.get("/api/v1/leaderboard?min_resolved=1").json()
    order = [row["author"] for row in board["items"]]
    assert order[-1] == "poor-pundit"
    lucky = next(r for r in board["items"] if r["author"] == "lucky-lou")
    assert lucky["brier"] < lucky["shrunk_brier"]  # pulled up toward the population
    assert client.get("/api/v1/leaderboard?min_resolved=5").json()["total"] == 2
    tagged = client.get("/api/v1/leaderboard?min_resolved=1&since=2025-01-01").json()
    assert [r["brier"] for r in tagged["items"]] == pytest.approx(
        [r["brier"] for r in board["items"]]
    )
    etag = client.get("/api/v1/leaderboard").headers["etag"]
    assert client.get("/api/v1/leaderboard", headers={"If-None-Match": etag}).status_code == 304


def test_an_unknown_author_has_no_track_record(client: TestClient) -> None:
    assert client.get("/api/v1/authors/nobody/track-record").status_code == 404


def test_the_calibration_chart_is_an_svg(client: TestClient, latham: list[int]) -> None:
    import xml.etree.ElementTree as ET

    response = client.get("/api/v1/authors/ann-smith/calibration.svg")
    assert response.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(response.text)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    circles = root.iter("{http://www.w3.org/2000/svg}circle")
    points = [c for c in circles if c.get("class") == "point"]
    non_empty_bins = {int(p * 10) for p, _ in CASES}  # 0.3, 0.6, 0.8, 0.9, 0.95 → 4 bins
    assert len(points) == len(non_empty_bins)


def test_relative_brier_against_the_median_of_the_others(
    client: TestClient, editor_headers: dict
) -> None:
    # Three forecasters on the same two questions; Ann against the median of Bo and Cy.
    forecasts = {"Ann Smith": (0.9, 0.2), "Bo Lee": (0.6, 0.5), "Cy Dee": (0.8, 0.1)}
    outcomes = ("true", "false")
    for author, probabilities in forecasts.items():
        for n, (p, outcome) in enumerate(zip(probabilities, outcomes, strict=True)):
            pid = log(client, editor_headers, author, n, probability=p, question=f"q{n}")
            resolve(client, editor_headers, pid, outcome)
    relative = client.get("/api/v1/authors/ann-smith/track-record").json()["relative"]
    # Worked by hand: Ann (0.9-1)² and 0.2² → 0.025; crowd medians 0.7 and 0.3 → 0.09.
    assert relative["questions"] == 2
    assert relative["brier"] == pytest.approx(0.025)
    assert relative["crowd_brier"] == pytest.approx(0.09)
    assert relative["difference"] == pytest.approx(-0.065)
