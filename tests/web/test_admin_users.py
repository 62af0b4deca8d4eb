"""Users for admins, through the pages and the API: the list, invitations by one-time link or
by password, role changes after confirmation, deactivation that takes effect at once."""

import hashlib
import html
import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.auth import service as auth
from app.errors import Conflict
from app.models import Invitation, Role, User
from app.web.pages import SESSION_COOKIE
from tests.conftest import MovableClock, make_key
from tests.web.conftest import PASSWORD, csrf_of, make_user, sign_in

ADMIN = "chief@example.org"
NEW_PASSWORD = "a long new passphrase"


def notice_of(page: str) -> str | None:
    found = re.search(r'class="notice" role="status">([^<]+)<', page)
    return html.unescape(found.group(1)) if found else None


def as_admin(client: TestClient, engine: Engine) -> str:
    make_user(engine, ADMIN, Role.admin)
    return sign_in(client, ADMIN)


def user_id(engine: Engine, email: str) -> int:
    with Session(engine) as session:
        user = auth.get_user_by_email(session=session, email=email)
        assert user is not None
        assert user.id is not None
        return user.id


def invite_by_link(client: TestClient, token: str, email: str) -> str:
    form = {"csrf_token": token, "email": email, "role": "editor", "method": "link"}
    page = client.post("/admin/users", data=form)
    assert page.status_code == 200, page.text
    assert page.headers["Cache-Control"] == "no-store"
    found = re.search(r'value="(http[^"]+/invitations/([^"]+))"', page.text)
    assert found, "the page shows no link"
    return found.group(2)


def test_the_list_shows_role_state_last_sign_in_and_key_prefixes(
    client: TestClient, engine: Engine
) -> None:
    make_key(engine, "keyholder@example.org", Role.editor)
    used = make_key(engine, "keyholder@example.org", Role.editor)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {used}"}).is_success
    as_admin(client, engine)  # signing in is the admin's last sign-in: 25 Nov 2026 (the clock)
    words = re.sub(r"<[^>]+>", " ", client.get("/admin/users").text)
    page = " ".join(html.unescape(words).split())
    with Session(engine) as session:
        holder = session.get(User, user_id(engine, "keyholder@example.org"))
        assert holder is not None
        newest, oldest = (k.prefix for k in auth.list_keys(session=session, user=holder))
    assert f"{newest} (last used 25 Nov 2026), {oldest} (last used never)" in page
    chief = page.split(ADMIN, 1)[1]
    assert "Role admin State active Last signed in 25 Nov 2026" in chief


def test_a_one_time_link_sets_a_password_once_and_only_its_hash_is_stored(
    client: TestClient, engine: Engine
) -> None:
    token = as_admin(client, engine)
    secret = invite_by_link(client, token, "new@example.org")
    with Session(engine) as session:
        stored = session.exec(select(Invitation)).one()
        # The link holds the token; the table, its SHA-256 only.
        assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
        assert secret not in str(stored.model_dump())
    assert "Welcome, new@example.org" in client.get(f"/invitations/{secret}").text

    form = {"csrf_token": csrf_of(client.get(f"/invitations/{secret}").text)}
    mismatch = client.post(
        f"/invitations/{secret}",
        data=form | {"new_password": NEW_PASSWORD, "new_password_again": "something else"},
    )
    assert mismatch.status_code == 422
    assert "the two passwords differ" in html.unescape(mismatch.text)
    body = form | {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    done = client.post(f"/invitations/{secret}", data=body)
    assert notice_of(done.text) == "Your password is set: sign in with it."
    again = client.post(f"/invitations/{secret}", data=body)
    assert again.status_code == 404
    assert client.get(f"/invitations/{secret}").status_code == 404
    sign_in(client, "new@example.org", NEW_PASSWORD)


def test_an_invitation_expires_after_seven_days(
    client: TestClient, engine: Engine, clock: MovableClock
) -> None:
    secret = invite_by_link(client, as_admin(client, engine), "late@example.org")
    clock.advance(days=7, seconds=1)
    page = client.get(f"/invitations/{secret}")
    assert page.status_code == 404
    assert "unknown, used or expired: ask an admin for a new one" in html.unescape(page.text)


def test_an_admin_may_set_the_password_instead(client: TestClient, engine: Engine) -> None:
    token = as_admin(client, engine)
    form = {"csrf_token": token, "email": "pw@example.org", "role": "viewer", "method": "password"}
    short = client.post("/admin/users", data=form | {"password": "short"})
    assert short.status_code == 422
    assert "at least 12 characters" in short.text
    done = client.post("/admin/users", data=form | {"password": NEW_PASSWORD})
    assert notice_of(done.text) == "pw@example.org added as viewer, with the password you set."
    sign_in(client, "pw@example.org", NEW_PASSWORD)


def test_a_role_changes_only_after_confirmation_and_the_last_admin_keeps_theirs(
    client: TestClient, engine: Engine
) -> None:
    token = as_admin(client, engine)
    make_user(engine, "writer@example.org", Role.viewer)
    writer = user_id(engine, "writer@example.org")
    asked = client.post(f"/admin/users/{writer}/role", data={"csrf_token": token, "role": "editor"})
    assert "Make writer@example.org a editor?" in html.unescape(asked.text)
    with Session(engine) as session:
        assert session.get(User, writer).role == "viewer"  # type: ignore[union-attr]
    form = {"csrf_token": token, "role": "editor", "confirmed": "yes"}
    done = client.post(f"/admin/users/{writer}/role", data=form)
    assert notice_of(done.text) == "writer@example.org is now editor."

    chief = user_id(engine, ADMIN)
    form = {"csrf_token": token, "role": "editor", "confirmed": "yes"}
    refused = client.post(f"/admin/users/{chief}/role", data=form)
    assert refused.status_code == 409
    assert "is the only active admin" in refused.text


def test_deactivation_stops_the_users_key_and_session_at_once(
    client: TestClient, engine: Engine
) -> None:
    token = as_admin(client, engine)
    make_user(engine, "leaver@example.org", Role.editor)
    key = make_key(engine, "leaver@example.org", Role.editor)
    leaver = user_id(engine, "leaver@example.org")
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    with TestClient(client.app) as theirs:
        sign_in(theirs, "leaver@example.org")
        assert theirs.get("/desk").status_code == 200

        asked = client.post(f"/admin/users/{leaver}/deactivate", data={"csrf_token": token})
        assert "Deactivate leaver@example.org?" in asked.text
        assert theirs.get("/desk").status_code == 200  # not yet: only asked
        form = {"csrf_token": token, "confirmed": "yes"}
        done = client.post(f"/admin/users/{leaver}/deactivate", data=form)
        assert notice_of(done.text) == (
            "leaver@example.org deactivated: 1 API keys revoked, 1 sessions ended."
        )

        assert client.get("/api/v1/me", headers=headers).status_code == 401
        signed_out = theirs.get("/desk", follow_redirects=False)
        assert signed_out.status_code == 303
        assert signed_out.headers["location"].startswith("/sign-in")
        assert theirs.cookies.get(SESSION_COOKIE)  # the browser still sends it: it is dead
    refused = client.post(
        "/sign-in",
        data={"email": "leaver@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert refused.status_code in (400, 403)


def test_an_invitation_reactivates_a_deactivated_user(client: TestClient, engine: Engine) -> None:
    token = as_admin(client, engine)
    make_user(engine, "back@example.org", Role.editor)
    back = user_id(engine, "back@example.org")
    form = {"csrf_token": token, "confirmed": "yes"}
    client.post(f"/admin/users/{back}/deactivate", data=form)
    page = client.post(f"/admin/users/{back}/invitation", data={"csrf_token": token})
    secret = re.search(r"/invitations/([^\"]+)\"", page.text).group(1)  # type: ignore[union-attr]
    body = {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    anonymous = TestClient(client.app)
    body["csrf_token"] = csrf_of(anonymous.get(f"/invitations/{secret}").text)
    anonymous.post(f"/invitations/{secret}", data=body)
    sign_in(anonymous, "back@example.org", NEW_PASSWORD)


def test_the_api_changes_roles_deactivates_and_invites(
    client: TestClient, engine: Engine, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    key = make_key(engine, "api-user@example.org", Role.viewer)
    target = user_id(engine, "api-user@example.org")
    changed = client.patch(
        f"/api/v1/users/{target}", json={"role": "editor"}, headers=admin_headers
    )
    assert changed.json()["role"] == "editor"
    wrong = client.patch(f"/api/v1/users/{target}", json={"role": "boss"}, headers=admin_headers)
    assert wrong.status_code == 422
    assert "role" in wrong.json()["detail"]

    invited = client.post(f"/api/v1/users/{target}/invitation", headers=admin_headers)
    assert invited.status_code == 201
    assert "/invitations/" in invited.json()["link"]
    expires = clock.now() + timedelta(days=7)
    assert invited.json()["expires_at"].startswith(expires.date().isoformat())

    gone = client.post(f"/api/v1/users/{target}/deactivate", headers=admin_headers)
    assert (gone.json()["keys_revoked"], gone.json()["user"]["active"]) == (1, False)
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 401
    listed = client.get("/api/v1/users", headers=admin_headers).json()["items"]
    assert {u["email"]: u["active"] for u in listed}["api-user@example.org"] is False
    own = client.get("/api/v1/me", headers=admin_headers).json()["id"]
    assert client.post(f"/api/v1/users/{own}/deactivate", headers=admin_headers).status_code == 409


def test_two_tabs_cannot_both_use_one_invitation(engine: Engine, clock: MovableClock) -> None:
    with Session(engine) as session:
        user = auth.create_user(session=session, email="twice@example.org", role=Role.editor)
        token = auth.invite(session=session, user=user, by=None, now=clock.now()).token
        session.commit()
    # Both tabs loaded the live link before either sent its password.
    first, second = Session(engine), Session(engine)
    with first, second:
        found = [
            auth.find_invitation(session=s, token=token, now=clock.now()) for s in (first, second)
        ]
        for s in (first, second):
            s.rollback()  # end the reads: the writes below take the lock in turn
        invitation, invitee = found[0]
        auth.accept_invitation(
            session=first, invitation=invitation, user=invitee, password_hash="h1", now=clock.now()
        )
        first.commit()
        invitation, invitee = found[1]
        with pytest.raises(Conflict, match="was used already"):
            auth.accept_invitation(
                session=second,
                invitation=invitation,
                user=invitee,
                password_hash="h2",
                now=clock.now(),
            )
    with Session(engine) as session:
        stored = auth.get_user_by_email(session=session, email="twice@example.org")
        assert stored is not None
        assert stored.password_hash == "h1"
