"""Import and export: all rows or none, with a per-row report; history with verdicts."""

import csv
import hashlib
import io
import json

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.models import Role
from tests.conftest import make_key, truncate_all
from tests.predictions.conftest import prediction_body

URL = "/api/v1/predictions"
HEADER = (
    "author,outlet,source_url,source_title,published_at,quote,claim,resolution_criteria,"
    "probability,hedge,made_at,resolve_by,tags,outcome,resolved_on,evidence_url,note\n"
)
GOOD = [
    "Ann Smith,Daily Planet,https://p.example/1,Rates,2025-01-10,rates will fall,The Fed cuts "
    "by June 2025.,,0.7,,,by June 2025,economy;fed,true,2025-06-18,https://e.example/fed,cut\n",
    "Ann Smith,Daily Planet,https://p.example/1,Rates,2025-01-10,stocks will probably rise,The "
    "S&P 500 ends 2025 higher.,,,probably,,by the end of 2025,markets,false,2025-12-31,,\n",
    "Bo Lee,,https://p.example/2,Chips,2025-02-01T12:00:00Z,a 2nm phone by 2026,A 2 nm phone "
    "ships by 2026.,,0.6,,,2026-12-31,tech,,,,\n",
]


def post_import(client: TestClient, headers: dict, body: str, **params: str):
    return client.post(
        f"{URL}/import",
        content=body.encode(),
        params=params,
        headers={**headers, "Content-Type": "text/csv"},
    )


def test_a_csv_with_verdicts_imports_whole(client: TestClient, editor_headers: dict) -> None:
    response = post_import(client, editor_headers, HEADER + "".join(GOOD))
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["predictions"], report["resolutions"]) == (3, 2)
    assert (report["authors_created"], report["outlets_created"], report["sources_created"]) == (
        2,
        1,
        2,
    )
    resolved = client.get(f"{URL}?status=resolved").json()
    assert resolved["total"] == 2
    fed = client.get(f"{URL}?tag=fed").json()["items"][0]
    assert (fed["outcome"], fed["resolved_on"], fed["resolve_by"]) == (
        "true",
        "2025-06-18",
        "2025-06-30",
    )
    probably = client.get(f"{URL}?q=stocks").json()["items"][0]
    assert (probably["probability_basis"], probably["outcome"]) == ("codebook", "false")


def test_one_bad_row_rejects_the_whole_file(client: TestClient, editor_headers: dict) -> None:
    bad = GOOD[2].replace(",0.6,", ",1.6,")
    worse = GOOD[0].replace("by June 2025", "march on").replace("rates will fall", "rates fall")
    response = post_import(client, editor_headers, HEADER + GOOD[0] + bad + worse)
    assert response.status_code == 422
    body = response.json()
    assert body["error_count"] == 2
    assert [(e["row"], e["field"]) for e in body["errors"]] == [
        (3, "probability"),
        (4, "resolve_by"),
    ]
    assert client.get(URL).json()["total"] == 0
    assert client.get("/api/v1/authors").json()["total"] == 0


def test_a_dry_run_writes_nothing(client: TestClient, editor_headers: dict) -> None:
    response = post_import(client, editor_headers, HEADER + "".join(GOOD), dry_run="true")
    assert response.json()["predictions"] == 3
    assert client.get(URL).json()["total"] == 0


def test_a_quote_already_logged_is_a_row_error(client: TestClient, editor_headers: dict) -> None:
    assert post_import(client, editor_headers, HEADER + GOOD[0]).status_code == 200
    again = post_import(client, editor_headers, HEADER + GOOD[0])
    assert again.status_code == 422
    assert "already logged" in again.json()["errors"][0]["message"]


def test_unknown_columns_are_named(client: TestClient, editor_headers: dict) -> None:
    response = post_import(client, editor_headers, "author,colour\nA,blue\n")
    assert response.status_code == 422
    assert "colour" in response.json()["detail"]


def test_the_format_must_be_known(client: TestClient, editor_headers: dict) -> None:
    response = client.post(
        f"{URL}/import", content=b"x", headers={**editor_headers, "Content-Type": "text/plain"}
    )
    assert response.status_code == 422
    assert response.json()["field"] == "format"


def test_export_round_trips_through_import(client: TestClient, editor_headers: dict) -> None:
    created = client.post(URL, json=prediction_body(), headers=editor_headers).json()
    client.post(
        f"{URL}/{created['id']}/resolution",
        json={"outcome": "true", "resolved_on": "2026-01-02"},
        headers=editor_headers,
    )
    post_import(client, editor_headers, HEADER + GOOD[2])
    exported = client.get(f"{URL}/export?format=csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert [r["author"] for r in rows] == ["Andrew Latham", "Bo Lee"]
    assert (rows[0]["outcome"], rows[0]["tags"]) == ("true", "ceasefire;ukraine")

    jsonl = client.get(f"{URL}/export?format=jsonl").text.splitlines()
    assert json.loads(jsonl[1])["tags"] == ["tech"]

    reimport = [{**r, "source_url": r["source_url"] + "?copy"} for r in rows]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(reimport)
    response = post_import(client, editor_headers, buffer.getvalue())
    assert response.status_code == 200, response.text
    assert response.json()["resolutions"] == 1


def csv_of(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def test_a_row_reports_every_error_at_once(client: TestClient, editor_headers: dict) -> None:
    wrong = GOOD[0].replace(",0.7,", ",1.6,").replace(",true,", ",maybe,")
    wrong = wrong.replace("by June 2025", "march on")
    response = post_import(client, editor_headers, HEADER + GOOD[2] + wrong)
    assert response.status_code == 422
    body = response.json()
    assert [(e["row"], e["field"]) for e in body["errors"]] == [
        (3, "probability"),
        (3, "outcome"),
        (3, "resolve_by"),
    ]
    assert body["error_count"] == 3
    assert body["detail"].startswith("1 of 2 rows have errors (3 in all)")


def test_a_required_column_that_fails_does_not_hide_the_others(
    client: TestClient, editor_headers: dict
) -> None:
    no_claim = GOOD[2].replace("A 2 nm phone ships by 2026.", "").replace(",0.6,", ",-1,")
    response = post_import(client, editor_headers, HEADER + no_claim)
    body = response.json()
    assert [(e["row"], e["field"]) for e in body["errors"]] == [(2, "claim"), (2, "probability")]
    assert body["errors"][0]["message"] == "this column is required"


def test_the_detail_counts_the_rows_of_the_file(client: TestClient, editor_headers: dict) -> None:
    rows = [
        GOOD[2].replace("a 2nm phone by 2026", f"quote {n}").replace("/2,", f"/{n},")
        for n in range(10)
    ]
    rows[3] = rows[3].replace(",0.6,", ",7,").replace(",2026-12-31,", ",someday,")
    rows[8] = rows[8].replace("Bo Lee", "")
    response = post_import(client, editor_headers, HEADER + "".join(rows))
    body = response.json()
    assert body["detail"].startswith("2 of 10 rows have errors (3 in all)")
    assert [e["row"] for e in body["errors"]] == [5, 5, 10]
    assert (body["error_count"], body["rows_with_errors"]) == (3, 2)


def test_a_conflict_with_a_stored_prediction_counts_its_row_once(
    client: TestClient, editor_headers: dict
) -> None:
    assert post_import(client, editor_headers, HEADER + GOOD[0]).status_code == 200
    again = post_import(client, editor_headers, HEADER + GOOD[0] + GOOD[2]).json()
    assert again["detail"].startswith("1 of 2 rows have errors (1 in all)")
    assert [(e["row"], e["field"]) for e in again["errors"]] == [(2, "quote")]


def test_an_export_with_a_source_known_only_by_its_text_imports_again_unedited(
    client: TestClient, engine: Engine, editor_headers: dict
) -> None:
    text = "Markets are calm. Analysts say rates will fall by June."
    body = prediction_body(source={"text": text}, quote="rates will fall", hedge="will")
    body["made_at"] = "2025-03-01T09:00:00Z"
    body["claim"] = "The Fed cuts rates by June 2026."
    created = client.post(URL, json=body, headers=editor_headers)
    assert created.status_code == 201, created.text
    first = client.get(f"{URL}/export?format=csv").text
    (row,) = csv.DictReader(io.StringIO(first))
    assert (row["source_url"], row["source_title"]) == ("", "")
    assert row["source_sha256"] == hashlib.sha256(text.encode()).hexdigest()

    same_db = post_import(client, editor_headers, first).json()
    assert "already logged as prediction" in same_db["errors"][0]["message"]

    truncate_all(engine)
    headers = {"Authorization": f"Bearer {make_key(engine, 'e@example.org', Role.editor)}"}
    response = post_import(client, headers, first)
    assert response.status_code == 200, response.text
    assert response.json()["sources_created"] == 1
    again = client.get(f"{URL}/export?format=csv").text
    assert again == first
