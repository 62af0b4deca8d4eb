"""Attribution is explicit (issue 13): a candidate the article attributes to someone other than
the source's author is logged only once the journalist says whose forecast it is."""

import html
import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import Author, Role, SourceAuthor
from tests.conftest import shared_path
from tests.web.conftest import make_user, sign_in

DEADLINE = {"resolve_by": "by the end of 2026"}


@pytest.fixture
def op_ed() -> str:
    return shared_path("examples", "seed-op-ed.txt").read_text(encoding="utf-8")


def extract(client: TestClient, headers: dict, text: str, author: str | None) -> dict:
    body = {"text": text, "author": author, "published_at": "2025-03-14"}
    response = client.post("/api/v1/extract", json=body, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def accept_path(found: dict, words: str) -> str:
    candidate = next(c for c in found["candidates"] if words in c["span"])
    return f"/api/v1/sources/{found['source']['id']}/candidates/{candidate['n']}/accept"


@pytest.fixture
def putins(client: TestClient, editor_headers: dict, op_ed: str) -> str:
    """The accept path of a candidate Latham's column attributes to Putin."""
    found = extract(client, editor_headers, op_ed, "Andrew Latham")
    candidate = next(c for c in found["candidates"] if "grind down" in c["span"])
    assert candidate["attributed_to"] == "Putin"
    return accept_path(found, "grind down")


def test_an_attributed_candidate_without_a_choice_is_a_422_saying_what_to_send(
    client: TestClient, editor_headers: dict, putins: str
) -> None:
    response = client.post(putins, json=DEADLINE, headers=editor_headers)
    assert response.status_code == 422
    body = response.json()
    assert body["field"] == "author"
    assert "attributed to 'Putin'" in body["detail"]
    assert "Andrew Latham" in body["detail"]
    assert '{"author": "Putin"}' in body["detail"]
    assert '"as_author_of_source": true, "reason"' in body["detail"]


def test_the_attributed_person_is_the_author_and_is_created(
    client: TestClient, editor_headers: dict, putins: str
) -> None:
    response = client.post(
        putins, json=DEADLINE | {"author": "Vladimir Putin"}, headers=editor_headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["author"] == "vladimir-putin"
    authors = client.get("/api/v1/authors", headers=editor_headers).json()["items"]
    assert sorted(a["name"] for a in authors) == ["Andrew Latham", "Vladimir Putin"]


def test_the_columns_author_needs_a_reason(
    client: TestClient, editor_headers: dict, putins: str
) -> None:
    without = client.post(
        putins, json=DEADLINE | {"as_author_of_source": True}, headers=editor_headers
    )
    assert without.status_code == 422
    assert without.json()["field"] == "reason"
    reason = "Latham endorses this reading of Putin as his own forecast in the next paragraph"
    response = client.post(
        putins,
        json=DEADLINE | {"as_author_of_source": True, "reason": reason},
        headers=editor_headers,
    )
    assert response.status_code == 201, response.text
    prediction = response.json()
    assert prediction["author"] == "andrew-latham"
    attributed = [r for r in prediction["revisions"] if r["action"] == "attributed"]
    assert [(r["reason"], r["before"]) for r in attributed] == [
        (reason, {"attributed_to": "Putin"})
    ]


def test_naming_the_columns_author_is_not_a_choice_without_as_author_of_source(
    client: TestClient, editor_headers: dict, putins: str
) -> None:
    response = client.post(
        putins, json=DEADLINE | {"author": "andrew-latham"}, headers=editor_headers
    )
    assert response.status_code == 422
    assert "as_author_of_source" in response.json()["detail"]


def test_a_candidate_in_the_authors_own_voice_needs_no_choice(
    client: TestClient, editor_headers: dict, op_ed: str
) -> None:
    found = extract(client, editor_headers, op_ed, "Andrew Latham")
    response = client.post(
        accept_path(found, "no ceasefire"), json=DEADLINE, headers=editor_headers
    )
    assert response.status_code == 201, response.text
    assert response.json()["author"] == "andrew-latham"
    assert all(r["action"] != "attributed" for r in response.json()["revisions"])


def test_a_source_has_every_author_it_was_extracted_with(
    client: TestClient, editor_headers: dict, engine: Engine, op_ed: str
) -> None:
    first = extract(client, editor_headers, op_ed, "Andrew Latham")
    again = extract(client, editor_headers, op_ed, "Vladimir Putin")
    extract(client, editor_headers, op_ed, "andrew-latham")  # the same author by slug
    assert again["source"]["id"] == first["source"]["id"]
    with Session(engine) as session:
        names = session.exec(
            select(Author.name)
            .join(SourceAuthor, col(SourceAuthor.author_id) == col(Author.id))
            .where(col(SourceAuthor.source_id) == first["source"]["id"])
            .order_by(col(Author.name))
        ).all()
    assert list(names) == ["Andrew Latham", "Vladimir Putin"]
    # Putin is among the source's authors now: his candidate is his without asking.
    response = client.post(accept_path(first, "grind down"), json=DEADLINE, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["author"] == "vladimir-putin"


def test_an_attributed_candidate_from_a_source_with_no_known_author_still_asks(
    client: TestClient, editor_headers: dict, op_ed: str
) -> None:
    found = extract(client, editor_headers, op_ed, None)
    response = client.post(accept_path(found, "grind down"), json=DEADLINE, headers=editor_headers)
    assert response.status_code == 422
    assert '{"author": "Putin"}' in response.json()["detail"]


@pytest.fixture
def web_token(engine: Engine, client: TestClient) -> str:
    make_user(engine, "editor-web@example.org", Role.editor)
    return sign_in(client, "editor-web@example.org")


def web_candidate(client: TestClient, token: str, text: str) -> tuple[str, str]:
    """The page after extracting the op-ed on the web, and Putin's candidate's accept path."""
    form = {"csrf_token": token, "text": text, "author": "Andrew Latham"}
    page = client.post("/extract", data=form | {"published_on": "2025-03-14"})
    assert page.status_code == 200, page.text
    found = re.search(r"/sources/(\d+)/candidates", str(page.url))
    assert found is not None
    listed = client.get(f"/api/v1/sources/{found.group(1)}/candidates").json()
    n = next(c["n"] for c in listed if "grind down" in c["span"])
    return page.text, f"/sources/{found.group(1)}/candidates/{n}/accept"


def shown_errors(page: str) -> dict[str, str]:
    found = re.findall(r'class="error" id="c\d+-(\w+)-error">([^<]+)<', page)
    return {name: html.unescape(message) for name, message in found}


def test_the_web_accept_form_asks_whose_forecast_an_attributed_candidate_is(
    client: TestClient, web_token: str, op_ed: str
) -> None:
    page, path = web_candidate(client, web_token, op_ed)
    assert page.count("Whose forecast is this? The article attributes it to Putin.") == 2
    form = {"csrf_token": web_token, "resolve_by": "by the end of 2026"}
    unchosen = client.post(path, data=form)
    assert unchosen.status_code == 422
    assert "choose whose forecast it is" in shown_errors(unchosen.text)["whose"]
    no_reason = client.post(path, data=form | {"whose": "source"})
    assert no_reason.status_code == 422
    assert "reason" in shown_errors(no_reason.text)["attribution_reason"]
    reason = "Latham adopts this view as his own"
    chosen = client.post(path, data=form | {"whose": "source", "attribution_reason": reason})
    assert chosen.status_code == 200, chosen.text
    detail = client.get("/api/v1/predictions/1").json()
    assert detail["author"] == "andrew-latham"
    assert [r["reason"] for r in detail["revisions"] if r["action"] == "attributed"] == [reason]


def test_the_web_logs_an_attributed_candidate_as_the_attributed_persons(
    client: TestClient, web_token: str, op_ed: str
) -> None:
    _, path = web_candidate(client, web_token, op_ed)
    form = {"csrf_token": web_token, "resolve_by": "by the end of 2026", "whose": "attributed"}
    chosen = client.post(path, data=form | {"author": "Vladimir Putin"})
    assert chosen.status_code == 200, chosen.text
    assert client.get("/api/v1/predictions/1").json()["author"] == "vladimir-putin"
