"""Access control as one table: every route, API and pages, called as six identities and checked
against the minimum each route needs (issue 11, deliverable 5)."""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.auth import service as auth
from app.config import Settings
from app.main import create_app
from app.models import ApiKey, ProposedVerdict, Role
from app.web.pages import SESSION_COOKIE
from tests.conftest import MovableClock, make_key
from tests.live import serving
from tests.predictions.conftest import prediction_body
from tests.web.conftest import PASSWORD, csrf_of, make_user, sign_in

# Who may call a route, written from the policy, not read from the code:
# a Role: that role or higher; READER: anyone while HINDSIGHT_PUBLIC_READS is on, else a viewer;
# OPEN: no credential is read at all; PUBLIC: a page anyone may load;
# OWN: a viewer's route, called on ANOTHER user's row: 404 (its existence is not revealed) to
#      all but an admin, who may reach anyone's; MINE: the same on a page, 404 to admins too.
OPEN, PUBLIC, READER, OWN, MINE = "open", "public", "reader", "own", "mine"
Rule = Role | str

API_TABLE: dict[tuple[str, str], Rule] = {
    ("GET", "/healthz"): OPEN,
    ("POST", "/api/v1/authors"): Role.editor,
    ("GET", "/api/v1/authors"): READER,
    ("GET", "/api/v1/authors/{slug}"): READER,
    ("PATCH", "/api/v1/authors/{slug}"): Role.editor,
    ("GET", "/api/v1/authors/{slug}/track-record"): READER,
    ("GET", "/api/v1/authors/{slug}/calibration.svg"): READER,
    ("GET", "/api/v1/leaderboard"): READER,
    ("GET", "/api/v1/codebooks"): READER,
    ("GET", "/api/v1/codebooks/{version}"): READER,
    ("GET", "/api/v1/log/checkpoint"): READER,
    ("GET", "/api/v1/log/key"): READER,
    ("GET", "/api/v1/log/entries"): READER,
    ("GET", "/api/v1/log/proof/inclusion"): READER,
    ("GET", "/api/v1/log/proof/consistency"): READER,
    ("POST", "/api/v1/outlets"): Role.editor,
    ("GET", "/api/v1/outlets"): READER,
    ("GET", "/api/v1/outlets/{slug}"): READER,
    ("PATCH", "/api/v1/outlets/{slug}"): Role.editor,
    ("POST", "/api/v1/sources"): Role.editor,
    ("GET", "/api/v1/sources"): READER,
    ("GET", "/api/v1/sources/{source_id}"): READER,
    ("GET", "/api/v1/sources/{source_id}/candidates"): READER,
    ("POST", "/api/v1/sources/{source_id}/candidates/{n}/accept"): Role.editor,
    ("POST", "/api/v1/sources/{source_id}/candidates/{n}/reject"): Role.editor,
    ("POST", "/api/v1/extract"): Role.editor,
    ("POST", "/api/v1/predictions"): Role.editor,
    ("GET", "/api/v1/predictions"): READER,
    ("GET", "/api/v1/predictions/export"): READER,
    ("POST", "/api/v1/predictions/import"): Role.editor,
    ("GET", "/api/v1/predictions/{prediction_id}"): READER,
    ("PATCH", "/api/v1/predictions/{prediction_id}"): Role.editor,
    ("POST", "/api/v1/predictions/{prediction_id}/withdraw"): Role.admin,
    ("POST", "/api/v1/predictions/{prediction_id}/resolution"): Role.editor,
    ("POST", "/api/v1/predictions/{prediction_id}/snooze"): Role.editor,
    ("POST", "/api/v1/predictions/{prediction_id}/assign"): Role.editor,
    ("GET", "/api/v1/proposals"): Role.editor,
    ("POST", "/api/v1/proposals/{proposal_id}/confirm"): Role.editor,
    ("POST", "/api/v1/proposals/{proposal_id}/reject"): Role.editor,
    ("GET", "/api/v1/queue"): READER,
    ("GET", "/api/v1/calendar.ics"): READER,
    ("POST", "/api/v1/subscriptions"): Role.viewer,
    ("GET", "/api/v1/subscriptions"): Role.viewer,
    ("DELETE", "/api/v1/subscriptions/{subscription_id}"): OWN,
    ("GET", "/api/v1/subscriptions/{subscription_id}/deliveries"): OWN,
    ("POST", "/api/v1/subscriptions/{subscription_id}/deliveries/{delivery_id}/redeliver"): OWN,
    # Asked for another user's address: an admin's only (your own needs a viewer).
    ("GET", "/api/v1/digests/preview"): Role.admin,
    ("GET", "/api/v1/me"): Role.viewer,
    ("POST", "/api/v1/users"): Role.admin,
    ("GET", "/api/v1/users"): Role.admin,
    ("POST", "/api/v1/users/{user_id}/keys"): Role.admin,
    ("GET", "/api/v1/users/{user_id}/keys"): Role.admin,
    ("DELETE", "/api/v1/keys/{key_id}"): Role.admin,
    # Last: they invite and deactivate the other user the rows above belong to.
    ("PATCH", "/api/v1/users/{user_id}"): Role.admin,
    ("POST", "/api/v1/users/{user_id}/invitation"): Role.admin,
    ("POST", "/api/v1/users/{user_id}/deactivate"): Role.admin,
}

PAGE_TABLE: dict[tuple[str, str], Rule] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/docs"): PUBLIC,
    ("GET", "/docs/oauth2-redirect"): PUBLIC,
    ("GET", "/redoc"): PUBLIC,
    ("GET", "/sign-in"): PUBLIC,
    ("POST", "/sign-in"): PUBLIC,
    ("GET", "/preview/hedge"): Role.viewer,
    ("GET", "/preview/deadline"): Role.viewer,
    ("GET", "/desk"): Role.viewer,
    ("GET", "/predictions/new"): Role.editor,
    ("POST", "/predictions/new"): Role.editor,
    ("GET", "/predictions"): READER,
    ("GET", "/predictions/{prediction_id}"): READER,
    ("POST", "/predictions/{prediction_id}/resolve"): Role.editor,
    ("POST", "/predictions/{prediction_id}/snooze"): Role.editor,
    ("POST", "/predictions/{prediction_id}/correct"): Role.editor,
    ("POST", "/predictions/{prediction_id}/withdraw"): Role.admin,
    ("GET", "/predictions/{prediction_id}/{form_name}"): READER,
    ("GET", "/extract"): Role.editor,
    ("POST", "/extract"): Role.editor,
    ("GET", "/sources/{source_id}/candidates"): READER,
    ("POST", "/sources/{source_id}/candidates/{n}/accept"): Role.editor,
    ("POST", "/sources/{source_id}/candidates/{n}/reject"): Role.editor,
    ("GET", "/sources/{source_id}/candidates/{n}/{decision}"): READER,
    ("POST", "/sources/{source_id}/edit"): Role.editor,
    ("GET", "/authors"): READER,
    ("GET", "/authors/{slug}"): READER,
    ("GET", "/leaderboard"): READER,
    ("GET", "/outlets"): READER,
    ("GET", "/outlets/{slug}"): READER,
    ("GET", "/embed/authors/{slug}"): READER,
    ("GET", "/account"): Role.viewer,
    ("GET", "/account/keys"): Role.viewer,
    ("POST", "/account/keys"): Role.viewer,
    ("POST", "/account/keys/{prefix}/revoke"): MINE,
    ("GET", "/account/subscriptions"): Role.viewer,
    ("POST", "/account/subscriptions"): Role.viewer,
    ("GET", "/account/subscriptions/{subscription_id}"): MINE,
    ("POST", "/account/subscriptions/{subscription_id}/cancel"): MINE,
    ("GET", "/account/password"): Role.viewer,
    ("POST", "/account/password"): Role.viewer,
    ("GET", "/review"): Role.editor,
    ("POST", "/review/{prediction_id}/assign"): Role.editor,
    ("POST", "/review/{prediction_id}/withdraw"): Role.admin,
    ("POST", "/review/proposals/{proposal_id}/confirm"): Role.editor,
    ("POST", "/review/proposals/{proposal_id}/reject"): Role.editor,
    ("GET", "/review/digest"): Role.viewer,
    ("GET", "/admin/users"): Role.admin,
    ("POST", "/admin/users"): Role.admin,
    ("GET", "/admin/users/{user_id}"): Role.admin,
    ("POST", "/admin/users/{user_id}/role"): Role.admin,
    ("POST", "/admin/users/{user_id}/deactivate"): Role.admin,
    ("POST", "/admin/users/{user_id}/invitation"): Role.admin,
    ("GET", "/invitations/{token}"): PUBLIC,
    ("POST", "/invitations/{token}"): PUBLIC,
    ("POST", "/sign-out"): PUBLIC,  # called last: it ends the caller's session
}

IDENTITIES = ("anonymous", "viewer", "editor", "admin", "revoked key", "deactivated user")
ROLES = {"viewer": Role.viewer, "editor": Role.editor, "admin": Role.admin}
STALE = {"revoked key", "deactivated user"}
READS = {"GET", "HEAD"}


def api_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every operation of the OpenAPI document."""
    paths: dict[str, dict[str, Any]] = app.openapi()["paths"]
    return {(method.upper(), path) for path, ops in paths.items() for method in ops}


def page_routes(app: FastAPI) -> set[tuple[str, str]]:
    """Every route outside the OpenAPI document, /api and the static files."""
    found: set[tuple[str, str]] = set()
    for route in _flattened(app.routes):
        if route.include_in_schema or route.path.startswith("/api/"):
            continue
        found |= {(method, route.path) for method in route.methods}
    return found


def _flattened(routes: list[Any]) -> Iterator[Any]:
    # FastAPI keeps included routers as one entry; their routes come out of the effective contexts.
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        elif hasattr(route, "effective_route_contexts"):
            yield from route.effective_route_contexts()
        elif hasattr(route, "routes") and not hasattr(route, "app"):
            yield from _flattened(route.routes)


def test_the_table_lists_every_route_and_no_other() -> None:
    app = create_app(Settings(database_url="sqlite://"))
    api, pages = api_routes(app), page_routes(app)
    assert sorted(api - API_TABLE.keys()) == [], "routes of the API missing from API_TABLE"
    assert sorted(API_TABLE.keys() - api) == [], "API_TABLE lists routes that are gone"
    assert sorted(pages - PAGE_TABLE.keys()) == [], "pages missing from PAGE_TABLE"
    assert sorted(PAGE_TABLE.keys() - pages) == [], "PAGE_TABLE lists pages that are gone"


def expected(rule: Rule, who: str, *, api: bool, public_reads: bool) -> str:
    """What the call should answer: admitted, 401, 403, 404 or sign-in."""
    if rule == OPEN:
        return "admitted"
    if who in STALE:
        if api:
            return "401"  # a dead key is refused outright, even where none is needed
        who = "anonymous"  # a dead session cookie: the visitor is anonymous
    if rule == PUBLIC or (rule == READER and public_reads):
        return "admitted"
    role = ROLES.get(who)
    if role is None:
        return "401" if api else "sign-in"
    if rule in (OWN, MINE):
        return "admitted" if rule == OWN and role == Role.admin else "404"
    least = Role.viewer if rule == READER else Role(rule)
    return "admitted" if role.rank >= least.rank else "403"


def answered(expectation: str, method: str, response: httpx.Response) -> bool:
    """Whether the response is what was expected; a 5xx never is."""
    status = response.status_code
    to_sign_in = status == 303 and response.headers["location"].startswith("/sign-in?next=")
    if status >= 500:
        return False
    if expectation == "sign-in":
        return to_sign_in
    if expectation != "admitted":
        return str(status) == expectation
    if status in (401, 403) or to_sign_in:
        return False
    return status < 400 if method in READS else True  # the fixture's rows exist: reads succeed


@dataclass
class Caller:
    name: str
    client: httpx.Client
    csrf: str = ""


@dataclass
class World:
    """The rows the paths name (another user's subscription, delivery and key included)."""

    params: dict[str, Any] = field(default_factory=dict)
    other_email: str = "other@example.org"


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _sign_in(client: httpx.Client, email: str) -> str:
    token = csrf_of(client.get("/sign-in").text)
    form = {"email": email, "password": PASSWORD, "csrf_token": token}
    response = client.post("/sign-in", data=form)
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/account").text)


def _build_world(base: str, engine: Engine, clock: MovableClock) -> World:
    editor_key = make_key(engine, "editor@example.org", Role.editor)
    other_key = make_key(engine, "other@example.org", Role.viewer)
    with (
        httpx.Client(base_url=base, headers=_bearer(editor_key), timeout=30) as editor,
        httpx.Client(base_url=base, headers=_bearer(other_key), timeout=30) as other,
    ):
        author = editor.post("/api/v1/authors", json={"name": "Andrew Latham"}).json()
        subscription_id = _subscribe_other(other, author["slug"])
        logged = editor.post("/api/v1/predictions", json=prediction_body(author=author["slug"]))
        assert logged.status_code == 201, logged.text
        deliveries = other.get(f"/api/v1/subscriptions/{subscription_id}/deliveries").json()
        found = editor.post("/api/v1/extract", json=_article(author["name"]))
        assert found.status_code == 200, found.text
        other_id = other.get("/api/v1/me").json()["id"]
    prediction, extracted = logged.json(), found.json()
    key_id, prefix = _key_of(engine, other_key)
    params = {
        "author_slug": author["slug"],
        "outlet_slug": prediction["outlet"],
        "version": "hindsight-v2",
        "prediction_id": prediction["id"],
        "source_id": extracted["source"]["id"],
        "n": extracted["candidates"][0]["n"],
        "proposal_id": _propose(engine, prediction["id"], clock),
        "subscription_id": subscription_id,
        "delivery_id": deliveries["items"][0]["id"],
        "user_id": other_id,
        "key_id": key_id,
        "prefix": prefix,
        "token": _invitation(engine, clock),
        "form_name": "resolve",
        "decision": "accept",
    }
    return World(params)


def _invitation(engine: Engine, clock: MovableClock) -> str:
    """A live one-time link's token, for the editor (the admin routes invite someone else)."""
    with Session(engine) as session:
        user = auth.get_user_by_email(session=session, email="editor@example.org")
        assert user is not None
        token = auth.invite(session=session, user=user, by=None, now=clock.now()).token
        session.commit()
    return token


def _subscribe_other(other: httpx.Client, author: str) -> int:
    """A webhook on the author's predictions (so a delivery is written) and a digest."""
    hook = {
        "channel": "webhook",
        "url": "http://127.0.0.1:9/hook",
        "events": ["prediction.logged"],
        "authors": [author],
    }
    created = other.post("/api/v1/subscriptions", json=hook)
    assert created.status_code == 201, created.text
    mail = {"channel": "email", "address": "other@example.org"}
    assert other.post("/api/v1/subscriptions", json=mail).status_code == 201
    return int(created.json()["id"])


def _propose(engine: Engine, prediction_id: int, clock: MovableClock) -> int:
    with Session(engine) as session:
        proposal = ProposedVerdict(
            prediction_id=prediction_id,
            outcome="true",
            resolved_on=clock.now().date(),
            evidence_url="https://evidence.example.org/ceasefire",
            source="check",
            status="proposed",
            created_at=clock.now(),
        )
        session.add(proposal)
        session.commit()
        assert proposal.id is not None
        return proposal.id


def _key_of(engine: Engine, secret: str) -> tuple[int, str]:
    with Session(engine) as session:
        key = session.exec(select(ApiKey).where(ApiKey.key_hash == auth.hash_key(secret))).one()
        assert key.id is not None
        return key.id, key.prefix


def _article(author: str) -> dict[str, str]:
    text = (
        f"{author} writes that the ceasefire is almost certain to fail by the end of 2026. "
        "Few in the capital expect the talks to resume."
    )
    return {"text": text, "author": author, "published_at": "2025-03-14"}


def _path(template: str, world: World) -> str:
    params = dict(world.params)
    params["slug"] = params["outlet_slug" if "/outlets/" in template else "author_slug"]
    return re.sub(r"\{(\w+)\}", lambda m: str(params[m.group(1)]), template)


def _callers(base: str, engine: Engine) -> dict[str, Caller]:
    callers: dict[str, Caller] = {}
    for name in IDENTITIES:
        email = f"{name.split()[0]}@example.org"
        client = httpx.Client(base_url=base, timeout=30, follow_redirects=False)
        if name == "anonymous":
            callers[name] = Caller(name, client, csrf_of(client.get("/sign-in").text))
            continue
        role = ROLES.get(name, Role.admin)  # the stale ones were admins: revocation must hold
        make_user(engine, email, role)
        client.headers.update(_bearer(make_key(engine, email, role)))
        callers[name] = Caller(name, client, _sign_in(client, email))
    _revoke(callers["revoked key"])
    _deactivate(callers["deactivated user"], engine)
    return callers


def _revoke(caller: Caller) -> None:
    """The key is revoked and the session signed out; the browser still sends both."""
    with httpx.Client(base_url=str(caller.client.base_url), headers=caller.client.headers) as c:
        me = c.get("/api/v1/me").json()
        key = c.get(f"/api/v1/users/{me['id']}/keys").json()[0]
        assert c.delete(f"/api/v1/keys/{key['id']}").status_code == 200
    token = caller.client.cookies[SESSION_COOKIE]
    assert caller.client.post("/sign-out", data={"csrf_token": caller.csrf}).status_code == 303
    caller.client.cookies.set(SESSION_COOKIE, token)
    caller.csrf = csrf_of(caller.client.get("/sign-in").text)  # the form as reloaded now


def _deactivate(caller: Caller, engine: Engine) -> None:
    with Session(engine) as session:
        user = auth.get_user_by_email(session=session, email="deactivated@example.org")
        assert user is not None
        auth.deactivate_user(session=session, user=user)
        session.commit()
    caller.csrf = csrf_of(caller.client.get("/sign-in").text)


@dataclass(frozen=True)
class Call:
    method: str
    route: str
    who: str
    expected: str
    status: int
    ok: bool


# The world's first prediction is the log's first leaf.
LOG_PARAMS: dict[str, dict[str, int]] = {
    "/api/v1/log/entries": {"start": 0, "end": 1},
    "/api/v1/log/proof/inclusion": {"index": 0, "tree_size": 1},
    "/api/v1/log/proof/consistency": {"first": 1, "second": 1},
}


def _call(caller: Caller, method: str, route: str, world: World, *, api: bool) -> httpx.Response:
    path = _path(route, world)
    if not api:
        data = {"csrf_token": caller.csrf} if method == "POST" else None
        return caller.client.request(method, path, data=data)
    params = {"email": world.other_email} if route.endswith("/digests/preview") else None
    params = LOG_PARAMS.get(route, params)
    if route.endswith("/import"):
        csv = {"Content-Type": "text/csv"}
        return caller.client.request(method, path, content=b"", headers=csv)
    body = {} if method in ("POST", "PATCH") else None
    return caller.client.request(method, path, json=body, params=params)


def run_table(base: str, engine: Engine, clock: MovableClock, *, public_reads: bool) -> list[Call]:
    """Every route of both tables, as each identity, in table order."""
    callers = _callers(base, engine)
    world = _build_world(base, engine, clock)
    calls: list[Call] = []
    tables = [(API_TABLE, True), (PAGE_TABLE, False)]
    for table, api in tables:
        for (method, route), rule in table.items():
            for who in IDENTITIES:
                expectation = expected(rule, who, api=api, public_reads=public_reads)
                response = _call(callers[who], method, route, world, api=api)
                ok = answered(expectation, method, response)
                calls.append(Call(method, route, who, expectation, response.status_code, ok))
    for caller in callers.values():
        caller.client.close()
    return calls


@pytest.mark.parametrize("public_reads", [True, False], ids=["public reads", "private reads"])
def test_every_route_answers_every_identity_as_the_table_says(
    engine: Engine, database_url: str, clock: MovableClock, public_reads: bool
) -> None:
    settings = Settings(
        database_url=database_url, public_reads=public_reads, webhook_allow_private=True
    )
    with serving(create_app(settings, clock=clock)) as base:
        calls = run_table(base, engine, clock, public_reads=public_reads)
    assert len(calls) == (len(API_TABLE) + len(PAGE_TABLE)) * len(IDENTITIES)
    wrong = [
        f"{c.method} {c.route} as {c.who}: {c.status}, not {c.expected}" for c in calls if not c.ok
    ]
    assert wrong == [], "\n".join(wrong)
    refused = [c for c in calls if c.expected != "admitted"]
    assert not [c for c in refused if 200 <= c.status < 300]


def _others_subscription(client: TestClient, engine: Engine) -> int:
    other = _bearer(make_key(engine, "other@example.org", Role.viewer))
    hook = {"channel": "webhook", "url": "http://127.0.0.1:9/hook", "events": ["prediction.due"]}
    created = client.post("/api/v1/subscriptions", json=hook, headers=other)
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


@pytest.mark.parametrize("role", [Role.viewer, Role.editor])
def test_another_users_subscription_answers_exactly_like_a_missing_one(
    client: TestClient, engine: Engine, role: Role
) -> None:
    theirs = _others_subscription(client, engine)
    missing = theirs + 1000
    me = _bearer(make_key(engine, f"{role.value}@example.org", role))
    for template in (
        "GET /api/v1/subscriptions/{}/deliveries",
        "DELETE /api/v1/subscriptions/{}",
        "POST /api/v1/subscriptions/{}/deliveries/1/redeliver",
    ):
        method, path = template.split()
        answers = [client.request(method, path.format(i), headers=me) for i in (theirs, missing)]
        assert [a.status_code for a in answers] == [404, 404], template
        bodies = [
            a.text.replace(str(i), "ID") for a, i in zip(answers, (theirs, missing), strict=True)
        ]
        assert bodies[0] == bodies[1], template
    listed = client.get("/api/v1/subscriptions", headers=me).json()
    assert (listed["total"], listed["items"]) == (0, [])


def test_another_users_subscription_and_key_are_missing_on_the_account_pages(
    client: TestClient, engine: Engine
) -> None:
    theirs = _others_subscription(client, engine)
    their_prefix = make_key(engine, "other@example.org", Role.viewer).split("_")[1]
    make_user(engine, "me@example.org", Role.admin)  # admins too: these pages are your own
    token = sign_in(client, "me@example.org")
    for path in (f"/account/subscriptions/{theirs}", f"/account/subscriptions/{theirs + 1000}"):
        assert client.get(path).status_code == 404
    for prefix in (their_prefix, "0badc0de"):
        revoke = client.post(f"/account/keys/{prefix}/revoke", data={"csrf_token": token})
        assert revoke.status_code == 404
        assert f"you have no API key with prefix &#39;{prefix}&#39;" in revoke.text
    assert their_prefix not in client.get("/account/keys").text
    other = _bearer(make_key(engine, "other@example.org", Role.viewer))
    assert client.get("/api/v1/me", headers=other).status_code == 200  # nothing was revoked


@pytest.mark.parametrize("role", [Role.viewer, Role.editor])
def test_the_admin_only_key_routes_refuse_before_looking_anything_up(
    client: TestClient, engine: Engine, role: Role
) -> None:
    secret = make_key(engine, "other@example.org", Role.viewer)
    their_id = client.get("/api/v1/me", headers=_bearer(secret)).json()["id"]
    me = _bearer(make_key(engine, f"{role.value}@example.org", role))
    calls = [("GET", "/api/v1/users/{}/keys", their_id)]
    calls.append(("DELETE", "/api/v1/keys/{}", _key_of(engine, secret)[0]))
    for method, path, real in calls:
        answers = [client.request(method, path.format(i), headers=me) for i in (real, real + 1000)]
        assert [a.status_code for a in answers] == [403, 403], path
        assert answers[0].json() == answers[1].json(), path
    assert client.get("/api/v1/me", headers=_bearer(secret)).status_code == 200


def test_a_password_change_ends_other_sessions_and_leaves_api_keys_working(
    client: TestClient, engine: Engine
) -> None:
    email = "pat@example.org"
    make_user(engine, email, Role.editor)
    token = sign_in(client, email)
    elsewhere = TestClient(client.app)
    sign_in(elsewhere, email)
    key = make_key(engine, email, Role.editor)
    revoked = make_key(engine, email, Role.editor)
    revoking = client.delete(f"/api/v1/keys/{_key_of(engine, revoked)[0]}", headers=_admin(engine))
    assert revoking.status_code == 200
    page = client.get("/account/password").text
    assert "Your API keys are separate credentials and keep" in page
    new = "another long passphrase"
    form = {"current_password": PASSWORD, "new_password": new, "new_password_again": new}
    changed = client.post("/account/password", data={**form, "csrf_token": token})
    assert "Your API keys still work" in changed.text
    assert client.get("/account", follow_redirects=False).status_code == 200
    assert elsewhere.get("/account", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/me", headers=_bearer(key)).json()["email"] == email
    assert client.get("/api/v1/me", headers=_bearer(revoked)).status_code == 401


def _admin(engine: Engine) -> dict[str, str]:
    return _bearer(make_key(engine, "admin@example.org", Role.admin))
