"""Automated resolution checks against Manifold and Metaculus (their JSON shapes, mocked)."""

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.resolutions import checks
from tests.conftest import MovableClock
from tests.predictions.conftest import prediction_body

MANIFOLD_PAGE = "https://manifold.markets/analyst/will-a-ceasefire-take-effect-in-2025"
METACULUS_PAGE = "https://www.metaculus.com/questions/12345/ceasefire-in-2025/"
# Shaped like GET https://api.manifold.markets/v0/slug/{slug} (abridged LiteMarket).
MANIFOLD_RESOLVED = {
    "id": "a1b2c3",
    "creatorUsername": "analyst",
    "slug": "will-a-ceasefire-take-effect-in-2025",
    "question": "Will a ceasefire take effect in 2025?",
    "url": MANIFOLD_PAGE,
    "outcomeType": "BINARY",
    "mechanism": "cpmm-1",
    "probability": 0.03,
    "volume": 1520.5,
    "closeTime": 1767139200000,
    "isResolved": True,
    "resolution": "NO",
    "resolutionTime": 1767225600000,
}
# Shaped like GET https://www.metaculus.com/api/posts/{id}/ (abridged).
METACULUS_OPEN = {
    "id": 12345,
    "title": "Ceasefire in 2025?",
    "status": "open",
    "question": {
        "id": 12001,
        "type": "binary",
        "status": "open",
        "resolution": None,
        "scheduled_resolve_time": "2026-01-01T00:00:00Z",
    },
}


def transport(bodies: dict[str, dict]) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        body = bodies.get(str(request.url))
        return httpx.Response(200, json=body) if body else httpx.Response(404, json={})

    return httpx.MockTransport(handle)


def log_with_check(client: TestClient, headers: dict, check: dict, quote: str) -> int:
    response = client.post(
        "/api/v1/predictions", json=prediction_body(quote=quote, check=check), headers=headers
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_a_resolved_question_proposes_and_an_editor_confirms(
    client: TestClient, editor_headers: dict, engine: Engine, clock: MovableClock
) -> None:
    # The claim "no ceasefire" is the negation of the market's question: YES means FALSE.
    check = {"kind": "manifold", "url": MANIFOLD_PAGE, "yes_means": "false"}
    pid = log_with_check(client, editor_headers, check, "no ceasefire will materialize")
    log_with_check(client, editor_headers, {"kind": "metaculus", "url": METACULUS_PAGE}, "other")
    api = {
        checks.api_url("manifold", MANIFOLD_PAGE): MANIFOLD_RESOLVED,
        checks.api_url("metaculus", METACULUS_PAGE): METACULUS_OPEN,
    }
    with httpx.Client(transport=transport(api)) as http:
        assert checks.run_checks(engine=engine, client=http, now=clock.now()) == 1
        assert checks.run_checks(engine=engine, client=http, now=clock.now()) == 0
    assert client.get(f"/api/v1/predictions/{pid}").json()["status"] == "due"  # never alone
    proposals = client.get("/api/v1/proposals", headers=editor_headers).json()["items"]
    assert [(p["prediction_id"], p["outcome"], p["resolved_on"]) for p in proposals] == [
        (pid, "true", "2026-01-01")
    ]
    confirmed = client.post(
        f"/api/v1/proposals/{proposals[0]['id']}/confirm", headers=editor_headers
    )
    assert confirmed.status_code == 201, confirmed.text
    detail = client.get(f"/api/v1/predictions/{pid}").json()
    assert (detail["status"], detail["outcome"]) == ("resolved", "true")
    assert detail["resolutions"][0]["evidence_urls"] == [MANIFOLD_PAGE]


def test_a_rejected_proposal_is_not_made_again(
    client: TestClient, editor_headers: dict, engine: Engine, clock: MovableClock
) -> None:
    pid = log_with_check(client, editor_headers, {"kind": "manifold", "url": MANIFOLD_PAGE}, "q")
    api = {checks.api_url("manifold", MANIFOLD_PAGE): MANIFOLD_RESOLVED}
    with httpx.Client(transport=transport(api)) as http:
        checks.run_checks(engine=engine, client=http, now=clock.now())
        proposal = client.get("/api/v1/proposals", headers=editor_headers).json()["items"][0]
        assert proposal["outcome"] == "false"  # the market said NO and YES means TRUE
        rejected = client.post(
            f"/api/v1/proposals/{proposal['id']}/reject",
            json={"reason": "the market misread the question"},
            headers=editor_headers,
        )
        assert rejected.json()["status"] == "rejected"
        assert checks.run_checks(engine=engine, client=http, now=clock.now()) == 0
    history = client.get(f"/api/v1/predictions/{pid}").json()["revisions"]
    assert history[-1]["action"] == "reject-proposal"


@pytest.mark.parametrize(
    ("check", "words"),
    [
        ({"kind": "manifold", "url": "https://example.org/x"}, "not a manifold question page"),
        ({"kind": "metaculus", "url": MANIFOLD_PAGE}, "not a metaculus question page"),
        ({"kind": "polymarket", "url": MANIFOLD_PAGE}, "kind"),
    ],
)
def test_a_check_must_link_a_readable_question(
    client: TestClient, editor_headers: dict, check: dict, words: str
) -> None:
    response = client.post(
        "/api/v1/predictions", json=prediction_body(check=check), headers=editor_headers
    )
    assert response.status_code == 422
    assert words in response.text
