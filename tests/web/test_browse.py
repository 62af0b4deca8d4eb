"""The predictions page (/predictions): search, filters, sort, pages and export, all in the URL."""

import csv
import html
import io
import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.models import Role
from tests.predictions.conftest import prediction_body
from tests.web.conftest import SignIn

API = "/api/v1/predictions"
ROW = re.compile(r'<li>\s*<a href="/predictions/(\d+)">')


def log(client: TestClient, headers: dict[str, str], **overrides: Any) -> int:
    response = client.post(API, json=prediction_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def shown(page: str) -> list[int]:
    """The prediction ids the page lists, in order."""
    return [int(pid) for pid in ROW.findall(page)]


def errors_of(page: str) -> dict[str, str]:
    found = re.findall(r'class="error" id="f-(\w+)-error">([^<]+)<', page)
    return {name: html.unescape(message) for name, message in found}


@pytest.fixture
def three(client: TestClient, editor_headers: dict[str, str]) -> list[int]:
    """Latham's ceasefire (overdue since 2025), Osei's 50% rates call (2027), Latham's Kursk."""
    ceasefire = log(client, editor_headers)
    rates = log(
        client,
        editor_headers,
        author={"name": "Daniel Osei"},
        source={
            "url": "https://planet.example/rates",
            "title": "Rates",
            "outlet": {"name": "Daily Planet"},
            "published_at": "2026-01-10T09:00:00Z",
        },
        quote="rates will probably be cut by 50% next year",
        claim="The central bank cuts its rate by 50% of its level before July 2027.",
        hedge="probably",
        resolve_by="2027-06-30",
        tags=["economy"],
    )
    kursk = log(
        client,
        editor_headers,
        quote="Russia will consolidate its gains",
        claim="Russia retakes the Kursk region within six months.",
        probability=0.8,
        resolve_by="2026-12-20",
        tags=["ukraine", "kursk"],
    )
    return [ceasefire, rates, kursk]


def test_the_page_lists_every_prediction_newest_first_with_links(
    client: TestClient, three: list[int]
) -> None:
    page = client.get("/predictions")
    assert page.status_code == 200
    # made_at: Latham's two from 14 Mar 2025 (higher id first on the tie), Osei's from 2026.
    assert shown(page.text) == [three[1], three[2], three[0]]
    assert 'href="/authors/andrew-latham"' in page.text
    assert 'href="/authors/daniel-osei"' in page.text
    assert "3 predictions" in page.text
    # The author and outlet fields suggest the names on record.
    assert '<option value="Daniel Osei">' in page.text
    assert '<option value="Daily Planet">' in page.text


def test_search_reaches_the_claim_the_quote_and_the_author_name_in_any_case(
    client: TestClient, three: list[int]
) -> None:
    assert shown(client.get("/predictions", params={"q": "LATHAM"}).text) == [three[2], three[0]]
    assert shown(client.get("/predictions", params={"q": "consolidate"}).text) == [three[2]]
    assert shown(client.get("/predictions", params={"q": "central bank"}).text) == [three[1]]


def test_like_wildcards_in_the_search_match_only_themselves(
    client: TestClient, three: list[int]
) -> None:
    # Unescaped, "%" would match every row and "_" any one character.
    assert shown(client.get("/predictions", params={"q": "%"}).text) == [three[1]]
    assert shown(client.get("/predictions", params={"q": "_"}).text) == []
    assert shown(client.get("/predictions", params={"q": "50%"}).text) == [three[1]]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"author": "Daniel Osei"}, [1]),
        ({"author": "andrew-latham"}, [2, 0]),
        ({"outlet": "Daily Planet"}, [1]),
        ({"tag": "Kursk"}, [2]),
        ({"status": "due"}, [0]),
        ({"overdue": "1"}, [0]),
        ({"due_after": "2026-12-01", "due_before": "2026-12-31"}, [2]),
        ({"sort": "resolve_by"}, [0, 2, 1]),
        ({"sort": "-author"}, [1, 2, 0]),
        ({"tag": "ukraine", "sort": "made_at"}, [0, 2]),
    ],
)
def test_each_filter_and_sort_narrows_and_orders_the_list(
    client: TestClient, three: list[int], params: dict[str, str], expected: list[int]
) -> None:
    page = client.get("/predictions", params=params)
    assert page.status_code == 200, page.text
    assert shown(page.text) == [three[i] for i in expected]


def test_bad_filter_values_are_explained_beside_their_fields_on_the_page(
    client: TestClient, three: list[int]
) -> None:
    params = {
        "status": "finished",
        "due_after": "31/12/2026",
        "author": "Nobody Atall",
        "sort": "price",
        "per_page": "7",
    }
    page = client.get("/predictions", params=params)
    assert page.status_code == 400
    assert page.headers["content-type"].startswith("text/html")
    errors = errors_of(page.text)
    assert "is not a status" in errors["status"]
    assert "YYYY-MM-DD" in errors["due_after"]
    assert "Nobody Atall" in errors["author"]
    assert set(errors) >= {"sort", "per_page"}
    assert 'value="31/12/2026"' in page.text  # what was typed stays in the form
    assert shown(page.text) == []


def test_pages_of_ten_link_to_the_next_and_previous_with_the_filter_kept(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    ids = [
        log(client, editor_headers, quote=f"it will happen, forecast {n}", claim=f"Event {n}.")
        for n in range(12)
    ]
    first = client.get("/predictions", params={"per_page": "10", "sort": "made_at"}).text
    assert shown(first) == ids[:10]
    assert "12 predictions, page 1 of 2" in first
    following = re.search(r'href="([^"]+)" rel="next"', first)
    assert following is not None
    link = html.unescape(following.group(1))
    assert "sort=made_at" in link
    assert "per_page=10" in link
    assert "page=2" in link
    second = client.get(link).text
    assert shown(second) == ids[10:]
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_the_export_is_the_filtered_set_as_csv_and_jsonl(
    client: TestClient, three: list[int]
) -> None:
    page = client.get("/predictions", params={"tag": "ukraine"}).text
    found = re.search(r'href="([^"]*export=csv[^"]*)"', page)
    assert found is not None
    response = client.get(html.unescape(found.group(1)))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [int(r["id"]) for r in rows] == [three[0], three[2]]
    assert {r["author"] for r in rows} == {"Andrew Latham"}

    lines = client.get("/predictions", params={"q": "central", "export": "jsonl"}).text
    records = [json.loads(line) for line in lines.splitlines()]
    assert [r["id"] for r in records] == [three[1]]
    assert records[0]["tags"] == ["economy"]


def test_an_unknown_export_format_is_a_message_not_a_download(
    client: TestClient, three: list[int]
) -> None:
    page = client.get("/predictions", params={"export": "xlsx"})
    assert page.status_code == 400
    assert "choose csv or jsonl" in html.unescape(page.text)


def test_who_logged_it_is_a_filter_for_signed_in_staff_only(
    client: TestClient, three: list[int], signed_in: SignIn
) -> None:
    anonymous = client.get("/predictions", params={"logged_by": "editor@example.org"})
    assert anonymous.status_code == 400
    assert "sign in to filter by who logged" in html.unescape(anonymous.text)
    assert 'id="f-logged_by"' not in client.get("/predictions").text

    signed_in(Role.viewer)
    everyone = client.get("/predictions", params={"logged_by": "editor@example.org"})
    assert sorted(shown(everyone.text)) == sorted(three)
    mine = client.get("/predictions", params={"logged_by": "me"})
    assert shown(mine.text) == []
    assert 'id="f-logged_by"' in mine.text
