"""The journalists' pages through their forms: log, find in an article, resolve, snooze, desk."""

import html
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import ExtractionCandidate, Prediction, Role
from tests.conftest import shared_path
from tests.predictions.conftest import prediction_body
from tests.web.conftest import csrf_of, make_user, sign_in

SignIn = Callable[[Role], str]

ARTICLE = (
    "The talks will almost certainly collapse by the end of 2026. "
    "Inflation is high today. "
    "The central bank will probably cut rates next year."
)


def errors_of(page: str) -> dict[str, str]:
    """Field name → the error shown beside it."""
    found = re.findall(r'class="error" id="(?:f|c\d+)-(\w+)-error">([^<]+)<', page)
    return {name: html.unescape(message) for name, message in found}


def notice_of(page: str) -> str | None:
    found = re.search(r'class="notice" role="status">([^<]+)<', page)
    return html.unescape(found.group(1)) if found else None


def log_form(token: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "author": "Jane Pundit",
        "source_title": "An op-ed",
        "published_on": "2025-03-01",
        "quote": "it will almost certainly rain",
        "claim": "It rains in Paris on 1 January 2026.",
        "hedge": "almost certainly",
        "resolve_by": "by the end of 2025",
    }
    form.update(fields)
    return form


def test_logging_reads_the_hedge_and_the_deadline_words(
    client: TestClient, signed_in: SignIn, engine: Engine
) -> None:
    token = signed_in(Role.editor)
    response = client.post("/predictions/new", data=log_form(token, tags="Weather, Paris"))
    assert response.status_code == 200
    assert notice_of(response.text) == "Logged prediction #1."
    with Session(engine) as session:
        stored = session.exec(select(Prediction)).one()
    # hindsight-v2 gives "almost certainly" 0.95; the deadline words count from the article.
    assert stored.probability == pytest.approx(0.95)
    assert stored.probability_basis == "codebook"
    assert stored.resolve_by.isoformat() == "2025-12-31"
    assert stored.horizon_text == "by the end of 2025"
    assert "95%" in response.text
    assert "Implied by the hedge" in response.text


def test_a_typed_percentage_wins_over_the_hedge(client: TestClient, signed_in: SignIn) -> None:
    token = signed_in(Role.editor)
    response = client.post("/predictions/new", data=log_form(token, probability="70%"))
    assert notice_of(response.text) == "Logged prediction #1."
    detail = client.get("/api/v1/predictions/1").json()
    assert detail["probability"] == pytest.approx(0.7)


def test_errors_sit_beside_their_fields_and_nothing_typed_is_lost(
    client: TestClient, signed_in: SignIn, engine: Engine
) -> None:
    token = signed_in(Role.editor)
    form = log_form(token, author="", claim="", probability="150", quote="Rain, surely")
    response = client.post("/predictions/new", data=form)
    assert response.status_code == 422
    errors = errors_of(response.text)
    assert errors["author"].startswith("say whose forecast this is")
    assert errors["claim"] == "this field is required"
    assert "write 70% or 0.7" in errors["probability"]
    assert 'value="150"' in response.text
    assert "Rain, surely" in response.text
    with Session(engine) as session:
        assert session.exec(select(Prediction)).first() is None


def test_unknown_hedge_words_and_deadline_words_are_named(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    response = client.post(
        "/predictions/new", data=log_form(token, hedge="who knows", resolve_by="sometime")
    )
    assert response.status_code == 422
    errors = errors_of(response.text)
    # The service stops at the first problem: the hedge is read before the deadline.
    assert set(errors) == {"hedge"}
    assert "who knows" in response.text
    fixed = client.post("/predictions/new", data=log_form(token, resolve_by="sometime"))
    assert "resolve_by" in errors_of(fixed.text)


def test_live_previews_answer_the_codebook_number_and_the_date(
    client: TestClient, signed_in: SignIn
) -> None:
    signed_in(Role.editor)
    hedge = client.get("/preview/hedge", params={"value": "very likely"}).json()
    assert hedge["ok"] is True
    assert hedge["text"].startswith("hindsight-v2: ")
    unknown = client.get("/preview/hedge", params={"value": "zzz"}).json()
    assert unknown["ok"] is False
    deadline = client.get(
        "/preview/deadline",
        params={"value": "by the end of next year", "published_on": "2025-03-14"},
    ).json()
    assert deadline == {"ok": True, "text": "31 Dec 2026", "date": "2026-12-31"}


def extract(client: TestClient, token: str, text: str = ARTICLE) -> str:
    response = client.post(
        "/extract",
        data={
            "csrf_token": token,
            "text": text,
            "author": "Jane Pundit",
            "published_on": "2025-03-14",
        },
    )
    assert response.status_code == 200, response.text
    return response.text


def test_from_an_article_highlights_candidates_and_accepts_with_edits(
    client: TestClient, signed_in: SignIn, engine: Engine
) -> None:
    token = signed_in(Role.editor)
    page = extract(client, token)
    marks = re.findall(r'<mark id="c-(\d+)">([^<]+)</mark>', page)
    assert [n for n, _ in marks] == ["0", "1"]
    assert all(words in ARTICLE for _, words in marks)
    source_id = re.search(r"/sources/(\d+)/candidates/0/accept", page)
    assert source_id
    accepted = client.post(
        f"/sources/{source_id.group(1)}/candidates/1/accept",
        data={
            "csrf_token": token,
            "resolve_by": "by the end of 2027",
            "claim": "The central bank cuts its policy rate in 2026.",
            "author": "Jane Pundit",
            "tags": "rates",
        },
    )
    assert notice_of(accepted.text) == "Logged as prediction #1."
    assert 'href="/predictions/1">prediction #1<' in accepted.text
    detail = client.get("/api/v1/predictions/1").json()
    assert detail["resolve_by"] == "2027-12-31"
    assert detail["claim"] == "The central bank cuts its policy rate in 2026."
    assert detail["probability_basis"] == "codebook"
    assert detail["tags"] == ["rates"]


def test_rejecting_needs_a_reason_and_keeps_it(
    client: TestClient, signed_in: SignIn, engine: Engine
) -> None:
    token = signed_in(Role.editor)
    page = extract(client, token)
    source_id = re.search(r"/sources/(\d+)/candidates/0/reject", page)
    assert source_id
    url = f"/sources/{source_id.group(1)}/candidates/0/reject"
    empty = client.post(url, data={"csrf_token": token, "reason": ""})
    assert empty.status_code == 422
    assert "say why" in empty.text
    done = client.post(url, data={"csrf_token": token, "reason": "a description, not a forecast"})
    assert notice_of(done.text) == "Rejected."
    with Session(engine) as session:
        row = session.exec(select(ExtractionCandidate).where(ExtractionCandidate.n == 0)).one()
    assert (row.status, row.reason) == ("rejected", "a description, not a forecast")


def test_the_example_op_ed_yields_candidates_to_accept(
    client: TestClient, signed_in: SignIn
) -> None:
    text = shared_path("examples", "seed-op-ed.txt").read_text()
    token = signed_in(Role.editor)
    page = extract(client, token, text)
    assert page.count("<mark ") >= 2
    assert page.count('class="accept"') >= 2


def logged(client: TestClient, editor_headers: dict[str, str]) -> int:
    response = client.post("/api/v1/predictions", json=prediction_body(), headers=editor_headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def test_a_verdict_is_recorded_and_a_second_replaces_it_with_history(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    token = signed_in(Role.editor)
    page = client.get(f"/predictions/{pid}").text
    assert "no ceasefire will materialize" in page
    first = client.post(
        f"/predictions/{pid}/resolve",
        data={
            "csrf_token": token,
            "outcome": "true",
            "resolved_on": "2026-01-02",
            "evidence_urls": "https://example.org/a\nhttps://example.org/b",
            "note": "No ceasefire in 2025.",
        },
    )
    assert notice_of(first.text) == "Verdict recorded: true."
    verdicts = client.get(f"/api/v1/predictions/{pid}").json()["resolutions"]
    assert verdicts[0]["evidence_urls"] == ["https://example.org/a", "https://example.org/b"]
    assert "Replace the verdict" in first.text
    supersedes = re.search(r'name="supersedes" value="(\d+)"', first.text)
    assert supersedes
    second = client.post(
        f"/predictions/{pid}/resolve",
        data={
            "csrf_token": token,
            "outcome": "void",
            "resolved_on": "2026-01-03",
            "note": "The question was badly put.",
            "supersedes": supersedes.group(1),
        },
    )
    assert notice_of(second.text) == "Verdict recorded: void."
    assert "(replaced)" in second.text
    detail = client.get(f"/api/v1/predictions/{pid}").json()
    assert detail["outcome"] == "void"
    assert [r["action"] for r in detail["revisions"]][-2:] == ["resolve", "supersede"]


def test_a_verdict_dated_in_the_future_is_refused_beside_the_date(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    token = signed_in(Role.editor)
    response = client.post(
        f"/predictions/{pid}/resolve",
        data={
            "csrf_token": token,
            "outcome": "true",
            "resolved_on": "2027-01-01",
            "evidence_urls": "https://example.org/later",
        },
    )
    assert response.status_code == 422
    assert "in the future" in errors_of(response.text)["resolved_on"]
    assert 'value="2027-01-01"' in response.text
    assert client.get(f"/api/v1/predictions/{pid}").json()["outcome"] is None


def test_a_due_prediction_can_be_snoozed(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    assert client.get(f"/api/v1/predictions/{pid}").json()["status"] == "due"
    token = signed_in(Role.editor)
    response = client.post(
        f"/predictions/{pid}/snooze",
        data={"csrf_token": token, "until": "2027-01-15", "reason": "talks resume in January"},
    )
    assert notice_of(response.text) == "Snoozed until 2027-01-15."
    assert client.get(f"/api/v1/predictions/{pid}").json()["snoozed_until"] == "2027-01-15"


def test_viewers_see_no_verdict_form_and_cannot_post_one(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    make_user(engine, "viewer-web@example.org", Role.viewer)
    token = sign_in(client, "viewer-web@example.org")
    page = client.get(f"/predictions/{pid}").text
    assert 'id="resolve"' not in page
    assert "Log a prediction" not in page
    refused = client.post(
        f"/predictions/{pid}/resolve", data={"csrf_token": token, "outcome": "true"}
    )
    assert refused.status_code == 403
    assert client.get(f"/api/v1/predictions/{pid}").json()["outcome"] is None


def test_the_desk_shows_overdue_with_age_and_recent_work(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    overdue = logged(client, editor_headers)
    soon = client.post(
        "/api/v1/predictions",
        json=prediction_body(quote="no ceasefire", claim="Soon.", resolve_by="2026-11-30"),
        headers=editor_headers,
    ).json()["id"]
    signed_in(Role.editor)
    page = client.get("/desk").text
    sections = {h: page.split(f">{h} ")[1] for h in ("Overdue", "Due this week")}
    # Deadline 2025-12-31, today 2026-11-25 by the test clock: 329 days.
    assert f'href="/predictions/{overdue}"' in sections["Overdue"].split("</section>")[0]
    assert "329 days overdue" in page
    assert ">Andrew Latham</a> · deadline" in sections["Overdue"]
    assert f'href="/predictions/{soon}"' in sections["Due this week"].split("</section>")[0]


def test_anonymous_visitors_are_sent_to_sign_in_from_editor_pages(client: TestClient) -> None:
    for path in ("/desk", "/predictions/new", "/extract"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/sign-in?next=")


def test_the_log_form_needs_a_token_too(client: TestClient, signed_in: SignIn) -> None:
    signed_in(Role.editor)
    form = log_form("")
    del form["csrf_token"]
    assert client.post("/predictions/new", data=form).status_code == 403
    assert csrf_of(client.get("/predictions/new").text)


def test_the_log_form_can_start_from_a_recorded_source(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    source_id = client.get(f"/api/v1/predictions/{pid}").json()["source_id"]
    signed_in(Role.editor)
    page = client.get(f"/predictions/new?source={source_id}").text
    assert re.search(rf'<option value="{source_id}" selected>A ceasefire gamble', page)


def test_a_correction_sends_only_what_changed_and_keeps_the_history(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    before = client.get(f"/api/v1/predictions/{pid}").json()
    token = signed_in(Role.editor)
    page = client.get(f"/predictions/{pid}").text
    shown = dict(re.findall(r'<input id="f-(\w+)" name="\w+" type="text" value="([^"]*)"', page))
    form = {
        "csrf_token": token,
        "claim": "No general ceasefire takes effect in 2025.",
        "resolution_criteria": before["resolution_criteria"],
        "probability": html.unescape(shown["probability"]),
        "resolve_by": html.unescape(shown["resolve_by"]),
        "tags": html.unescape(shown["tags"]),
    }
    missing = client.post(f"/predictions/{pid}/correct", data=form)
    assert missing.status_code == 422
    assert errors_of(missing.text)["reason"] == "this field is required"
    done = client.post(f"/predictions/{pid}/correct", data={**form, "reason": "tighter claim"})
    assert notice_of(done.text) == "Correction recorded."
    after = client.get(f"/api/v1/predictions/{pid}").json()
    assert after["claim"] == "No general ceasefire takes effect in 2025."
    # Untouched fields keep their value and where it came from.
    for name in ("probability", "probability_basis", "resolve_by", "horizon_text", "tags"):
        assert after[name] == before[name], name
    revision = after["revisions"][-1]
    assert (revision["action"], revision["reason"]) == ("update", "tighter claim")
    assert revision["before"] == {"claim": before["claim"]}
