"""Conditional forecasts resolve by rule: the verdict states condition_met (issue 13)."""

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import ProposedVerdict, Role
from tests.conftest import MovableClock
from tests.predictions.conftest import prediction_body
from tests.web.conftest import make_user, sign_in

URL = "/api/v1/predictions"
CONDITION = "the U.S. offers Russia sanctions relief in 2025"


def logged(client: TestClient, headers: dict[str, str], **overrides: object) -> int:
    response = client.post(URL, json=prediction_body(**overrides), headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def verdict(client: TestClient, headers: dict[str, str], pid: int, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return client.post(f"{URL}/{pid}/resolution", json=body, headers=headers)


def test_a_verdict_on_a_conditional_prediction_must_state_condition_met(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers, conditional_on=CONDITION)
    response = verdict(client, editor_headers, pid, {"outcome": "true"})
    assert response.status_code == 422
    assert response.json()["field"] == "condition_met"
    assert CONDITION in response.json()["detail"]
    assert client.get(f"{URL}/{pid}").json()["resolutions"] == []


def test_a_met_condition_lets_the_outcome_stand_and_is_stored(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers, conditional_on=CONDITION)
    response = verdict(client, editor_headers, pid, {"outcome": "false", "condition_met": True})
    assert response.status_code == 201, response.text
    assert (response.json()["status"], response.json()["resolution"]["condition_met"]) == (
        "resolved",
        True,
    )
    detail = client.get(f"{URL}/{pid}").json()
    assert (detail["outcome"], detail["resolutions"][0]["condition_met"]) == ("false", True)


def test_a_failed_condition_without_an_outcome_voids_the_prediction(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers, conditional_on=CONDITION)
    response = verdict(client, editor_headers, pid, {"condition_met": False})
    assert response.status_code == 201, response.text
    assert (response.json()["status"], response.json()["resolution"]["outcome"]) == ("void", "void")
    assert response.json()["resolution"]["condition_met"] is False


def test_a_failed_condition_takes_void_explicitly(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers, conditional_on=CONDITION)
    response = verdict(client, editor_headers, pid, {"outcome": "void", "condition_met": False})
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "void"


def test_true_or_false_on_a_failed_condition_is_refused(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers, conditional_on=CONDITION)
    for outcome in ("true", "false"):
        response = verdict(
            client, editor_headers, pid, {"outcome": outcome, "condition_met": False}
        )
        assert response.status_code == 422, outcome
        assert response.json()["field"] == "outcome"
        assert '"outcome": "void"' in response.json()["detail"]
    assert client.get(f"{URL}/{pid}").json()["status"] != "resolved"


def test_a_prediction_without_a_condition_refuses_condition_met(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    refused = verdict(client, editor_headers, pid, {"outcome": "true", "condition_met": True})
    assert refused.status_code == 422
    assert refused.json()["field"] == "condition_met"
    plain = verdict(client, editor_headers, pid, {"outcome": "true"})
    assert plain.status_code == 201, plain.text
    assert plain.json()["resolution"]["condition_met"] is None


def test_an_outcome_is_still_required_when_the_condition_was_met(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers, conditional_on=CONDITION)
    response = verdict(client, editor_headers, pid, {"condition_met": True})
    assert response.status_code == 422
    assert response.json()["field"] == "outcome"


def test_the_verdict_form_asks_whether_the_condition_was_met(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers, conditional_on=CONDITION)
    make_user(engine, "desk@example.org", Role.editor)
    token = sign_in(client, "desk@example.org")
    assert 'name="condition_met"' in client.get(f"/predictions/{pid}").text
    form = {"csrf_token": token, "outcome": "true"}
    unanswered = client.post(f"/predictions/{pid}/resolve", data=form)
    assert unanswered.status_code == 422
    voided = client.post(
        f"/predictions/{pid}/resolve",
        data=form | {"outcome": "void", "condition_met": "no", "resolved_on": "2026-11-25"},
    )
    assert voided.status_code == 200, voided.text
    detail = client.get(f"{URL}/{pid}").json()
    assert (detail["status"], detail["resolutions"][0]["condition_met"]) == ("void", False)


def test_a_proposed_verdict_cannot_settle_a_conditional_prediction(
    client: TestClient, engine: Engine, editor_headers: dict[str, str], clock: MovableClock
) -> None:
    pid = logged(client, editor_headers, conditional_on=CONDITION)
    with Session(engine) as session:
        proposal = ProposedVerdict(
            prediction_id=pid,
            outcome="true",
            resolved_on=clock.now().date(),
            evidence_url="https://manifold.markets/u/q",
            source="manifold",
            status="proposed",
            created_at=clock.now(),
        )
        session.add(proposal)
        session.commit()
        proposal_id = proposal.id
    response = client.post(f"/api/v1/proposals/{proposal_id}/confirm", headers=editor_headers)
    assert response.status_code == 422
    assert response.json()["field"] == "condition_met"
    assert f"/predictions/{pid}/resolution" in response.json()["detail"]
    assert client.get(f"{URL}/{pid}").json()["resolutions"] == []
