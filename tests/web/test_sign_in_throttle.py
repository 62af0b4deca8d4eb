"""The sign-in throttle (issue 11): 10 failures in 15 minutes per account and per client
address, then 429 with Retry-After, refused before any hashing; and the client address and
scheme taken from a proxy only when it is trusted."""

from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from app.models import Role
from tests.conftest import MovableClock
from tests.limiting import follow_clock, redis_keys, redis_limiter, redis_prefix
from tests.live import serving
from tests.test_transactions import spy_on_hasher
from tests.web.conftest import PASSWORD, csrf_of, make_user

PROXY = "10.0.0.2"


def _post(client: TestClient, email: str, password: str, **headers: str) -> httpx.Response:
    token = csrf_of(client.get("/sign-in").text)
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/sign-in", data=data, headers=headers, follow_redirects=False)


def _fail(client: TestClient, email: str, times: int, **headers: str) -> list[int]:
    return [_post(client, email, "wrong password", **headers).status_code for _ in range(times)]


@pytest.fixture
def proxied(engine: Engine, settings: Settings, clock: MovableClock) -> Iterator[TestClient]:
    """A client whose peer is a trusted proxy: X-Forwarded-For names the client."""
    trusting = settings.model_copy(update={"trusted_proxies": f"{PROXY}/32"})
    with TestClient(create_app(trusting, clock=clock), client=(PROXY, 4000)) as client:
        yield client


def test_the_eleventh_wrong_password_is_429_and_then_even_the_right_one(
    engine: Engine, client: TestClient, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_clock(monkeypatch, clock)
    make_user(engine, "ed@example.org", Role.editor)
    assert _fail(client, "ed@example.org", 11) == [400] * 10 + [429]
    refused = _post(client, "ed@example.org", PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) == 15 * 60
    assert "too many failed sign-ins" in refused.text
    assert refused.headers["content-type"].startswith("text/html")
    clock.advance(minutes=14, seconds=59)
    assert _post(client, "ed@example.org", PASSWORD).status_code == 429
    clock.advance(seconds=2)
    assert _post(client, "ed@example.org", PASSWORD).status_code == 303


def test_a_throttled_sign_in_spends_no_hash(
    engine: Engine, client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    _fail(client, "ed@example.org", 10)
    seen = spy_on_hasher(monkeypatch, client.app.state.engine)  # type: ignore[attr-defined]
    assert [_post(client, "ed@example.org", PASSWORD).status_code for _ in range(3)] == [429] * 3
    assert seen == []


def test_a_success_does_not_reset_the_address_s_count(engine: Engine, proxied: TestClient) -> None:
    for email in ("a@example.org", "b@example.org", "c@example.org"):
        make_user(engine, email, Role.editor)
    me = {"X-Forwarded-For": "203.0.113.7"}
    assert _fail(proxied, "a@example.org", 6, **me) == [400] * 6
    assert _post(proxied, "b@example.org", PASSWORD, **me).status_code == 303
    assert _fail(proxied, "c@example.org", 4, **me) == [400] * 4
    assert _post(proxied, "b@example.org", PASSWORD, **me).status_code == 429


def test_an_account_is_throttled_whatever_the_address(engine: Engine, proxied: TestClient) -> None:
    make_user(engine, "ed@example.org", Role.editor)
    statuses = [
        _post(proxied, "ED@example.org ", "wrong", **{"X-Forwarded-For": f"198.51.100.{n}"})
        for n in range(11)
    ]
    assert [response.status_code for response in statuses] == [400] * 10 + [429]
    elsewhere = {"X-Forwarded-For": "192.0.2.1"}
    assert _post(proxied, "ed@example.org", PASSWORD, **elsewhere).status_code == 429
    make_user(engine, "other@example.org", Role.editor)
    assert _post(proxied, "other@example.org", PASSWORD, **elsewhere).status_code == 303


def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    engine: Engine, client: TestClient
) -> None:
    make_user(engine, "ok@example.org", Role.editor)
    for n in range(10):
        _post(client, f"nobody{n}@example.org", "wrong", **{"X-Forwarded-For": f"192.0.2.{n}"})
    fresh = {"X-Forwarded-For": "192.0.2.200"}
    assert _post(client, "ok@example.org", PASSWORD, **fresh).status_code == 429


def test_the_client_is_the_right_most_address_that_is_not_a_trusted_proxy(
    engine: Engine, settings: Settings, clock: MovableClock
) -> None:
    make_user(engine, "ok@example.org", Role.editor)
    trusting = settings.model_copy(update={"trusted_proxies": f"{PROXY}, 10.9.0.0/16"})
    with TestClient(create_app(trusting, clock=clock), client=(PROXY, 4000)) as client:
        for n in range(10):
            chain = f"192.0.2.{n}, 203.0.113.9, 10.9.1.1"  # the left part is the client's to forge
            _post(client, f"nobody{n}@example.org", "wrong", **{"X-Forwarded-For": chain})
        same, other = {"X-Forwarded-For": "203.0.113.9"}, {"X-Forwarded-For": "203.0.113.10"}
        assert _post(client, "ok@example.org", PASSWORD, **same).status_code == 429
        assert _post(client, "ok@example.org", PASSWORD, **other).status_code == 303


def test_on_a_live_server_forwarded_for_counts_only_from_a_trusted_proxy(
    engine: Engine, settings: Settings
) -> None:
    make_user(engine, "ok@example.org", Role.editor)
    for trusted, expected in (("", 429), ("127.0.0.1", 303)):
        app = create_app(settings.model_copy(update={"trusted_proxies": trusted}))
        with serving(app) as url, httpx.Client(base_url=url) as client:
            for n in range(10):
                _live_post(client, f"nobody{n}@example.org", "wrong", f"192.0.2.{n}")
            answer = _live_post(client, "ok@example.org", PASSWORD, "192.0.2.200")
        assert answer.status_code == expected, trusted


def _live_post(client: httpx.Client, email: str, password: str, forwarded: str) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded}
    token = csrf_of(client.get("/sign-in", headers=headers).text)
    data = {"email": email, "password": password, "csrf_token": token}
    return client.post("/sign-in", data=data, headers=headers)


def test_the_session_cookie_is_secure_behind_a_trusted_https_proxy(
    engine: Engine, proxied: TestClient
) -> None:
    make_user(engine, "ok@example.org", Role.editor)
    response = _post(proxied, "ok@example.org", PASSWORD, **{"X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    cookies = response.headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith("hindsight_session="))
    assert "Secure" in session


def test_an_untrusted_peer_cannot_claim_https(engine: Engine, client: TestClient) -> None:
    make_user(engine, "ok@example.org", Role.editor)
    response = _post(client, "ok@example.org", PASSWORD, **{"X-Forwarded-Proto": "https"})
    session = next(c for c in response.headers.get_list("set-cookie") if "hindsight_session" in c)
    assert "Secure" not in session


def test_with_redis_failures_are_kept_as_hashes_not_emails(
    engine: Engine, client: TestClient
) -> None:
    with redis_prefix() as prefix:
        client.app.state.limiter = redis_limiter(prefix)  # type: ignore[attr-defined]
        assert _fail(client, "ed@example.org", 11) == [400] * 10 + [429]
        keys = b" ".join(redis_keys(prefix))
        assert len(redis_keys(prefix)) == 2
    assert b"ed@example.org" not in keys
    assert b"sign-in-account" in keys
    assert b"sign-in-address" in keys
