"""From the example op-ed to predictions over the API: extract, accept with edits, reject."""

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text as text_sql
from sqlalchemy.engine import Engine

from tests.conftest import shared_path


@pytest.fixture
def op_ed() -> str:
    return shared_path("examples", "seed-op-ed.txt").read_text(encoding="utf-8")


def extract(client: TestClient, headers: dict, text: str) -> dict:
    body = {
        "text": text,
        "author": "Andrew Latham",
        "outlet": "19FortyFive",
        "published_at": "2025-03-14",
    }
    response = client.post("/api/v1/extract", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def find(candidates: list[dict], words: str) -> dict:
    return next(c for c in candidates if words in c["sentence"])


def test_the_op_ed_becomes_candidates_and_predictions(
    client: TestClient, editor_headers: dict, op_ed: str
) -> None:
    found = extract(client, editor_headers, op_ed)
    source, candidates = found["source"], found["candidates"]
    assert source["text_sha256"] == hashlib.sha256(op_ed.encode()).hexdigest()
    for c in candidates:
        assert op_ed[c["start"] : c["end"]] == c["sentence"]
        assert c["resolve_by"] is None  # the op-ed names no deadline, and none is invented
    ceasefire = find(candidates, "no ceasefire will materialize")
    assert ceasefire["probability"] > 0.9
    kursk = find(candidates, "consolidate its gains")

    accepted = client.post(
        f"/api/v1/sources/{source['id']}/candidates/{ceasefire['n']}/accept",
        json={"resolve_by": "by the end of 2025", "tags": ["ukraine"]},
        headers=editor_headers,
    )
    assert accepted.status_code == 201, accepted.text
    prediction = accepted.json()
    assert (prediction["author"], prediction["outlet"]) == ("andrew-latham", "19fortyfive")
    assert prediction["quote"] == ceasefire["span"]
    assert (prediction["resolve_by"], prediction["probability"]) == (
        "2025-12-31",
        ceasefire["probability"],
    )

    no_deadline = client.post(
        f"/api/v1/sources/{source['id']}/candidates/{kursk['n']}/accept",
        json={},
        headers=editor_headers,
    )
    assert no_deadline.status_code == 422
    assert no_deadline.json()["field"] == "resolve_by"
    edited = client.post(
        f"/api/v1/sources/{source['id']}/candidates/{kursk['n']}/accept",
        json={
            "resolve_by": "within six months",
            "probability": 0.7,
            "claim": "Russia retakes Kursk.",
        },
        headers=editor_headers,
    )
    assert edited.status_code == 201, edited.text
    assert (edited.json()["probability_basis"], edited.json()["resolve_by"]) == (
        "editor",
        "2025-09-14",
    )

    again = client.post(
        f"/api/v1/sources/{source['id']}/candidates/{kursk['n']}/accept",
        json={"resolve_by": "2026-01-01"},
        headers=editor_headers,
    )
    assert again.status_code == 409


def test_a_rejection_is_kept_with_its_reason(
    client: TestClient, editor_headers: dict, op_ed: str
) -> None:
    found = extract(client, editor_headers, op_ed)
    first = found["candidates"][0]
    path = f"/api/v1/sources/{found['source']['id']}/candidates/{first['n']}/reject"
    rejected = client.post(
        path, json={"reason": "analysis, not a forecast"}, headers=editor_headers
    )
    assert rejected.json()["status"] == "rejected"
    listed = client.get(f"/api/v1/sources/{found['source']['id']}/candidates").json()
    assert listed[0]["status"] == "rejected"


def test_text_or_url_at_least(client: TestClient, editor_headers: dict) -> None:
    response = client.post("/api/v1/extract", json={}, headers=editor_headers)
    assert response.status_code == 422
    assert "`text`" in response.json()["detail"]


def test_a_private_url_is_refused(client: TestClient, editor_headers: dict) -> None:
    response = client.post(
        "/api/v1/extract", json={"url": "http://127.0.0.1/admin"}, headers=editor_headers
    )
    assert response.status_code == 422
    assert response.json()["field"] == "url"
    assert "loopback" in response.json()["detail"]


def test_the_cli_prints_candidates_as_json(op_ed: str, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from app.cli import app

    article = tmp_path / "op-ed.txt"
    article.write_text(op_ed, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["extract", str(article), "--published-at", "2025-03-14", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert any("no ceasefire will materialize" in r["span"] for r in rows)
    assert all(r["resolve_by"] is None for r in rows)


def test_listing_a_sources_candidates_writes_nothing(
    client: TestClient, editor_headers: dict, engine: Engine
) -> None:
    text = "The euro will weaken within a year. Rates will fall by June."
    source = client.post(
        "/api/v1/sources",
        json={"url": "https://www.example.com/euro", "title": "Euro", "text": text},
        headers=editor_headers,
    ).json()
    first = client.get(f"/api/v1/sources/{source['id']}/candidates").json()
    again = client.get(f"/api/v1/sources/{source['id']}/candidates").json()
    assert [c["n"] for c in first] == [c["n"] for c in again] == [0, 1]
    assert {c["status"] for c in first} == {"proposed"}
    with engine.connect() as connection:
        stored = connection.execute(text_sql("SELECT count(*) FROM extraction_candidate"))
        assert stored.scalar() == 0
