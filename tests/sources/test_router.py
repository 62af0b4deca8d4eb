"""Sources over the API."""

import hashlib

from fastapi.testclient import TestClient


def test_a_source_keeps_its_text_and_fingerprint(client: TestClient, editor_headers: dict) -> None:
    client.post(
        "/api/v1/outlets",
        json={"name": "Daily Planet", "domain": "planet.example"},
        headers=editor_headers,
    )
    text = "The summit will fail. Markets will shrug."
    response = client.post(
        "/api/v1/sources",
        json={
            "url": "https://www.planet.example/a",
            "title": "A",
            "text": text,
            "published_at": "2025-03-01T10:00:00+01:00",
        },
        headers=editor_headers,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["text_sha256"] == hashlib.sha256(text.encode()).hexdigest()
    assert body["outlet"] == "daily-planet"  # found by the URL's domain
    assert body["published_at"].startswith("2025-03-01T09:00:00")
    fetched = client.get(f"/api/v1/sources/{body['id']}").json()
    assert fetched["text"] == text
    listed = client.get("/api/v1/sources?outlet=daily-planet").json()
    assert listed["total"] == 1
    assert "text" not in listed["items"][0]


def test_the_same_url_returns_the_recorded_source(client: TestClient, editor_headers: dict) -> None:
    first = client.post(
        "/api/v1/sources", json={"url": "https://x.example/a"}, headers=editor_headers
    )
    second = client.post(
        "/api/v1/sources", json={"url": "https://x.example/a"}, headers=editor_headers
    )
    assert first.json()["id"] == second.json()["id"]


def test_bad_sources_are_422(client: TestClient, editor_headers: dict) -> None:
    for body, field in (
        ({"url": "ftp://x.example/a"}, "url"),
        ({"url": "https://x.example/a", "published_at": "2025-03-01T10:00:00"}, "published_at"),
        ({"outlet": 5}, "outlet"),
    ):
        response = client.post("/api/v1/sources", json=body, headers=editor_headers)
        assert response.status_code in (404, 422), body
        assert response.json()["field"] == field, response.json()
