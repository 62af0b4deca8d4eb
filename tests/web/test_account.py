"""The account pages: API keys, subscriptions and the password, through the forms."""

import re

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.models import Role
from tests.conftest import make_key
from tests.web.conftest import PASSWORD, SignIn, csrf_of, sign_in

SECRET = re.compile(r'<pre id="new-key"[^>]*>(hs_[^<]+)</pre>')
ME = "viewer-web@example.org"


def make_key_through_the_page(client: TestClient, token: str, name: str = "cms") -> str:
    response = client.post("/account/keys", data={"name": name, "csrf_token": token})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    found = SECRET.search(response.text)
    assert found, response.text
    return found.group(1)


def error_of(html: str, name: str) -> str:
    """The message shown next to a field."""
    found = re.search(rf'id="f-{name}-error">([^<]*)</p>', html)
    assert found, f"the page has no error slot for {name}"
    return found.group(1)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_anonymous_visitors_are_sent_to_sign_in(client: TestClient) -> None:
    for path in ("/account", "/account/keys", "/account/subscriptions", "/account/password"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/sign-in?next=%2Faccount")


def test_the_account_page_says_who_you_are(client: TestClient, signed_in: SignIn) -> None:
    signed_in(Role.editor)
    page = client.get("/account").text
    assert "editor-web@example.org" in page
    assert "<dd>editor</dd>" in page
    for link in ("/account/keys", "/account/subscriptions", "/account/password"):
        assert f'href="{link}"' in page


def test_a_new_key_is_shown_once_and_works_on_the_api(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.viewer)
    secret = make_key_through_the_page(client, token)
    assert (
        "shown only once"
        in client.post("/account/keys", data={"name": "other", "csrf_token": token}).text
    )
    assert client.get("/api/v1/subscriptions", headers=bearer(secret)).status_code == 200
    listing = client.get("/account/keys").text
    prefix = secret.split("_")[1]
    assert f"<code>{prefix}</code>" in listing
    assert secret not in listing
    assert secret.split("_", 2)[2] not in listing


def test_revoking_a_key_makes_the_api_refuse_it(client: TestClient, signed_in: SignIn) -> None:
    token = signed_in(Role.viewer)
    secret = make_key_through_the_page(client, token)
    prefix = secret.split("_")[1]
    response = client.post(f"/account/keys/{prefix}/revoke", data={"csrf_token": token})
    assert response.status_code == 200
    assert f"Key {prefix} revoked." in response.text
    assert "revoked" in response.text
    assert client.get("/api/v1/subscriptions", headers=bearer(secret)).status_code == 401


def test_another_users_key_cannot_be_revoked(
    engine: Engine, client: TestClient, signed_in: SignIn
) -> None:
    theirs = make_key(engine, "other@example.org", Role.viewer)
    token = signed_in(Role.viewer)
    response = client.post(
        f"/account/keys/{theirs.split('_')[1]}/revoke", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert client.get("/api/v1/subscriptions", headers=bearer(theirs)).status_code == 200


def test_posts_without_the_csrf_token_are_refused(client: TestClient, signed_in: SignIn) -> None:
    signed_in(Role.viewer)
    assert client.post("/account/keys", data={"name": "cms"}).status_code == 403
    body = {"channel": "email", "address": "me@example.org", "event:digest.weekly": "on"}
    assert client.post("/account/subscriptions", data=body).status_code == 403
    assert "You have no API keys yet." in client.get("/account/keys").text
    assert "You have no subscriptions yet." in client.get("/account/subscriptions").text


def test_a_bad_email_keeps_the_values_and_is_shown_by_the_address(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.viewer)
    form = {
        "csrf_token": token,
        "channel": "email",
        "address": "not-an-email",
        "event:digest.weekly": "on",
        "tags": "ukraine, energy",
        "timezone": "Europe/Paris",
    }
    response = client.post("/account/subscriptions", data=form)
    assert response.status_code == 422
    assert "enter an email address" in error_of(response.text, "address")
    assert 'value="not-an-email"' in response.text
    assert 'value="ukraine, energy"' in response.text
    assert 'value="Europe/Paris"' in response.text
    assert re.search(r'name="event:digest.weekly" value="on"\s+checked', response.text)


def test_an_email_without_the_address_is_explained_by_the_address(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.viewer)
    form = {"csrf_token": token, "channel": "email", "address": "", "timezone": "UTC"}
    response = client.post("/account/subscriptions", data=form)
    assert response.status_code == 422
    assert "enter an email address" in error_of(response.text, "address")


def test_an_email_subscription_is_listed_seen_by_the_api_and_cancelled(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.viewer)
    secret = make_key_through_the_page(client, token)
    form = {
        "csrf_token": token,
        "channel": "email",
        "address": "Desk@Example.org",
        "url": "https://ignored.example.org/",
        "event:digest.weekly": "on",
        "authors": "jane-doe, john-roe",
        "timezone": "Europe/Paris",
    }
    response = client.post("/account/subscriptions", data=form, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(response.headers["location"]).text
    assert "Subscription created." in page
    assert "desk@example.org" in page
    assert "jane-doe, john-roe" in page
    api = client.get("/api/v1/subscriptions", headers=bearer(secret)).json()
    assert [(s["address"], s["authors"]) for s in api["items"]] == [
        ("desk@example.org", ["jane-doe", "john-roe"])
    ]
    cancel = f"/account/subscriptions/{api['items'][0]['id']}/cancel"
    cancelled = client.post(cancel, data={"csrf_token": token})
    assert "Subscription cancelled." in cancelled.text
    assert "cancelled</span>" in cancelled.text
    assert client.get("/api/v1/subscriptions", headers=bearer(secret)).json()["items"] == []


def test_a_webhook_shows_its_secret_once(client: TestClient, signed_in: SignIn) -> None:
    token = signed_in(Role.viewer)
    form = {
        "csrf_token": token,
        "channel": "webhook",
        "url": "https://hooks.example.org/hindsight",
        "event:prediction.resolved": "on",
        "event:prediction.due": "on",
    }
    response = client.post("/account/subscriptions", data=form)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    secret = re.search(r'<pre id="new-secret"[^>]*>(whsec_[^<]+)</pre>', response.text)
    assert secret
    listing = client.get("/account/subscriptions").text
    assert "prediction.due, prediction.resolved" in listing
    assert secret.group(1) not in listing
    link = re.search(r'href="(/account/subscriptions/\d+)"', listing)
    assert link
    assert "Nothing has been sent to this webhook yet." in client.get(link.group(1)).text


def test_someone_elses_subscription_cannot_be_cancelled(
    engine: Engine, client: TestClient, signed_in: SignIn, admin_headers: dict[str, str]
) -> None:
    body = {"channel": "email", "address": "admin@example.org"}
    theirs = client.post("/api/v1/subscriptions", json=body, headers=admin_headers).json()
    token = signed_in(Role.viewer)
    response = client.post(
        f"/account/subscriptions/{theirs['id']}/cancel", data={"csrf_token": token}
    )
    assert response.status_code == 404
    assert len(client.get("/api/v1/subscriptions", headers=admin_headers).json()["items"]) == 1


def test_a_wrong_current_password_is_refused_beside_it(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.viewer)
    form = {
        "csrf_token": token,
        "current_password": "not my password",
        "new_password": "a brand new passphrase",
        "new_password_again": "a brand new passphrase",
    }
    response = client.post("/account/password", data=form)
    assert response.status_code == 422
    assert "not your current password" in error_of(response.text, "current_password")
    assert "a brand new passphrase" not in response.text


def test_new_passwords_must_match_and_be_long_enough(client: TestClient, signed_in: SignIn) -> None:
    token = signed_in(Role.viewer)
    form = {"csrf_token": token, "current_password": PASSWORD}
    differ = client.post(
        "/account/password", data={**form, "new_password": "x" * 12, "new_password_again": "y" * 12}
    )
    assert "the two new passwords differ" in error_of(differ.text, "new_password_again")
    short = client.post(
        "/account/password", data={**form, "new_password": "short", "new_password_again": "short"}
    )
    assert short.status_code == 422
    assert "at least 12 characters" in error_of(short.text, "new_password")


def test_a_changed_password_is_the_one_that_signs_in(client: TestClient, signed_in: SignIn) -> None:
    token = signed_in(Role.viewer)
    elsewhere = TestClient(client.app)
    sign_in(elsewhere, ME)
    new = "a brand new passphrase"
    form = {
        "csrf_token": token,
        "current_password": PASSWORD,
        "new_password": new,
        "new_password_again": new,
    }
    response = client.post("/account/password", data=form)
    assert response.status_code == 200
    assert "Password changed; other sign-ins were ended." in response.text
    assert client.get("/account", follow_redirects=False).status_code == 200
    assert elsewhere.get("/account", follow_redirects=False).status_code == 303
    client.post("/sign-out", data={"csrf_token": csrf_of(response.text)})
    client.cookies.clear()
    attempt = csrf_of(client.get("/sign-in").text)
    old = client.post("/sign-in", data={"email": ME, "password": PASSWORD, "csrf_token": attempt})
    assert old.status_code == 400
    sign_in(client, ME, new)
    assert ME in client.get("/account").text
