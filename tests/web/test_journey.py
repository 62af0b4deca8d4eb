"""What a journalist stumbled on in a day's work in the browser (issue 15, tried as a new
user), each fixed and held here: a page names what it is, an error speaks the page's words,
and nothing a day needs is left to the API."""

import html
import re

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import Prediction, Role
from tests.predictions.conftest import prediction_body
from tests.web.conftest import SignIn
from tests.web.test_desk import errors_of, log_form, logged, notice_of

ARTICLE = "The minister will almost certainly resign by the end of 2026, our correspondent writes."


def test_an_article_pasted_with_its_title_is_named_by_it_not_by_a_number(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    assert 'name="title"' in client.get("/extract").text
    response = client.post(
        "/extract",
        data={"csrf_token": token, "text": ARTICLE, "title": "The minister's last winter"},
    )
    assert response.status_code == 200, response.text
    page = html.unescape(response.text)
    assert "<h1>Forecasts found in The minister's last winter</h1>" in page
    assert "source #" not in page


def test_an_error_beside_a_field_speaks_its_label_not_the_api_field_name(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    page = client.post(
        "/extract", data={"csrf_token": token, "text": "The minister will almost certainly resign."}
    ).text
    source = re.search(r"/sources/(\d+)/candidates/0/accept", page)
    assert source, "the sentence is a candidate"
    refused = client.post(
        f"/sources/{source.group(1)}/candidates/0/accept",
        data={"csrf_token": token, "author": "Jane Pundit"},
    )
    assert refused.status_code == 422
    message = errors_of(refused.text)["resolve_by"]
    assert message == "the text names no deadline; give one, e.g. 'by the end of 2026'"


def test_the_history_shows_a_dash_where_there_was_nothing_before_not_none(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    logged = client.post("/predictions/new", data=log_form(token))
    pid = re.search(r"Logged prediction #(\d+)", notice_of(logged.text) or "")
    assert pid
    resolved = client.post(
        f"/predictions/{pid.group(1)}/resolve",
        data={
            "csrf_token": token,
            "outcome": "true",
            "resolved_on": "2025-06-01",
            "evidence_urls": "https://example.org/it-rained",
        },
    )
    history = resolved.text.split('id="history-h"')[1]
    assert "outcome: — → true" in html.unescape(history)
    assert "None" not in history


def test_an_admin_withdraws_an_open_prediction_from_its_page_with_a_reason(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str], engine: Engine
) -> None:
    pid = logged(client, editor_headers)
    signed_in(Role.editor)
    assert f'action="/predictions/{pid}/withdraw"' not in client.get(f"/predictions/{pid}").text
    token = signed_in(Role.admin)
    page = client.get(f"/predictions/{pid}").text
    assert f'action="/predictions/{pid}/withdraw"' in page
    assert '<label for="f-withdraw_reason">Reason for withdrawing' in page
    url = f"/predictions/{pid}/withdraw"
    empty = client.post(url, data={"csrf_token": token, "withdraw_reason": ""})
    assert empty.status_code == 422
    assert "withdraw_reason" in errors_of(empty.text)
    assert 'id="withdraw-box" open' in empty.text
    done = client.post(url, data={"csrf_token": token, "withdraw_reason": "logged twice"})
    assert notice_of(done.text) == f"Prediction #{pid} withdrawn."
    with Session(engine) as session:
        row = session.get(Prediction, pid)
        assert row is not None
        assert row.status == "withdrawn"
    assert f'action="/predictions/{pid}/withdraw"' not in done.text


def test_the_log_form_links_a_question_whose_resolution_proposes_the_verdict(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    question = "https://manifold.markets/someone/will-it-rain-in-paris"
    logged = client.post(
        "/predictions/new", data=log_form(token, check_url=question, check_negated="1")
    )
    pid = re.search(r"Logged prediction #(\d+)", notice_of(logged.text) or "")
    assert pid, logged.text
    check = client.get(f"/api/v1/predictions/{pid.group(1)}").json()["check"]
    assert (check["kind"], check["url"], check["yes_means"]) == ("manifold", question, "false")
    assert f'Linked question: <a href="{question}"' in logged.text
    metaculus = "https://www.metaculus.com/questions/12345/rain/"
    again = client.post(
        "/predictions/new",
        data=log_form(token, check_url=metaculus, quote="it will almost certainly snow"),
    )
    pid = re.search(r"Logged prediction #(\d+)", notice_of(again.text) or "")
    assert pid, errors_of(again.text)
    assert client.get(f"/api/v1/predictions/{pid.group(1)}").json()["check"]["kind"] == "metaculus"
    wrong = client.post("/predictions/new", data=log_form(token, check_url="https://example.org/q"))
    assert wrong.status_code == 422
    assert "question page" in errors_of(wrong.text)["check_url"]
    assert 'value="https://example.org/q"' in wrong.text


def test_the_predictions_list_names_the_outlet_as_readers_know_it_not_by_its_slug(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    body = prediction_body(
        source={
            "url": "https://planet.example/rates",
            "title": "Rates",
            "outlet": {"name": "The Daily Planet"},
            "published_at": "2025-01-10T09:00:00Z",
        }
    )
    logged = client.post("/api/v1/predictions", json=body, headers=editor_headers)
    assert logged.status_code == 201, logged.text
    page = client.get("/predictions").text
    assert '<a href="/outlets/the-daily-planet">The Daily Planet</a>' in page


def test_a_prediction_page_says_whose_verdict_it_awaits_and_leads_back_to_the_desk(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    token = signed_in(Role.editor)
    page = html.unescape(client.get(f"/predictions/{pid}").text)
    # Whoever logs it gives the verdict until someone reassigns it.
    assert "Verdict to be given by editor ·" in page
    assert '<a href="/review">The review desk</a>' in page
    form = {"csrf_token": token, "assignee": "editor-web@example.org", "show": "all"}
    form["previous"] = "editor@example.org"
    assert client.post(f"/review/{pid}/assign", data=form).status_code == 200
    page = html.unescape(client.get(f"/predictions/{pid}").text)
    assert "Verdict to be given by editor-web ·" in page


def test_a_prediction_from_an_article_links_back_to_the_articles_forecasts(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    page = client.post("/extract", data={"csrf_token": token, "text": ARTICLE}).text
    source = re.search(r"/sources/(\d+)/candidates/0/accept", page)
    assert source
    # The article came without a date: accepting says so, and where to give it.
    undated = client.post(
        f"/sources/{source.group(1)}/candidates/0/accept",
        data={"csrf_token": token, "author": "Jane Pundit"},
    )
    assert undated.status_code == 422
    alert = re.search(r'class="error form-error" role="alert">([^<]+)<', undated.text)
    assert alert, "the refusal is said on the page"
    assert "“Published on” date under “Edit the source”" in html.unescape(alert.group(1))
    dated = client.post(
        f"/sources/{source.group(1)}/edit",
        data={"csrf_token": token, "published_on": "2025-03-14"},
    )
    assert dated.status_code == 200, errors_of(dated.text)
    accepted = client.post(
        f"/sources/{source.group(1)}/candidates/0/accept",
        data={"csrf_token": token, "author": "Jane Pundit"},
    )
    assert notice_of(accepted.text) == "Logged as prediction #1.", errors_of(accepted.text)
    prediction = client.get("/predictions/1").text
    assert f'<a href="/sources/{source.group(1)}/candidates">The article\'s forecasts</a>' in (
        html.unescape(prediction)
    )


def test_a_verdict_sent_after_a_colleagues_says_so_and_keeps_what_was_typed(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    token = signed_in(Role.editor)
    form = {
        "csrf_token": token,
        "outcome": "false",
        "resolved_on": "2025-09-01",
        "evidence_urls": "https://example.org/first",
    }
    first = client.post(f"/predictions/{pid}/resolve", data=form)
    assert notice_of(first.text) == "Verdict recorded: false."
    # A second journalist's page was opened before: it carries no `supersedes`.
    late = client.post(
        f"/predictions/{pid}/resolve",
        data=form | {"outcome": "true", "evidence_urls": "https://example.org/mine"},
    )
    assert late.status_code == 409
    alert = re.search(r'class="error form-error" role="alert">([^<]+)<', late.text)
    assert alert, "the refusal is said on the page"
    assert "a colleague recorded a verdict meanwhile" in html.unescape(alert.group(1))
    assert "supersedes" not in alert.group(1)
    assert "https://example.org/mine</textarea>" in late.text
    # Sent again from the page shown, it replaces the colleague's verdict.
    current = re.search(r'name="supersedes" value="(\d+)"', late.text)
    assert current
    again = client.post(
        f"/predictions/{pid}/resolve",
        data=form
        | {"outcome": "true", "evidence_urls": "https://example.org/mine"}
        | {"supersedes": current.group(1)},
    )
    assert notice_of(again.text) == "Verdict recorded: true."


def test_the_digest_preview_says_whose_predictions_it_covers(
    client: TestClient, signed_in: SignIn
) -> None:
    signed_in(Role.editor)
    page = html.unescape(client.get("/review/digest").text)
    assert "the predictions you logged or are assigned to give the verdict on" in page


def test_the_log_forms_errors_name_its_controls_not_the_api_fields(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    hedge = client.post("/predictions/new", data=log_form(token, quote="it will rain")).text
    message = errors_of(hedge)["hedge"]
    assert "choose “mine, not in the quote” under “The hedge words are”" in message
    assert "hedge_from" not in message
    early = client.post("/predictions/new", data=log_form(token, published_on="2026-03-01")).text
    message = errors_of(early)["resolve_by"]
    assert "which is before the date it was published, 2026-03-01" in message
    assert "made_at" not in message


def test_the_desk_leads_back_to_articles_with_candidates_still_to_decide(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    client.post("/extract", data={"csrf_token": token, "text": ARTICLE, "title": "Last winter"})
    page = html.unescape(client.get("/desk").text)
    assert '<a href="/sources/1/candidates">Last winter</a>' in page
    assert "1 candidate to accept or reject" in page
    rejected = client.post(
        "/sources/1/candidates/0/reject", data={"csrf_token": token, "reason": "a report"}
    )
    assert rejected.status_code == 200, errors_of(rejected.text)
    assert "Articles in progress" not in client.get("/desk").text


def test_a_date_refused_beside_its_field_is_not_named_by_the_api_field(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    token = signed_in(Role.editor)
    verdict = {"outcome": "true", "evidence_urls": "https://example.org/later"}
    future = client.post(
        f"/predictions/{pid}/resolve",
        data={"csrf_token": token, "resolved_on": "2027-01-01", **verdict},
    )
    assert errors_of(future.text)["resolved_on"].startswith("2027-01-01 is in the future")
    past = client.post(
        f"/predictions/{pid}/snooze",
        data={"csrf_token": token, "until": "2020-01-01", "reason": "not yet known"},
    )
    assert errors_of(past.text)["until"] == "2020-01-01 must be after today (2026-11-25)"


def test_an_untitled_article_in_progress_goes_by_its_first_words(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    client.post("/extract", data={"csrf_token": token, "text": ARTICLE})
    page = html.unescape(client.get("/desk").text)
    assert '<a href="/sources/1/candidates">“The minister will almost certainly resign by' in page


def test_an_untitled_articles_candidates_page_goes_by_its_first_words(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    page = client.post("/extract", data={"csrf_token": token, "text": ARTICLE}).text
    heading = re.search(r"<h1>(.*?)</h1>", page)
    assert heading
    assert html.unescape(heading.group(1)).startswith("Forecasts found in “The minister will")
    assert "<title>Candidates in “The minister will" in html.unescape(page)
    assert "source #" not in page


def test_a_form_address_left_in_the_address_bar_leads_back_to_its_page(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    pid = logged(client, editor_headers)
    signed_in(Role.editor)
    for action in ("resolve", "snooze", "correct", "withdraw"):
        response = client.get(f"/predictions/{pid}/{action}", follow_redirects=False)
        assert response.status_code == 303, action
        assert response.headers["location"] == f"/predictions/{pid}"
    accept = client.get("/sources/3/candidates/12/accept", follow_redirects=False)
    assert accept.status_code == 303
    assert accept.headers["location"] == "/sources/3/candidates#candidate-12"
