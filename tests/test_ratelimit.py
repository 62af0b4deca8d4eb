"""API rate limits (issue 11): counted per key after authentication, or per client address,
in memory that forgets past windows, or in one Redis every worker shares."""

import os
import threading
from types import SimpleNamespace

import pytest
from fastapi.testclient import TestClient
from limits import parse
from limits.storage import MemoryStorage, RedisStorage
from sqlalchemy.engine import Engine
from starlette.requests import Request

from app.client import client_key
from app.config import Settings
from app.main import create_app
from app.ratelimit import EXPORT_LIMIT, ForgetfulMemoryStorage, Limiter
from tests.conftest import MovableClock
from tests.limiting import follow_clock, redis_keys, redis_limiter, redis_prefix
from tests.live import serving

CSV = "author,source_url,published_at,quote,claim,probability,resolve_by\nA,https://r.example/1,2025-01-01,q,c,0.5,2026-01-01\n"
IMPORT = "/api/v1/predictions/import?dry_run=true"
EXPORT = "/api/v1/predictions/export"
# The issue sent 30,000 (docs/security.md has that run). The suite sends 300: what is checked
# is that not one count is stored, which a few hundred show as well as thousands.
BOGUS_KEYS = int(os.environ.get("HINDSIGHT_TEST_BOGUS_KEYS", "300"))


def _import(client: TestClient, authorization: str) -> int:
    headers = {"Authorization": authorization, "Content-Type": "text/csv"}
    return client.post(IMPORT, content=CSV, headers=headers).status_code


def _secret(headers: dict[str, str]) -> str:
    return headers["Authorization"].split(" ", 1)[1]


def test_a_seventh_import_in_a_minute_is_told_to_wait(
    client: TestClient, editor_headers: dict
) -> None:
    statuses = [_import(client, editor_headers["Authorization"]) for _ in range(7)]
    assert statuses == [200] * 6 + [429]
    refused = client.post(
        IMPORT, content=CSV, headers={**editor_headers, "Content-Type": "text/csv"}
    )
    assert 50 <= int(refused.headers["retry-after"]) <= 60
    assert refused.json()["detail"].startswith("too many import requests: wait")


def test_case_variants_of_the_scheme_share_one_key_s_count(
    client: TestClient, editor_headers: dict
) -> None:
    secret = _secret(editor_headers)
    schemes = ["Bearer", "bearer", "BEARER", "bEaReR", "Bearer", "bearer", "BEARER", "BeArEr"]
    statuses = [_import(client, f"{scheme} {secret}") for scheme in schemes]
    assert statuses == [200] * 6 + [429, 429]


def test_the_limit_counts_again_once_its_window_has_passed(
    client: TestClient, editor_headers: dict, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_clock(monkeypatch, clock)
    assert [_import(client, editor_headers["Authorization"]) for _ in range(7)][-1] == 429
    clock.advance(seconds=59)
    assert _import(client, editor_headers["Authorization"]) == 429
    clock.advance(seconds=2)
    assert _import(client, editor_headers["Authorization"]) == 200


def test_bogus_keys_are_refused_before_any_count_is_made(
    engine: Engine, settings: Settings
) -> None:
    app = create_app(settings)
    with TestClient(app) as client:
        storage = app.state.limiter.storage
        assert isinstance(storage, ForgetfulMemoryStorage)
        statuses = {
            client.get(EXPORT, headers={"Authorization": f"Bearer hs_bogus_{n}"}).status_code
            for n in range(BOGUS_KEYS)
        }
        assert statuses == {401}
        assert (storage.events, dict(storage.storage), dict(storage.locks)) == ({}, {}, {})


def test_with_redis_bogus_keys_write_no_key(engine: Engine, settings: Settings) -> None:
    app = create_app(settings)
    with redis_prefix() as prefix, TestClient(app) as client:
        app.state.limiter = redis_limiter(prefix)
        statuses = {
            client.get(EXPORT, headers={"Authorization": f"bearer hs_bogus_{n}"}).status_code
            for n in range(BOGUS_KEYS)
        }
        assert statuses == {401}
        assert redis_keys(prefix) == []


def test_memory_forgets_addresses_whose_window_has_passed(
    engine: Engine, settings: Settings, clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    follow_clock(monkeypatch, clock)
    monkeypatch.setattr(ForgetfulMemoryStorage, "PRUNE_EVERY", 100)
    trusting = settings.model_copy(update={"trusted_proxies": "10.0.0.1"})
    app = create_app(trusting, clock=clock)
    with TestClient(app, client=("10.0.0.1", 4000)) as client:
        storage: ForgetfulMemoryStorage = app.state.limiter.storage
        for n in range(200):
            client.get(EXPORT, headers={"X-Forwarded-For": f"203.0.113.{n}"})
        held = len(storage.events)
        clock.advance(hours=1, seconds=1)
        for n in range(100):
            client.get(EXPORT, headers={"X-Forwarded-For": f"198.51.100.{n}"})
        assert (held, len(storage.events), len(storage.locks)) == (200, 100, 100)


def test_limits_own_memory_storage_keeps_a_key_per_caller_after_its_window(
    clock: MovableClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Why ForgetfulMemoryStorage exists (limits 5.8); when this fails, limits has fixed it.
    follow_clock(monkeypatch, clock)
    storage = MemoryStorage()
    limiter = Limiter(storage)
    for n in range(50):
        limiter.hit(EXPORT_LIMIT.anonymous, "export", f"ip:{n}")
    clock.advance(hours=2)
    limiter.hit(EXPORT_LIMIT.anonymous, "export", "ip:late")
    storage.timer.join()  # limits sweeps expired entries on a timer after each hit
    assert len(storage.events) == 51
    assert sum(1 for entries in storage.events.values() if entries) == 1


def test_an_eleventh_anonymous_export_in_an_hour_is_refused(client: TestClient) -> None:
    statuses = [client.get(EXPORT).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    refused = client.get(EXPORT)
    assert refused.json()["detail"].startswith("too many export requests")
    assert int(refused.headers["retry-after"]) > 3000


def test_a_key_exports_on_its_own_count_not_the_address_s(
    client: TestClient, viewer_headers: dict
) -> None:
    assert [client.get(EXPORT).status_code for _ in range(11)][-1] == 429
    assert client.get(EXPORT, headers=viewer_headers).status_code == 200


def test_anonymous_score_reads_are_limited_per_address(client: TestClient) -> None:
    statuses = [client.get("/api/v1/leaderboard").status_code for _ in range(121)]
    assert statuses == [200] * 120 + [429]


def test_two_apps_sharing_one_redis_share_a_limit(
    engine: Engine, settings: Settings, editor_headers: dict
) -> None:
    first, second = create_app(settings), create_app(settings)
    with redis_prefix() as prefix, TestClient(first) as one, TestClient(second) as two:
        first.state.limiter, second.state.limiter = redis_limiter(prefix), redis_limiter(prefix)
        statuses = [_import(client, editor_headers["Authorization"]) for client in [one, two] * 4]
        assert statuses == [200] * 6 + [429, 429]
        assert len(redis_keys(prefix)) == 1


def test_two_live_servers_on_one_redis_refuse_a_parallel_burst_together(
    engine: Engine, settings: Settings, editor_headers: dict
) -> None:
    import httpx

    apps = [create_app(settings), create_app(settings)]
    with redis_prefix() as prefix, serving(apps[0]) as url_a, serving(apps[1]) as url_b:
        for app in apps:
            app.state.limiter = redis_limiter(prefix)
        clients = [httpx.Client(base_url=url) for url in [url_a, url_b] * 6]
        for client in clients:
            client.get("/healthz")  # connections open before the start signal
        start, statuses = threading.Barrier(len(clients)), []

        def post(client: httpx.Client) -> None:
            start.wait()
            headers = {**editor_headers, "Content-Type": "text/csv"}
            statuses.append(client.post(IMPORT, content=CSV, headers=headers).status_code)

        threads = [threading.Thread(target=post, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        for client in clients:
            client.close()
    assert sorted(statuses) == [200] * 6 + [429] * 6


def test_an_unreachable_redis_is_a_503_to_retry(client: TestClient, editor_headers: dict) -> None:
    storage = RedisStorage("redis://127.0.0.1:1/0", wrap_exceptions=True, socket_connect_timeout=1)
    client.app.state.limiter = Limiter(storage)  # type: ignore[attr-defined]
    response = client.get(EXPORT)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert "rate limits" in response.json()["detail"]


def test_a_steady_caller_keeps_only_the_entries_its_window_checks(
    monkeypatch: pytest.MonkeyPatch, clock: MovableClock
) -> None:
    follow_clock(monkeypatch, clock)
    storage = ForgetfulMemoryStorage()
    limiter = Limiter(storage)
    item = parse("3/minute")
    answers = []
    for _ in range(12):  # one every 30 s: at most 2 in any minute, never refused
        answers.append(limiter.hit(item, "score", "ip:x"))
        clock.advance(seconds=30)
    assert answers == [0.0] * 12
    assert [len(entries) for entries in storage.events.values()] == [3]
    assert [limiter.hit(item, "score", "ip:x") for _ in range(3)][-1] > 0  # 3 in a minute


@pytest.mark.parametrize(
    ("forwarded", "key"),
    [
        ("2001:db8:1:2:3::9", "2001:db8:1:2::/64"),
        ("2001:db8::1", "2001:db8::/64"),
        ("::ffff:1.2.3.4", "::/64"),
        ("fe80::1:2:3:4", "fe80::/64"),
        ("203.0.113.7", "203.0.113.7"),
    ],
)
def test_an_ipv6_client_is_counted_by_its_64(forwarded: str, key: str) -> None:
    state = SimpleNamespace(settings=Settings(trusted_proxies="127.0.0.1"))
    scope = {
        "type": "http",
        "app": SimpleNamespace(state=state),
        "client": ("127.0.0.1", 5000),
        "headers": [(b"x-forwarded-for", forwarded.encode())],
    }
    assert client_key(Request(scope)) == key
