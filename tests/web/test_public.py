"""The public pages: authors and their track records, the leaderboard, outlets and the embed."""

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from app.models import Role
from tests.conftest import MovableClock
from tests.predictions.conftest import SOURCE, prediction_body
from tests.web.conftest import make_user, sign_in

URL = "/api/v1/predictions"


def log(
    client: TestClient,
    headers: dict[str, str],
    *,
    quote: str,
    p: float,
    author: str = "Ada Pundit",
    **overrides: Any,
) -> int:
    """Log a forecast whose deadline (30 Jun 2026) has passed by the test clock."""
    body = prediction_body(
        author={"name": author},
        quote=quote,
        claim=f"Claim: {quote}.",
        hedge=None,
        probability=p,
        resolve_by="2026-06-30",
        **{"probability_basis": "editor", "reason": "the test's reading"} | overrides,
    )
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def resolve(client: TestClient, headers: dict[str, str], pid: int, outcome: str) -> None:
    verdict = {"outcome": outcome, "resolved_on": "2026-11-20"}
    response = client.post(f"{URL}/{pid}/resolution", json=verdict, headers=headers)
    assert response.status_code == 201, response.text


def table_rows(html: str) -> list[str]:
    """The claims in the predictions table, in order."""
    return re.findall(r'<a href="/predictions/\d+">([^<]+)</a>', html)


def test_anonymous_visitors_read_the_public_pages_when_public_reads_are_on(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = log(client, editor_headers, quote="the treaty will be signed", p=0.8)
    resolve(client, editor_headers, pid, "true")
    pages = {
        "/authors": "Ada Pundit",
        "/authors?q=ada": "/authors/ada-pundit",
        "/authors/ada-pundit": "Claim: the treaty will be signed.",
        "/leaderboard?min_resolved=1": 'href="/authors/ada-pundit"',
        "/outlets": 'href="/outlets/example-review"',
        "/outlets/example-review": "Claim: the treaty will be signed.",
    }
    for path, expected in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert expected in response.text, path
        assert response.text.count("<h1") == 1, path
    assert "No author's name matches" in client.get("/authors?q=nobody").text


@pytest.fixture
def private_client(engine: Engine, database_url: str, clock: MovableClock) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, public_reads=False)
    with TestClient(create_app(settings, clock=clock)) as test_client:
        yield test_client


def test_without_public_reads_visitors_sign_in_and_viewers_read(
    engine: Engine, private_client: TestClient, editor_headers: dict[str, str]
) -> None:
    log(private_client, editor_headers, quote="the treaty will be signed", p=0.8)
    paths = [
        "/authors",
        "/authors/ada-pundit",
        "/leaderboard",
        "/outlets",
        "/embed/authors/ada-pundit",
    ]
    for path in paths:
        response = private_client.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/sign-in?next=")
    make_user(engine, "viewer-web@example.org", Role.viewer)
    sign_in(private_client, "viewer-web@example.org")
    for path in paths:
        assert private_client.get(path).status_code == 200, path
    assert "Claim: the treaty will be signed." in private_client.get("/authors/ada-pundit").text


def test_the_author_page_shows_verdicts_and_the_brier_score(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    right = log(client, editor_headers, quote="the treaty will be signed", p=0.8)
    wrong = log(client, editor_headers, quote="the minister will resign", p=0.4)
    log(client, editor_headers, quote="rates will rise", p=0.6)
    resolve(client, editor_headers, right, "true")
    resolve(client, editor_headers, wrong, "false")
    expected = ((1 - 0.8) ** 2 + (0 - 0.4) ** 2) / 2

    page = client.get("/authors/ada-pundit").text

    assert f"Brier score {expected:.3f}" in page
    assert '<span class="badge true">True</span>' in page
    assert '<span class="badge false">False</span>' in page
    assert '<span class="badge due">Due</span>' in page
    assert "20 Nov 2026" in page
    assert 'src="/api/v1/authors/ada-pundit/calibration.svg"' in page
    assert '<svg class="running"' in page
    assert 'id="embed-snippet"' in page
    # The snippet points at the public address (HINDSIGHT_BASE_URL; unset, outside `serve`,
    # the default one), not the one used to ask.
    assert "http://127.0.0.1:8000/embed/authors/ada-pundit" in page


def test_filters_narrow_the_predictions_and_the_scores(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    fed = log(client, editor_headers, quote="rates will fall", p=0.4, tags=["fed"])
    war = log(client, editor_headers, quote="the war will end", p=0.8, tags=["ukraine"])
    log(
        client,
        editor_headers,
        quote="a 70% chance of a recession",
        p=0.7,
        probability_basis="stated",
        tags=["economy"],
        source={**SOURCE, "url": "https://example.org/later", "published_at": "2026-02-01T00:00Z"},
    )
    resolve(client, editor_headers, fed, "false")
    resolve(client, editor_headers, war, "true")
    everything = table_rows(client.get("/authors/ada-pundit").text)
    assert len(everything) == 3

    cases = {
        "tag=FED": ["Claim: rates will fall."],
        "status=due": ["Claim: a 70% chance of a recession."],
        "basis=stated": ["Claim: a 70% chance of a recession."],
        "since=2026-01-01": ["Claim: a 70% chance of a recession."],
        "until=2025-12-31&status=resolved": ["Claim: the war will end.", "Claim: rates will fall."],
    }
    for query, claims in cases.items():
        assert table_rows(client.get(f"/authors/ada-pundit?{query}").text) == claims, query

    fed_only = client.get("/authors/ada-pundit?tag=fed").text
    assert f"Brier score {(0 - 0.4) ** 2:.3f}" in fed_only
    assert "calibration.svg?tag=fed" in fed_only


def test_a_bad_filter_is_explained_next_to_its_field(
    client: TestClient, editor_headers: dict
) -> None:
    log(client, editor_headers, quote="the treaty will be signed", p=0.8)
    response = client.get("/authors/ada-pundit?since=last+week&tag=fed")
    assert response.status_code == 400
    assert "give a date as YYYY-MM-DD" in response.text
    assert 'value="last week"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_an_unknown_author_is_a_404_page(client: TestClient) -> None:
    response = client.get("/authors/nobody", headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "no author is called &#39;nobody&#39;" in response.text
    assert client.get("/embed/authors/nobody").status_code == 404
    assert client.get("/outlets/nowhere").status_code == 404


def test_the_embed_card_can_be_framed_anywhere_and_links_to_the_full_page(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = log(client, editor_headers, quote="the treaty will be signed", p=0.8)
    resolve(client, editor_headers, pid, "true")

    response = client.get("/embed/authors/ada-pundit")

    assert response.status_code == 200
    assert response.headers["content-security-policy"].endswith("; frame-ancestors *")
    assert "x-frame-options" not in response.headers
    assert "<nav" not in response.text
    link = '<a href="/authors/ada-pundit" target="_blank" rel="noopener">'
    assert f"{link}Full track record on Hindsight</a>" in response.text
    assert f"{(1 - 0.8) ** 2:.3f}" in response.text
    assert "very good" in response.text
    page = client.get("/authors/ada-pundit").headers
    assert page["content-security-policy"].endswith("frame-ancestors 'none'")
    assert page["x-frame-options"] == "DENY"


def test_the_leaderboard_ranks_as_the_service_does_and_honours_min_resolved(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    for name, calls in {
        "Ada Pundit": [(0.9, "true"), (0.8, "true")],
        "Bo Guesser": [(0.9, "false")],
        "Cy Hedger": [(0.6, "true"), (0.5, "false")],
    }.items():
        for i, (p, outcome) in enumerate(calls):
            pid = log(client, editor_headers, quote=f"{name} call {i}", p=p, author=name)
            resolve(client, editor_headers, pid, outcome)

    empty = client.get("/leaderboard").text
    assert "No author has 10 or more resolved predictions" in empty
    assert "3 authors have fewer" in empty
    assert 'href="/leaderboard?min_resolved=1"' in empty

    api = client.get("/api/v1/leaderboard?min_resolved=1").json()["items"]
    page = client.get("/leaderboard?min_resolved=1").text
    listed = re.findall(r'<a href="/authors/([^"]+)">', page)
    assert listed == [row["author"] for row in api]
    assert len(listed) == 3

    two = re.findall(r'<a href="/authors/([^"]+)">', client.get("/leaderboard?min_resolved=2").text)
    assert sorted(two) == ["ada-pundit", "cy-hedger"]
    filtered = client.get("/leaderboard?min_resolved=1&outlet=example-review&tag=none").text
    assert "has been resolved true or false yet" in filtered
