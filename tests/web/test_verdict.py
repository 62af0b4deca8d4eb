"""The verdict form chooses, never defaults (issue 15): no outcome or date given in advance, and
true or false needs evidence or a stated reason for none; a void needs its reason."""

import re

import pytest
from fastapi.testclient import TestClient

from app.models import Role
from tests.predictions.conftest import prediction_body
from tests.web.conftest import SignIn
from tests.web.test_desk import errors_of, logged, notice_of


@pytest.fixture
def due(client: TestClient, editor_headers: dict[str, str]) -> int:
    return logged(client, editor_headers)


def post(client: TestClient, pid: int, token: str, **fields: str) -> tuple[int, str]:
    response = client.post(f"/predictions/{pid}/resolve", data={"csrf_token": token, **fields})
    return response.status_code, response.text


def verdict(client: TestClient, pid: int) -> object:
    return client.get(f"/api/v1/predictions/{pid}").json()["outcome"]


def test_the_form_starts_with_no_outcome_and_no_date(
    client: TestClient, signed_in: SignIn, due: int
) -> None:
    signed_in(Role.editor)
    page = client.get(f"/predictions/{due}").text
    form = page[page.index('id="resolve"') : page.index("</form>", page.index('id="resolve"'))]
    radios = re.findall(r'<input type="radio"[^>]*name="outcome"[^>]*>', form)
    assert len(radios) == 3
    assert all("required" in r for r in radios)
    assert not any("checked" in r for r in radios)
    date_input = re.search(r'<input id="f-resolved_on"[^>]*>', form, re.S)
    assert date_input is not None
    assert 'value=""' in date_input.group(0)
    assert "required" in date_input.group(0)
    assert "the outcome became known, e.g. 2026-03-31" in form


def test_a_submit_without_outcome_or_date_is_refused_beside_each_field(
    client: TestClient, signed_in: SignIn, due: int
) -> None:
    token = signed_in(Role.editor)
    status, page = post(client, due, token, note="typed before the mistake")
    assert status == 422
    errors = errors_of(page)
    assert errors["outcome"] == "choose the verdict: true, false or void"
    assert "2026-03-31" in errors["resolved_on"]
    assert "typed before the mistake</textarea>" in page
    assert verdict(client, due) is None


def test_true_without_evidence_asks_for_a_link_or_a_reason_for_none(
    client: TestClient, signed_in: SignIn, due: int
) -> None:
    token = signed_in(Role.editor)
    status, page = post(client, due, token, outcome="true", resolved_on="2026-01-02")
    assert status == 422
    assert "no link" in errors_of(page)["evidence_urls"]
    assert re.search(r'value="true" required checked', page)  # the choice is kept
    assert verdict(client, due) is None

    status, page = post(client, due, token, outcome="true", resolved_on="2026-01-02", no_link="1")
    assert status == 422
    assert errors_of(page)["no_link_reason"] == "say why there is no link to the evidence"
    assert verdict(client, due) is None


def test_no_link_with_a_reason_records_the_reason_in_the_note(
    client: TestClient, signed_in: SignIn, due: int
) -> None:
    token = signed_in(Role.editor)
    status, page = post(
        client,
        due,
        token,
        outcome="false",
        resolved_on="2026-01-02",
        no_link="1",
        no_link_reason="read out on the radio, no transcript",
    )
    assert status == 200
    assert notice_of(page) == "Verdict recorded: false."
    recorded = client.get(f"/api/v1/predictions/{due}").json()["resolutions"][0]
    assert recorded["evidence_urls"] == []
    assert recorded["note"] == "No evidence link: read out on the radio, no transcript"


def test_true_with_an_evidence_link_is_recorded(
    client: TestClient, signed_in: SignIn, due: int
) -> None:
    token = signed_in(Role.editor)
    status, page = post(
        client,
        due,
        token,
        outcome="true",
        resolved_on="2026-01-02",
        evidence_urls="https://example.org/no-ceasefire",
    )
    assert status == 200
    assert notice_of(page) == "Verdict recorded: true."
    recorded = client.get(f"/api/v1/predictions/{due}").json()["resolutions"][0]
    assert recorded["resolved_on"] == "2026-01-02"
    assert recorded["evidence_urls"] == ["https://example.org/no-ceasefire"]


def test_void_needs_a_reason(client: TestClient, signed_in: SignIn, due: int) -> None:
    token = signed_in(Role.editor)
    status, page = post(client, due, token, outcome="void", resolved_on="2026-01-02")
    assert status == 422
    assert "void verdict needs a reason" in errors_of(page)["note"]
    status, _page = post(
        client, due, token, outcome="void", resolved_on="2026-01-02", note="The talks never began."
    )
    assert status == 200
    assert verdict(client, due) == "void"


def test_a_failed_condition_voids_without_a_further_reason(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    body = prediction_body(conditional_on="the talks open before June 2025")
    made = client.post("/api/v1/predictions", json=body, headers=editor_headers)
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    token = signed_in(Role.editor)
    assert 'name="condition_met"' in client.get(f"/predictions/{pid}").text
    status, page = post(
        client, pid, token, outcome="void", condition_met="no", resolved_on="2025-06-01"
    )
    assert status == 200, errors_of(page)
    assert verdict(client, pid) == "void"
