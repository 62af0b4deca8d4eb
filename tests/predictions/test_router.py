"""Logging, reading and correcting predictions over the API."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.predictions.conftest import SOURCE, prediction_body

URL = "/api/v1/predictions"


def log(client: TestClient, headers: dict[str, str], **overrides: Any) -> dict[str, Any]:
    response = client.post(URL, json=prediction_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def test_a_hedged_forecast_answers_with_what_was_understood(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    body = log(client, editor_headers)
    assert body["resolve_by"] == "2025-12-31"
    assert body["horizon_text"] == "by the end of 2025"
    assert body["probability_basis"] == "codebook"
    assert body["codebook_version"] == "hindsight-v2"
    assert body["probability"] > 0.9
    assert body["made_at"].startswith("2025-03-14T09:00:00")
    assert body["status"] == "due"  # the clock says 2026-11-25, past the deadline
    assert body["tags"] == ["ceasefire", "ukraine"]
    assert body["author"] == "andrew-latham"
    assert body["outlet"] == "example-review"


def test_a_stated_number_is_kept_as_stated(client: TestClient, editor_headers: dict) -> None:
    body = log(
        client,
        editor_headers,
        quote="a 70% chance the Fed cuts by June",
        hedge=None,
        probability=0.7,
        resolve_by="by June 2026",
        made_at="2026-01-10",
    )
    assert (body["probability"], body["probability_basis"]) == (0.7, "stated")
    assert body["resolve_by"] == "2026-06-30"
    assert body["status"] == "due"


def test_an_editor_reading_without_a_number_in_the_quote(
    client: TestClient, editor_headers: dict
) -> None:
    body = log(client, editor_headers, hedge=None, probability=0.8, resolve_by="2027-03-31")
    assert body["probability_basis"] == "editor"
    assert (body["resolve_by"], body["horizon_text"], body["status"]) == (
        "2027-03-31",
        None,
        "open",
    )


def test_an_existing_author_and_source_are_reused(client: TestClient, editor_headers: dict) -> None:
    first = log(client, editor_headers)
    second = log(
        client,
        editor_headers,
        author="andrew-latham",
        source=first["source_id"],
        quote="Trump's strategy will fail",
    )
    assert second["source_id"] == first["source_id"]
    assert client.get("/api/v1/authors").json()["total"] == 1


@pytest.mark.parametrize(
    ("overrides", "status", "field", "words"),
    [
        ({"probability": 1.5, "hedge": None}, 422, "probability", "outside 0..1"),
        ({"probability": 70, "hedge": None}, 422, "probability", "send 0.7"),
        ({"probability": None, "hedge": None}, 422, "probability", "hedge"),
        ({"hedge": "wibbly odds"}, 422, "hedge", "wibbly odds"),
        ({"resolve_by": "march on"}, 422, "resolve_by", "march on"),
        ({"resolve_by": "2024-01-01"}, 422, "resolve_by", "before"),
        ({"author": "nobody-known"}, 422, "author", "nobody-known"),
        ({"source": 999999}, 422, "source", "999999"),
        ({"quote": ""}, 422, "quote", ""),
        ({"colour": "blue"}, 422, "colour", "unknown field"),
        ({"made_at": "2025-03-14T09:00:00"}, 422, "made_at", "timezone"),
    ],
)
def test_bad_input_names_the_field_and_the_fix(
    client: TestClient, editor_headers: dict, overrides: dict, status: int, field: str, words: str
) -> None:
    response = client.post(URL, json=prediction_body(**overrides), headers=editor_headers)
    assert response.status_code == status, response.text
    body = response.json()
    assert body["field"] == field
    assert words in body["detail"]
    assert client.get(URL).json()["total"] == 0  # nothing half-written


def test_a_source_without_a_date_needs_made_at(client: TestClient, editor_headers: dict) -> None:
    source = {"url": "https://example.org/undated", "title": "Undated"}
    response = client.post(URL, json=prediction_body(source=source), headers=editor_headers)
    assert response.status_code == 422
    assert response.json()["field"] == "made_at"
    assert client.get("/api/v1/sources").json()["total"] == 0


def test_the_same_quote_twice_in_one_source_is_a_conflict(
    client: TestClient, editor_headers: dict
) -> None:
    first = log(client, editor_headers)
    response = client.post(
        URL,
        json=prediction_body(quote="Practically  guaranteeing that No ceasefire will MATERIALIZE"),
        headers=editor_headers,
    )
    assert response.status_code == 409
    assert response.json()["prediction_id"] == first["id"]


def test_a_quote_must_occur_in_the_archived_text(client: TestClient, editor_headers: dict) -> None:
    source = {**SOURCE, "url": "https://example.org/archived", "text": "It won’t happen. Ever."}
    response = client.post(
        URL, json=prediction_body(source=source, quote="It will happen"), headers=editor_headers
    )
    assert response.status_code == 422
    assert response.json()["field"] == "quote"
    ok = client.post(
        URL, json=prediction_body(source=source, quote="it won't happen"), headers=editor_headers
    )
    assert ok.status_code == 201, ok.text


def test_writes_need_an_editor_key(client: TestClient, viewer_headers: dict) -> None:
    anonymous = client.post(URL, json=prediction_body())
    assert anonymous.status_code == 401
    assert "editor" in anonymous.json()["detail"]
    viewer = client.post(URL, json=prediction_body(), headers=viewer_headers)
    assert viewer.status_code == 403
    assert "viewer" in viewer.json()["detail"]


def test_a_revoked_or_unknown_key_is_refused(client: TestClient) -> None:
    response = client.get(URL, headers={"Authorization": "Bearer hs_nope_nope"})
    assert response.status_code == 401
    assert "unknown or revoked" in response.json()["detail"]


def test_filters_narrow_the_list(client: TestClient, editor_headers: dict) -> None:
    log(client, editor_headers)
    log(
        client,
        editor_headers,
        author={"name": "Jane Pundit"},
        quote="rates will fall",
        claim="The Fed cuts rates by June 2026.",
        tags=["fed"],
        resolve_by="2027-06-30",
        source={
            **SOURCE,
            "url": "https://example.org/fed",
            "outlet": {"name": "Rates Weekly"},
            "published_at": "2026-01-05T00:00:00Z",
        },
    )
    cases = {
        "author=jane-pundit": 1,
        "tag=fed": 1,
        "tag=UKRAINE": 1,
        "status=due": 1,
        "status=open": 1,
        "due_before=2026-01-01": 1,
        "due_after=2026-01-01": 1,
        "made_after=2026-01-01": 1,
        "made_before=2025-12-31": 1,
        "q=ceasefire": 1,
        "outlet=example-review": 1,
        "": 2,
    }
    for query, expected in cases.items():
        body = client.get(f"{URL}?{query}").json()
        assert body["total"] == expected, query
    page = client.get(f"{URL}?limit=1&offset=1&sort=made_at").json()
    assert (len(page["items"]), page["total"], page["items"][0]["author"]) == (1, 2, "jane-pundit")


def test_an_unknown_filter_slug_is_a_404(client: TestClient) -> None:
    response = client.get(f"{URL}?author=who")
    assert response.status_code == 404
    assert response.json()["field"] == "author"


def test_a_correction_needs_a_reason_and_leaves_a_revision(
    client: TestClient, editor_headers: dict
) -> None:
    created = log(client, editor_headers)
    missing = client.patch(
        f"{URL}/{created['id']}", json={"probability": 0.8}, headers=editor_headers
    )
    assert missing.status_code == 422
    assert missing.json()["field"] == "reason"
    response = client.patch(
        f"{URL}/{created['id']}",
        json={"probability": 0.8, "resolve_by": "by mid-2026", "reason": "misread the hedge"},
        headers=editor_headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["probability"], body["probability_basis"], body["resolve_by"]) == (
        0.8,
        "editor",
        "2026-06-30",
    )
    revision = body["revisions"][-1]
    assert revision["reason"] == "misread the hedge"
    assert revision["before"]["probability"] == created["probability"]
    assert revision["after"]["resolve_by"] == "2026-06-30"


def test_a_correction_that_changes_nothing_is_refused(
    client: TestClient, editor_headers: dict
) -> None:
    created = log(client, editor_headers)
    response = client.patch(
        f"{URL}/{created['id']}",
        json={"claim": created["claim"], "reason": "x"},
        headers=editor_headers,
    )
    assert response.status_code == 422
    assert "nothing to change" in response.json()["detail"]


def test_only_an_admin_withdraws_and_the_record_stays(
    client: TestClient, editor_headers: dict, admin_headers: dict
) -> None:
    created = log(client, editor_headers)
    path = f"{URL}/{created['id']}/withdraw"
    assert (
        client.post(path, json={"reason": "wrong author"}, headers=editor_headers).status_code
        == 403
    )
    response = client.post(path, json={"reason": "wrong author"}, headers=admin_headers)
    assert response.json()["status"] == "withdrawn"
    again = client.post(path, json={"reason": "again"}, headers=admin_headers)
    assert again.status_code == 409
    detail = client.get(f"{URL}/{created['id']}").json()
    assert detail["revisions"][-1]["action"] == "withdraw"


@pytest.mark.parametrize("path", ["/0", "/-1", "/abc", "/99999999999999999999", "/2147483648"])
def test_malformed_or_huge_ids_are_4xx(client: TestClient, path: str) -> None:
    assert client.get(f"{URL}{path}").status_code in (404, 422)


def test_a_missing_prediction_is_404(client: TestClient) -> None:
    response = client.get(f"{URL}/2147483647")
    assert response.status_code == 404
    assert "2147483647" in response.json()["detail"]


def test_a_body_over_one_megabyte_is_413(client: TestClient, editor_headers: dict) -> None:
    body = prediction_body(claim="x" * 1_100_000)
    response = client.post(URL, json=body, headers=editor_headers)
    assert response.status_code == 413
    assert "bytes" in response.json()["detail"]


def test_invalid_json_is_422(client: TestClient, editor_headers: dict) -> None:
    response = client.post(
        URL, content=b"{not json", headers={**editor_headers, "Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "JSON" in response.json()["detail"]
