"""Sign-in, sign-out, the session cookie and CSRF tokens, through the forms."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.models import Role, WebSession
from tests.test_transactions import spy_on_hasher
from tests.web.conftest import PASSWORD, csrf_of, make_user, sign_in


def test_sign_in_sets_an_httponly_lax_cookie_and_stores_only_a_hash(
    engine: Engine, client: TestClient
) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    token = csrf_of(client.get("/sign-in").text)
    response = client.post(
        "/sign-in",
        data={"email": "ED@example.org", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = next(c for c in response.headers.get_list("set-cookie") if "hindsight_session" in c)
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    secret = cookie.split(";")[0].split("=", 1)[1]
    with Session(engine) as session:
        stored = session.exec(select(WebSession)).one()
    assert secret not in (stored.token_hash, stored.csrf_token)
    assert client.get("/desk").status_code == 200


def test_wrong_password_keeps_the_email_and_says_what_to_check(
    engine: Engine, client: TestClient
) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    token = csrf_of(client.get("/sign-in").text)
    response = client.post(
        "/sign-in", data={"email": "ed@example.org", "password": "nope", "csrf_token": token}
    )
    assert response.status_code == 400
    assert "the email or the password is wrong" in response.text
    assert 'value="ed@example.org"' in response.text
    assert "hindsight_session" not in response.headers.get("set-cookie", "")


def test_a_form_without_its_csrf_token_is_refused(engine: Engine, client: TestClient) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    client.get("/sign-in")
    response = client.post("/sign-in", data={"email": "ed@example.org", "password": PASSWORD})
    assert response.status_code == 403
    assert "security token" in response.text
    forged = client.post(
        "/sign-in",
        data={"email": "ed@example.org", "password": PASSWORD, "csrf_token": "x" * 43},
    )
    assert forged.status_code == 403


def test_signed_in_forms_need_the_sessions_own_token(engine: Engine, client: TestClient) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    anonymous = csrf_of(client.get("/sign-in").text)
    session_token = sign_in(client, "ed@example.org")
    assert session_token != anonymous
    refused = client.post("/sign-out", data={"csrf_token": anonymous})
    assert refused.status_code == 403
    assert client.get("/desk").status_code == 200


def test_sign_out_ends_the_session_for_a_copied_cookie_too(
    engine: Engine, client: TestClient
) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    token = sign_in(client, "ed@example.org")
    copied = dict(client.cookies)
    response = client.post("/sign-out", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    client.cookies.clear()
    client.cookies.update(copied)
    later = client.get("/desk", follow_redirects=False)
    assert later.status_code == 303
    assert later.headers["location"].startswith("/sign-in?next=")


def test_pages_needing_a_user_send_visitors_to_sign_in_and_back(
    engine: Engine, client: TestClient
) -> None:
    response = client.get("/desk?x=1", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=%2Fdesk%3Fx%3D1"
    make_user(engine, "ed@example.org", Role.editor)
    page = client.get(response.headers["location"])
    token = csrf_of(page.text)
    back = client.post(
        "/sign-in",
        data={
            "email": "ed@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "/desk?x=1",
        },
        follow_redirects=False,
    )
    assert back.headers["location"] == "/desk?x=1"


def test_sign_in_never_redirects_off_site(engine: Engine, client: TestClient) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    token = csrf_of(client.get("/sign-in").text)
    response = client.post(
        "/sign-in",
        data={
            "email": "ed@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/desk"


def test_unknown_pages_answer_html_to_browsers_and_json_to_the_api(client: TestClient) -> None:
    page = client.get("/no-such-page", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    api = client.get("/api/v1/no-such", headers={"Accept": "text/html"})
    assert api.headers["content-type"].startswith("application/json")


def test_sign_in_hashes_with_no_connection_or_transaction_open(
    engine: Engine, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    token = csrf_of(client.get("/sign-in").text)
    seen = spy_on_hasher(monkeypatch, client.app.state.engine)  # type: ignore[attr-defined]
    tries = [
        ("ed@example.org", "a wrong password"),
        ("nobody@example.org", "x"),
        ("ed@example.org", PASSWORD),
    ]
    answers = [
        client.post(
            "/sign-in",
            data={"email": email, "password": password, "csrf_token": token},
            follow_redirects=False,
        ).status_code
        for email, password in tries
    ]
    assert answers == [400, 400, 303]
    # A miss on the email hashes too (same time), so three argon2 calls, none with a connection.
    assert seen == [("verify", 0), ("hash", 0), ("verify", 0)]
