"""Authors and outlets over the API."""

from fastapi.testclient import TestClient


def test_an_author_gets_a_slug_from_the_name(client: TestClient, editor_headers: dict) -> None:
    response = client.post(
        "/api/v1/authors",
        json={"name": "Zoë O’Brien", "links": ["https://example.org/zoe"]},
        headers=editor_headers,
    )
    assert response.status_code == 201, response.text
    assert response.json()["slug"] == "zoe-obrien"
    assert client.get("/api/v1/authors/zoe-obrien").json()["links"] == ["https://example.org/zoe"]


def test_a_taken_slug_is_a_conflict(client: TestClient, editor_headers: dict) -> None:
    client.post("/api/v1/authors", json={"name": "Ann Smith"}, headers=editor_headers)
    again = client.post("/api/v1/authors", json={"name": "Ann  Smith"}, headers=editor_headers)
    assert again.status_code == 409
    assert again.json()["slug"] == "ann-smith"


def test_patch_changes_only_what_is_sent(client: TestClient, editor_headers: dict) -> None:
    client.post(
        "/api/v1/authors", json={"name": "Ann Smith", "bio": "Columnist"}, headers=editor_headers
    )
    response = client.patch(
        "/api/v1/authors/ann-smith", json={"affiliations": ["Daily Planet"]}, headers=editor_headers
    )
    assert response.status_code == 200
    assert (response.json()["bio"], response.json()["affiliations"]) == (
        "Columnist",
        ["Daily Planet"],
    )


def test_authors_are_paginated_with_a_total(client: TestClient, editor_headers: dict) -> None:
    for name in ("Cy", "Ann", "Bo"):
        client.post("/api/v1/authors", json={"name": name}, headers=editor_headers)
    page = client.get("/api/v1/authors?limit=2&offset=1").json()
    assert (page["total"], [a["name"] for a in page["items"]]) == (3, ["Bo", "Cy"])
    assert client.get("/api/v1/authors?q=bo").json()["total"] == 1
    assert client.get("/api/v1/authors?limit=0").status_code == 422


def test_an_unknown_author_is_404_naming_the_fix(client: TestClient) -> None:
    response = client.get("/api/v1/authors/nobody")
    assert response.status_code == 404
    assert "POST /api/v1/authors" in response.json()["detail"]


def test_private_reads_need_a_key(engine, database_url: str, clock, viewer_headers: dict) -> None:
    from app.config import Settings
    from app.main import create_app

    app = create_app(Settings(database_url=database_url, public_reads=False), clock=clock)
    with TestClient(app) as private:
        assert private.get("/api/v1/authors").status_code == 401
        assert private.get("/api/v1/authors", headers=viewer_headers).status_code == 200


def test_outlets_work_like_authors(client: TestClient, editor_headers: dict) -> None:
    created = client.post(
        "/api/v1/outlets",
        json={"name": "Daily Planet", "domain": "DailyPlanet.example"},
        headers=editor_headers,
    )
    assert created.status_code == 201, created.text
    assert created.json()["domain"] == "dailyplanet.example"
    changed = client.patch(
        "/api/v1/outlets/daily-planet", json={"name": "The Daily Planet"}, headers=editor_headers
    )
    assert changed.json()["name"] == "The Daily Planet"
    assert client.get("/api/v1/outlets").json()["total"] == 1
    bad = client.post(
        "/api/v1/outlets", json={"name": "X", "domain": "not a domain"}, headers=editor_headers
    )
    assert bad.status_code == 422
    assert bad.json()["field"] == "domain"


def _create(client: TestClient, headers: dict, path: str, **body: str):
    return client.post(f"/api/v1/{path}", json=body, headers=headers)


def test_names_in_any_script_get_a_slug_of_their_own(
    client: TestClient, editor_headers: dict
) -> None:
    putin = _create(client, editor_headers, "authors", name="Владимир Путин")
    xi = _create(client, editor_headers, "authors", name="习近平")
    assert (putin.status_code, putin.json()["slug"]) == (201, "vladimir-putin")
    assert (xi.status_code, xi.json()["slug"]) == (201, "xi-jin-ping")


def test_a_different_name_with_a_taken_slug_gets_a_numbered_slug(
    client: TestClient, editor_headers: dict
) -> None:
    first = _create(client, editor_headers, "authors", name="José Pérez").json()
    second = _create(client, editor_headers, "authors", name="Jose Perez").json()
    third = _create(client, editor_headers, "authors", name="Jose  PEREZ")
    assert (first["slug"], second["slug"]) == ("jose-perez", "jose-perez-2")
    assert third.status_code == 409
    assert (third.json()["slug"], third.json()["id"]) == ("jose-perez-2", second["id"])
    assert "'jose-perez-2' exists already" in third.json()["detail"]


def test_the_same_name_again_is_a_409_naming_the_author(
    client: TestClient, editor_headers: dict
) -> None:
    first = _create(client, editor_headers, "authors", name="José Pérez").json()
    again = _create(client, editor_headers, "authors", name="José Pérez")
    assert again.status_code == 409
    assert (again.json()["id"], again.json()["field"]) == (first["id"], "slug")
    assert "name 'José Pérez'" in again.json()["detail"]


def test_names_made_only_of_symbols_get_numbered_slugs(
    client: TestClient, editor_headers: dict
) -> None:
    slugs = [_create(client, editor_headers, "authors", name=n).json()["slug"] for n in "?!"]
    outlet = _create(client, editor_headers, "outlets", name="***")
    assert slugs == ["author-1", "author-2"]
    assert (outlet.status_code, outlet.json()["slug"]) == (201, "outlet-1")


def test_an_explicit_slug_is_kept_and_409_when_taken(
    client: TestClient, editor_headers: dict
) -> None:
    kept = _create(client, editor_headers, "authors", name="Vladimir Putin", slug="putin")
    taken = _create(client, editor_headers, "authors", name="Someone Else", slug="putin")
    assert (kept.status_code, kept.json()["slug"]) == (201, "putin")
    assert taken.status_code == 409
    assert (taken.json()["slug"], taken.json()["id"]) == ("putin", kept.json()["id"])


def test_outlets_number_a_different_name_and_refuse_the_same(
    client: TestClient, editor_headers: dict
) -> None:
    first = _create(client, editor_headers, "outlets", name="Le Monde").json()
    other = _create(client, editor_headers, "outlets", name="Le Mondé").json()
    same = _create(client, editor_headers, "outlets", name="le monde")
    assert (first["slug"], other["slug"]) == ("le-monde", "le-monde-2")
    assert (same.status_code, same.json()["id"]) == (409, first["id"])


def test_an_inline_author_reuses_only_the_same_name(
    client: TestClient, editor_headers: dict
) -> None:
    from tests.predictions.conftest import prediction_body

    existing = _create(client, editor_headers, "authors", name="José Pérez").json()
    same = client.post(
        "/api/v1/predictions",
        json=prediction_body(author={"name": "josé pérez"}),
        headers=editor_headers,
    )
    other = client.post(
        "/api/v1/predictions",
        json=prediction_body(author={"name": "Jose Perez"}, quote="practically guaranteeing"),
        headers=editor_headers,
    )
    assert (same.status_code, other.status_code) == (201, 201), (same.text, other.text)
    assert (same.json()["author"], other.json()["author"]) == (existing["slug"], "jose-perez-2")
