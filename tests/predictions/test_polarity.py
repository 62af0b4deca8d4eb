"""Polarity is checked, never assumed: the claim against the quote's hedge (issue 13)."""

import html

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.language.polarity import read_polarity
from app.models import Role
from tests.predictions.conftest import prediction_body
from tests.web.conftest import make_user, sign_in

URL = "/api/v1/predictions"
PEACE = {
    "quote": "a peace agreement is almost inconceivable",
    "hedge": "almost inconceivable",
    "claim": "No peace agreement is signed by 2027",
    "resolve_by": "2027-01-01",
}


def post(client: TestClient, headers: dict[str, str], **overrides: object):  # type: ignore[no-untyped-def]
    return client.post(URL, json=prediction_body(**overrides), headers=headers)


@pytest.mark.parametrize(
    ("claim", "quote", "hedge", "polarity"),
    [
        (
            "No peace agreement is signed",
            "a peace agreement is almost inconceivable",
            "almost inconceivable",
            "negated",
        ),
        (
            "A peace agreement is signed",
            "a peace agreement is almost inconceivable",
            "almost inconceivable",
            "same",
        ),
        ("Russia wins", "Russia will not win", "will not", "negated"),
        ("Russia does not win", "Russia will not win", "will not", "same"),
        ("The deal is signed", "there is no chance the deal is signed", "no chance", "same"),
        ("The deal fails to pass", "the deal will probably pass", "probably", "negated"),
        (
            "The US does not broker a deal",
            "whether or not it will succeed – it won't",
            "won't",
            "same",
        ),
        ("Nobody does not sign", "a deal is likely", "likely", None),
    ],
)
def test_the_reading_compares_negations_in_the_claim_and_the_hedged_clause(
    claim: str, quote: str, hedge: str, polarity: str | None
) -> None:
    assert read_polarity(claim=claim, quote=quote, hedge=hedge).polarity == polarity


def test_only_the_clause_carrying_the_hedge_counts() -> None:
    quote = "Kyiv will not give up; a peace agreement is almost inconceivable"
    reading = read_polarity(
        claim="A peace agreement is signed", quote=quote, hedge="almost inconceivable"
    )
    assert (reading.polarity, reading.quote_cues, reading.subject) == (
        "same",
        (),
        "a peace agreement",
    )


def test_a_claim_negating_the_hedged_event_stores_the_claims_probability_and_says_so(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    response = post(client, editor_headers, **PEACE)
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["probability"], body["polarity"], body["hedge_from"]) == (0.97, "negated", "quote")
    assert body["probability_note"] == (
        "the quote calls a peace agreement 'almost inconceivable', 3%, "
        "and the claim states its negation"
    )
    page = html.unescape(client.get(f"/predictions/{body['id']}").text)
    assert "Claim as stated: 97% (the quote calls a peace agreement 'almost inconceivable'" in page


def test_a_claim_stating_the_hedged_event_keeps_the_hedges_probability(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    response = post(
        client, editor_headers, **PEACE | {"claim": "A peace agreement is signed by 2027"}
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["probability"], body["polarity"], body["probability_note"]) == (0.03, "same", None)


def test_when_it_cannot_tell_it_asks_for_polarity_and_then_obeys_it(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    claim = "No country fails to sign a peace agreement by 2027"
    refused = post(client, editor_headers, **PEACE | {"claim": claim})
    assert refused.status_code == 422
    assert refused.json()["field"] == "polarity"
    assert '"polarity": "same"' in refused.json()["detail"]
    assert "'no', 'fails to'" in refused.json()["detail"]

    told = post(client, editor_headers, **PEACE | {"claim": claim, "polarity": "same"})
    assert told.status_code == 201, told.text
    assert (told.json()["probability"], told.json()["polarity"]) == (0.03, "same")


def test_a_given_polarity_overrides_the_reading(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    response = post(client, editor_headers, **PEACE | {"polarity": "same"})
    assert response.status_code == 201, response.text
    assert response.json()["probability"] == 0.03


def test_a_hedge_missing_from_the_quote_is_refused_unless_the_editor_chose_it(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    words = {"quote": "a peace agreement is out of the question", "hedge": "almost inconceivable"}
    refused = post(client, editor_headers, **PEACE | words)
    assert refused.status_code == 422
    assert refused.json()["field"] == "hedge"
    assert '"hedge_from": "editor"' in refused.json()["detail"]

    chosen = post(client, editor_headers, **PEACE | words | {"hedge_from": "editor"})
    assert chosen.status_code == 201, chosen.text
    assert (chosen.json()["hedge_from"], chosen.json()["probability"]) == ("editor", 0.97)


def test_the_hedge_is_found_whatever_its_case_and_spacing(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    response = post(client, editor_headers, **PEACE | {"hedge": "Almost   INCONCEIVABLE"})
    assert response.status_code == 201, response.text


def test_a_probability_far_from_the_quotes_hedge_needs_the_editor_and_a_reason(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    words = {
        "quote": "the treaty will almost certainly be ratified",
        "claim": "The treaty is ratified by 2027.",
        "hedge": None,
        "probability": 0.3,
    }
    bare = post(client, editor_headers, **PEACE | words)
    assert bare.status_code == 422
    assert bare.json()["field"] == "probability"
    assert '"probability_basis": "editor" with a "reason"' in bare.json()["detail"]
    assert "0.95" in bare.json()["detail"]
    no_reason = post(client, editor_headers, **PEACE | words | {"probability_basis": "editor"})
    assert no_reason.status_code == 422

    reason = "the senate's count since the quote was written"
    kept = post(
        client,
        editor_headers,
        **PEACE | words | {"probability_basis": "editor", "reason": reason},
    )
    assert kept.status_code == 201, kept.text
    assert (kept.json()["probability"], kept.json()["probability_basis"]) == (0.3, "editor")
    assert reason in kept.json()["probability_note"]


def test_a_probability_near_the_hedge_in_the_claims_polarity_is_taken(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    response = post(client, editor_headers, **PEACE | {"hedge": None, "probability": 0.9})
    assert response.status_code == 201, response.text
    assert (response.json()["probability"], response.json()["polarity"]) == (0.9, "negated")
    inverted = post(
        client,
        editor_headers,
        **PEACE | {"hedge": None, "probability": 0.03, "quote": PEACE["quote"] + "."},
    )
    assert inverted.status_code == 422
    assert inverted.json()["field"] == "probability"


def test_correcting_the_claim_reads_its_polarity_again(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = post(client, editor_headers, **PEACE).json()["id"]
    response = client.patch(
        f"{URL}/{pid}",
        json={"claim": "A peace agreement is signed by 2027", "reason": "state the event itself"},
        headers=editor_headers,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["probability"], body["polarity"], body["probability_note"]) == (0.03, "same", None)
    assert body["revisions"][-1]["after"]["probability"] == 0.03


def test_correcting_the_hedge_to_one_not_in_the_quote_is_refused(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = post(client, editor_headers, **PEACE).json()["id"]
    response = client.patch(
        f"{URL}/{pid}", json={"hedge": "unlikely", "reason": "softer"}, headers=editor_headers
    )
    assert response.status_code == 422
    assert response.json()["field"] == "hedge"


def test_the_log_form_reads_polarity_and_asks_beside_its_field(
    client: TestClient, engine: Engine
) -> None:
    make_user(engine, "desk@example.org", Role.editor)
    token = sign_in(client, "desk@example.org")
    form = {
        "csrf_token": token,
        "author": "Jane Pundit",
        "source_title": "An op-ed",
        "published_on": "2025-03-01",
        "quote": PEACE["quote"],
        "claim": PEACE["claim"],
        "hedge": PEACE["hedge"],
        "resolve_by": "by the end of 2026",
    }
    unclear = client.post("/predictions/new", data=form | {"claim": "No side fails to sign."})
    assert unclear.status_code == 422
    assert 'id="f-polarity" name="polarity"\n    aria-invalid="true"' in unclear.text
    logged = client.post("/predictions/new", data=form)
    assert logged.status_code == 200, logged.text
    assert "Claim as stated: 97%" in logged.text
