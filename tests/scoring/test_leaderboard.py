"""One interval per author on every page, and a leaderboard that says why it is empty."""

import math
import statistics

import pytest
from fastapi.testclient import TestClient

from app.scoring import rules
from tests.scoring.test_track_record import CASES, log, resolve

Z = 1.959963984540054  # the 0.975 quantile of the standard normal


def log_resolved(client: TestClient, headers: dict, author: str, cases: list) -> None:
    for n, (p, outcome) in enumerate(cases):
        resolve(client, headers, log(client, headers, author, n, probability=p), outcome)


def board(client: TestClient, **params: int) -> dict:
    response = client.get("/api/v1/leaderboard", params=params)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_the_leaderboard_and_the_author_page_show_the_same_interval(
    client: TestClient, editor_headers: dict
) -> None:
    log_resolved(client, editor_headers, "Ann Smith", CASES)
    record = client.get("/api/v1/authors/ann-smith/track-record").json()
    (row,) = board(client, min_resolved=1)["items"]
    errors = [(p - (1.0 if outcome == "true" else 0.0)) ** 2 for p, outcome in CASES]
    half = Z * statistics.stdev(errors) / math.sqrt(len(errors))
    mean = statistics.fmean(errors)
    assert record["brier_ci"] == [row["brier_low"], row["brier_high"]]
    assert record["brier_ci"] == pytest.approx([max(0.0, mean - half), mean + half])


def test_an_empty_leaderboard_says_how_many_authors_it_hides(
    client: TestClient, editor_headers: dict
) -> None:
    log_resolved(client, editor_headers, "Ann Smith", CASES)
    log_resolved(client, editor_headers, "Bo Lee", CASES[:2])
    empty = board(client)
    assert (empty["items"], empty["min_resolved"], empty["hidden_below_min_resolved"]) == (
        [],
        10,
        2,
    )
    some = board(client, min_resolved=3)
    assert [r["author"] for r in some["items"]] == ["ann-smith"]
    assert some["hidden_below_min_resolved"] == 1


def test_a_board_with_no_verdicts_hides_nobody(client: TestClient) -> None:
    assert board(client)["hidden_below_min_resolved"] == 0


def test_one_prediction_has_no_spread_and_none_has_no_interval() -> None:
    assert rules.brier_interval(rules.Moments(1, 0.25, 0.0625)) == (0.25, 0.25)
    assert rules.brier_interval(rules.Moments(0, 0.0, 0.0)) is None
