"""One source per article (issue 13): /extract reuses the source archived with the same text
or the same URL, so the duplicate-quote guard holds across re-extractions."""

import hashlib

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.models import Source
from tests.conftest import MovableClock, shared_path
from tests.live import Call, race, serving

URL = "https://paywalled.example/2025/03/ceasefire-gamble"


@pytest.fixture
def op_ed() -> str:
    return shared_path("examples", "seed-op-ed.txt").read_text(encoding="utf-8")


def extract(client: TestClient, headers: dict, **body: object) -> dict:
    response = client.post("/api/v1/extract", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def sources_in(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Source)).one())


def test_the_same_text_pasted_twice_is_one_source(
    client: TestClient, editor_headers: dict, engine: Engine, op_ed: str
) -> None:
    first = extract(client, editor_headers, text=op_ed, author="Andrew Latham")
    again = extract(client, editor_headers, text=op_ed)
    assert again["source"]["id"] == first["source"]["id"]
    assert [c["n"] for c in again["candidates"]] == [c["n"] for c in first["candidates"]]
    assert sources_in(engine) == 1


def test_a_paywalled_article_is_pasted_with_its_address_title_and_outlet(
    client: TestClient, editor_headers: dict, op_ed: str
) -> None:
    found = extract(
        client,
        editor_headers,
        text=op_ed,
        url=URL,
        title="Trump's ceasefire gamble",
        author="Andrew Latham",
        outlet="19FortyFive",
        published_at="2025-03-14T09:00:00Z",
    )
    source = found["source"]
    assert (source["url"], source["title"], source["outlet"]) == (
        URL,
        "Trump's ceasefire gamble",
        "19fortyfive",
    )
    assert source["published_at"].startswith("2025-03-14T09:00:00")
    assert source["text_sha256"] == hashlib.sha256(op_ed.encode()).hexdigest()
    by_url = client.post("/api/v1/extract", json={"url": URL}, headers=editor_headers)
    assert by_url.status_code == 200, by_url.text  # archived: not fetched again
    assert by_url.json()["source"]["id"] == source["id"]


def test_a_text_pasted_first_gains_the_address_given_later(
    client: TestClient, editor_headers: dict, engine: Engine, op_ed: str
) -> None:
    first = extract(client, editor_headers, text=op_ed)
    assert first["source"]["url"] is None
    again = extract(client, editor_headers, text=op_ed, url=URL, title="The gamble")
    assert again["source"]["id"] == first["source"]["id"]
    assert (again["source"]["url"], again["source"]["title"]) == (URL, "The gamble")
    assert sources_in(engine) == 1


def test_a_recorded_address_without_text_gets_the_pasted_text(
    client: TestClient, editor_headers: dict, op_ed: str
) -> None:
    made = client.post("/api/v1/sources", json={"url": URL}, headers=editor_headers)
    assert made.status_code == 201, made.text
    found = extract(client, editor_headers, text=op_ed, url=URL)
    assert found["source"]["id"] == made.json()["id"]
    assert found["source"]["text"] == op_ed
    assert found["candidates"]


def test_another_text_at_a_recorded_address_is_a_409_naming_the_source(
    client: TestClient, editor_headers: dict, op_ed: str
) -> None:
    first = extract(client, editor_headers, text=op_ed, url=URL)
    other = client.post(
        "/api/v1/extract",
        json={"text": op_ed + "\nA correction was appended.", "url": URL},
        headers=editor_headers,
    )
    assert other.status_code == 409
    assert other.json()["field"] == "text"
    assert f"source {first['source']['id']}" in other.json()["detail"]


@pytest.mark.parametrize("text", ["", "   ", "\n\t \n"])
def test_an_empty_or_blank_text_is_a_422_not_a_source(
    client: TestClient, editor_headers: dict, engine: Engine, text: str
) -> None:
    response = client.post("/api/v1/extract", json={"text": text}, headers=editor_headers)
    assert response.status_code == 422
    assert response.json()["field"] == "text"
    assert "empty" in response.json()["detail"]
    assert sources_in(engine) == 0


def test_accepting_the_same_quote_after_a_re_extraction_is_a_409_naming_the_prediction(
    client: TestClient, editor_headers: dict, op_ed: str
) -> None:
    first = extract(
        client, editor_headers, text=op_ed, author="Andrew Latham", published_at="2025-03-14"
    )
    ceasefire = next(c for c in first["candidates"] if "no ceasefire" in c["span"])
    path = f"/api/v1/sources/{first['source']['id']}/candidates/{ceasefire['n']}/accept"
    logged = client.post(path, json={"resolve_by": "by 2026"}, headers=editor_headers)
    assert logged.status_code == 201, logged.text

    again = extract(client, editor_headers, text=op_ed, author="Andrew Latham")
    same = next(c for c in again["candidates"] if c["n"] == ceasefire["n"])
    assert (same["status"], same["prediction_id"]) == ("accepted", logged.json()["id"])
    path = f"/api/v1/sources/{again['source']['id']}/candidates/{same['n']}/accept"
    twice = client.post(path, json={"resolve_by": "by 2026"}, headers=editor_headers)
    assert twice.status_code == 409
    assert f"prediction {logged.json()['id']}" in twice.json()["detail"]
    listed = client.get("/api/v1/predictions", headers=editor_headers).json()
    assert listed["total"] == 1


def test_two_pastes_at_once_make_one_source(
    engine: Engine, settings: Settings, clock: MovableClock, editor_headers: dict, op_ed: str
) -> None:
    body = {"text": op_ed, "author": "Andrew Latham", "outlet": "19FortyFive"}
    with serving(create_app(settings, clock=clock)) as base:
        answers = race(base, editor_headers, [Call("POST", "/api/v1/extract", json=body)] * 4)
    assert [r.status_code for r in answers] == [200] * 4, [r.text for r in answers]
    assert len({r.json()["source"]["id"] for r in answers}) == 1
    assert len({len(r.json()["candidates"]) for r in answers}) == 1
    assert sources_in(engine) == 1
