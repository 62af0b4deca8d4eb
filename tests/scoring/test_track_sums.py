"""The track record from the database's sums (issue 16) against numpy over the raw rows.

After verdicts, a supersession, a void, a withdrawal, an import with verdicts, a correction of
a scored probability and a retag, every figure of the track record must equal what numpy
computes from the predictions as stored, read with plain SQL in the test.
"""

import math
from collections import defaultdict
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

URL = "/api/v1/predictions"
TRACK = "/api/v1/authors/rae-lin/track-record"
OUTLETS = ["First Post", "Second Post"]
OUTCOMES = ("false", "true")


def log(client: TestClient, headers: dict, n: int, p: float, **fields: Any) -> int:
    outlet = OUTLETS[n % 2]
    body = {
        "author": {"name": "Rae Lin"},
        "source": {
            "url": f"https://e.example/{n}",
            "title": f"A {n}",
            "published_at": f"{2021 + n % 3}-0{1 + n % 5}-15T00:00:00Z",
            "outlet": {"name": outlet},
        },
        "quote": f"quote {n}",
        "claim": f"claim {n}",
        "resolve_by": "2025-06-30",
        "probability": p,
        "tags": [f"t{n % 3}", "all"],
        **fields,
    }
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def resolve(client: TestClient, headers: dict, pid: int, outcome: str, **extra: Any) -> int:
    body = {"outcome": outcome, "resolved_on": f"2025-0{7 + pid % 3}-01", **extra}
    response = client.post(f"{URL}/{pid}/resolution", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["resolution"]["id"])


IMPORTED = (
    "author,source_url,published_at,quote,claim,probability,resolve_by,tags,outcome,resolved_on\n"
    """Rae Lin,https://e.example/imp1,2022-02-01,qi1,ci1,0.35,2024-01-01,t1;imp,false,2024-01-02
Rae Lin,https://e.example/imp2,2022-03-01,qi2,ci2,0.85,2024-01-01,imp,true,2024-02-02
Rae Lin,https://e.example/imp3,2023-03-01,qi3,ci3,0.05,2024-01-01,t2,true,2024-02-03
"""
)


@pytest.fixture
def history(client: TestClient, editor_headers: dict, admin_headers: dict) -> None:
    probabilities = [0.9, 0.8, 0.3, 0.6, 0.95, 0.1, 0.55, 0.72, 0.0005, 1.0, 0.25, 0.5]
    ids = [log(client, editor_headers, n, p) for n, p in enumerate(probabilities)]
    for n, pid in enumerate(ids[:10]):
        resolve(client, editor_headers, pid, "true" if n % 3 else "false")
    first = client.get(f"{URL}/{ids[1]}").json()["resolutions"][0]["id"]
    resolve(client, editor_headers, ids[1], "true", supersedes=first)  # supersession
    voided = client.get(f"{URL}/{ids[2]}").json()["resolutions"][0]["id"]
    resolve(client, editor_headers, ids[2], "void", supersedes=voided)
    withdrawn = client.post(
        f"{URL}/{ids[3]}/withdraw", json={"reason": "misattributed"}, headers=admin_headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    corrected = client.patch(
        f"{URL}/{ids[4]}",
        json={"reason": "misread", "probability": 0.65, "tags": ["t9"]},
        headers=editor_headers,
    )
    assert corrected.status_code == 200, corrected.text
    imported = client.post(
        f"{URL}/import",
        content=IMPORTED.encode(),
        headers={**editor_headers, "Content-Type": "text/csv"},
    )
    assert imported.status_code in (200, 201), imported.text


def raw(engine: Engine) -> list[dict[str, Any]]:
    """The author's predictions as stored, with tags and outlet, by plain SQL."""
    query = text(
        "SELECT p.id, p.probability, p.probability_basis, p.status, p.outcome, p.made_at, "
        "p.resolved_on, o.slug FROM prediction p JOIN author a ON a.id = p.author_id "
        "JOIN source s ON s.id = p.source_id LEFT JOIN outlet o ON o.id = s.outlet_id "
        "WHERE a.slug = 'rae-lin'"
    )
    with engine.connect() as connection:
        rows = [dict(r._mapping) for r in connection.execute(query)]
        tags = defaultdict(list)
        for pid, tag in connection.execute(text("SELECT prediction_id, tag FROM prediction_tag")):
            tags[pid].append(tag)
    for row in rows:
        row["tags"] = tags[row["id"]]
        row["year"] = str(row["made_at"])[:4]
        row["month"] = str(row["resolved_on"])[:7] if row["resolved_on"] else None
    return rows


def expected(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The figures, with numpy, from the rows whose verdict is true or false."""
    scored = [r for r in rows if r["status"] == "resolved" and r["outcome"] in ("true", "false")]
    p = np.array([r["probability"] for r in scored])
    y = np.array([1.0 if r["outcome"] == "true" else 0.0 for r in scored])
    se = (p - y) ** 2
    q = np.clip(p, 0.001, 0.999)
    logs = y * np.log(q) + (1 - y) * np.log(1 - q)
    half = 1.959963984540054 * se.std(ddof=1) / math.sqrt(len(se))

    def brief(mask: list[bool]) -> dict[str, float]:
        m = np.array(mask)
        return {
            "n": int(m.sum()),
            "brier": se[m].mean(),
            "log_score": logs[m].mean(),
            "base_rate": y[m].mean(),
        }

    def by(key: Any) -> dict[str, dict[str, float]]:
        keys = sorted({k for r in scored for k in key(r)})
        return {k: brief([k in key(r) for r in scored]) for k in keys}

    return {
        "scored": len(scored),
        "brier": se.mean(),
        "log_score": logs.mean(),
        "spherical": np.mean((y * p + (1 - y) * (1 - p)) / np.hypot(p, 1 - p)),
        "base_rate": y.mean(),
        "sharpness": np.mean((p - 0.5) ** 2),
        "skill": {
            "vs_half": 1 - se.mean() / 0.25,
            "vs_base_rate": 1 - se.mean() / np.mean((y.mean() - y) ** 2),
        },
        "brier_ci": [max(0.0, se.mean() - half), se.mean() + half],
        "by_tag": by(lambda r: r["tags"]),
        "by_outlet": by(lambda r: [r["slug"]] if r["slug"] else []),
        "by_year": by(lambda r: [r["year"]]),
        "by_basis": by(lambda r: [r["probability_basis"]]),
        "calibration_n": np.histogram(p, bins=np.linspace(0, 1, 11))[0].tolist(),
        "running_last": {"n": len(scored), "brier": se.mean()},
        "counts": {
            status: sum(r["status"] == status for r in rows)
            for status in ("open", "due", "resolved", "void", "withdrawn")
        },
    }


def close(actual: Any, wanted: Any) -> None:
    if isinstance(wanted, dict):
        assert set(actual) == set(wanted), (actual, wanted)
        for key in wanted:
            close(actual[key], wanted[key])
    elif isinstance(wanted, list):
        assert len(actual) == len(wanted)
        for a, w in zip(actual, wanted, strict=True):
            close(a, w)
    else:
        assert actual == pytest.approx(wanted, rel=1e-9, abs=1e-12)


def test_the_track_record_equals_numpy_over_the_stored_rows(
    client: TestClient, engine: Engine, history: None
) -> None:
    record = client.get(TRACK).json()
    want = expected(raw(engine))
    assert want["scored"] >= 10  # the history left enough to score
    for key in (
        "scored",
        "brier",
        "log_score",
        "spherical",
        "base_rate",
        "sharpness",
        "skill",
        "brier_ci",
        "by_tag",
        "by_outlet",
        "by_year",
        "by_basis",
    ):
        close(record[key], want[key])
    close({k: record["counts"][k] for k in want["counts"]}, want["counts"])
    close([b["n"] for b in record["calibration"]], want["calibration_n"])
    last = record["running"][-1]
    close({"n": last["n"], "brier": last["brier"]}, want["running_last"])


def test_filtered_track_records_equal_numpy_over_the_matching_rows(
    client: TestClient, engine: Engine, history: None
) -> None:
    rows = raw(engine)
    basis = rows[0]["probability_basis"]
    cases = {
        "tag=t1": [r for r in rows if "t1" in r["tags"]],
        f"basis={basis}": [r for r in rows if r["probability_basis"] == basis],
        "since=2022-01-01&until=2022-12-31": [r for r in rows if r["year"] == "2022"],
    }
    for query, subset in cases.items():
        record = client.get(f"{TRACK}?{query}").json()
        want = expected(subset)
        assert want["scored"] >= 2, query
        for key in ("scored", "brier", "log_score", "by_tag", "by_outlet"):
            close(record[key], want[key])


def test_the_analytic_interval_agrees_with_a_numpy_bootstrap_above_200() -> None:
    from app.scoring import rules

    rng = np.random.default_rng(16)
    for n in (201, 500, 2000):
        p = rng.uniform(0, 1, n)
        y = (rng.uniform(0, 1, n) < p).astype(float)
        se = (p - y) ** 2
        # The percentile bootstrap (2,000 resamples), drawn with numpy, not the app's code.
        means = se[rng.integers(0, n, size=(2000, n))].mean(axis=1)
        low, high = np.percentile(means, [2.5, 97.5])
        moments = rules.Moments(n, float(se.sum()), float((se * se).sum()))
        interval = rules.brier_interval(moments)
        assert interval is not None
        assert abs(interval[0] - low) < 0.005
        assert abs(interval[1] - high) < 0.005


def test_two_writers_at_once_leave_the_stored_sums_equal_to_the_rows(
    client: TestClient, engine: Engine, editor_headers: dict
) -> None:
    from concurrent.futures import ThreadPoolExecutor
    from datetime import UTC, date, datetime
    from threading import Barrier

    from app.db import session_scope
    from app.models import Prediction
    from app.resolutions import service as resolutions
    from app.resolutions.schemas import ResolutionIn

    ids = [log(client, editor_headers, n, round(0.05 + n / 45, 3)) for n in range(40)]
    start = Barrier(2)

    def write(mine: list[int]) -> None:
        start.wait()
        for pid in mine:
            with session_scope(engine) as session:
                prediction = session.get(Prediction, pid)
                assert prediction is not None
                resolutions.resolve(
                    session=session,
                    prediction=prediction,
                    verdict=ResolutionIn.model_validate(
                        {"outcome": "true" if pid % 2 else "false"}
                    ),
                    user=None,
                    today=date(2026, 1, 1),
                    now=datetime(2026, 1, 1, tzinfo=UTC),
                )

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(write, [ids[0::2], ids[1::2]]))
    rows = [r for r in raw(engine) if r["status"] == "resolved"]
    se = np.array([(r["probability"] - (r["outcome"] == "true")) ** 2 for r in rows])
    with engine.connect() as connection:
        n, sum_se = connection.execute(
            text("SELECT SUM(n), SUM(sum_se) FROM author_score_bin")
        ).one()
    assert (n, sum_se) == (40, pytest.approx(se.sum()))
    close(client.get(TRACK).json()["brier"], se.mean())
