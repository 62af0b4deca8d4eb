"""Names where people write names: authors, outlets and sources by name or URL, outcomes as
JSON booleans, written dates and tags (issue 13, deliverable 4)."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.web.forms import tags_from
from tests.predictions.conftest import SOURCE, prediction_body
from tests.predictions.test_import_rules import row
from tests.predictions.test_transfer import post_import

URL = "/api/v1/predictions"


def log(client: TestClient, headers: dict[str, str], **overrides: Any) -> Any:
    return client.post(URL, json=prediction_body(**overrides), headers=headers)


def first_logged(client: TestClient, headers: dict[str, str]) -> dict[str, Any]:
    response = log(client, headers)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("given", ["andrew-latham", "Andrew Latham", "ANDREW LATHAM"])
def test_an_author_is_found_by_slug_or_by_exact_name_in_any_case(
    client: TestClient, editor_headers: dict, given: str
) -> None:
    first = first_logged(client, editor_headers)
    other = prediction_body(author=given, source=first["source_id"], hedge=None)
    other.update(quote="talks resume in spring", claim="Talks resume before June.")
    other.update(probability=0.6, probability_basis="editor")
    response = client.post(URL, json=other, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["author"] == "andrew-latham"
    assert client.get("/api/v1/authors").json()["total"] == 1


def test_an_unknown_author_name_says_how_to_create_one(
    client: TestClient, editor_headers: dict
) -> None:
    response = log(client, editor_headers, author="Mary Beard")
    assert response.status_code == 422
    assert response.json()["field"] == "author"
    assert response.json()["detail"] == (
        'no author named \'Mary Beard\': send {"name": "Mary Beard"} to create one'
    )


def test_an_outlet_named_in_a_source_is_matched_in_any_case(
    client: TestClient, editor_headers: dict
) -> None:
    first_logged(client, editor_headers)  # creates the outlet "Example Review"
    source = {**SOURCE, "url": "https://www.example.com/other", "outlet": "example REVIEW"}
    response = client.post("/api/v1/sources", json=source, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["outlet"] == "example-review"
    outlets = client.get("/api/v1/outlets").json()
    assert [o["slug"] for o in outlets["items"]] == ["example-review"]


def test_an_outlet_name_nobody_recorded_is_created(
    client: TestClient, editor_headers: dict
) -> None:
    source = {**SOURCE, "outlet": "The Atlantic Monthly"}
    response = client.post("/api/v1/sources", json=source, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["outlet"] == "the-atlantic-monthly"
    names = [o["name"] for o in client.get("/api/v1/outlets").json()["items"]]
    assert names == ["The Atlantic Monthly"]


def test_a_source_given_as_its_url_is_the_recorded_source(
    client: TestClient, editor_headers: dict
) -> None:
    first = first_logged(client, editor_headers)
    response = log(client, editor_headers, source=SOURCE["url"])
    assert response.status_code == 409  # the same quote in the same source
    assert response.json()["prediction_id"] == first["id"]


def test_an_unrecorded_source_url_asks_for_the_source_object(
    client: TestClient, editor_headers: dict
) -> None:
    response = log(client, editor_headers, source="https://www.example.com/never-seen")
    assert response.status_code == 422
    assert response.json()["field"] == "source"
    assert "send the source object" in response.json()["detail"]
    assert "https://www.example.com/never-seen" in response.json()["detail"]


@pytest.mark.parametrize(("sent", "stored"), [(True, "true"), (False, "false"), ("void", "void")])
def test_an_outcome_may_be_a_json_boolean(
    client: TestClient, editor_headers: dict, sent: Any, stored: str
) -> None:
    pid = first_logged(client, editor_headers)["id"]
    verdict = {"outcome": sent, "resolved_on": "2025-12-31"}
    response = client.post(f"{URL}/{pid}/resolution", json=verdict, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["resolution"]["outcome"] == stored


@pytest.mark.parametrize(
    "written", ["March 14, 2025", "14 Mar 2025", "Mar. 14, 2025", "14 March 2025", "2025-03-14"]
)
def test_dates_may_be_written_as_people_write_them(
    client: TestClient, editor_headers: dict, written: str
) -> None:
    source = {**SOURCE, "published_at": written}
    response = client.post("/api/v1/sources", json=source, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["published_at"] == "2025-03-14T00:00:00Z"


def test_a_verdict_date_may_be_written_out(client: TestClient, editor_headers: dict) -> None:
    pid = first_logged(client, editor_headers)["id"]
    verdict = {"outcome": "true", "resolved_on": "December 31, 2025"}
    response = client.post(f"{URL}/{pid}/resolution", json=verdict, headers=editor_headers)
    assert response.status_code == 201, response.text
    assert response.json()["resolution"]["resolved_on"] == "2025-12-31"


@pytest.mark.parametrize("words", ["next tuesday", "14/03/2025", "Marchember 14, 2025"])
def test_a_date_in_no_known_form_is_refused_with_the_words_echoed(
    client: TestClient, editor_headers: dict, words: str
) -> None:
    response = log(client, editor_headers, made_at=words)
    assert response.status_code == 422
    assert response.json()["field"] == "made_at"
    assert f"'{words}' is not a date" in response.json()["detail"]
    assert "March 14, 2025" in response.json()["detail"]


def test_tags_are_normalised_alike_in_the_api_and_the_web(
    client: TestClient, editor_headers: dict
) -> None:
    tags = ["Middle East", "Украина", "ÉLECTIONS  2025"]
    response = log(client, editor_headers, tags=tags)
    assert response.status_code == 201, response.text
    expected = ["middle-east", "украина", "élections-2025"]
    assert sorted(response.json()["tags"]) == sorted(expected)
    assert tags_from("Middle East, Украина , ÉLECTIONS  2025") == expected


def test_a_tag_of_punctuation_is_refused_naming_its_place(
    client: TestClient, editor_headers: dict
) -> None:
    response = log(client, editor_headers, tags=["ukraine", "#war"])
    assert response.status_code == 422
    assert response.json()["field"] == "tags.1"
    assert "'#war' is not a tag" in response.json()["detail"]


def test_an_import_reads_tags_and_written_dates_as_the_api_does(
    client: TestClient, editor_headers: dict
) -> None:
    cells = {"tags": "Middle East; middle-east; Украина", "resolved_on": '"January 20, 2025"'}
    response = post_import(client, editor_headers, row(**cells))
    assert response.status_code == 200, response.text
    logged = client.get(URL).json()["items"][0]
    assert sorted(logged["tags"]) == ["middle-east", "украина"]
    assert logged["resolved_on"] == "2025-01-20"
