"""Abuse limits (issue 11): moving windows kept where every worker sees them.

Callers are counted after authentication: by their API key (a bogus key is a 401 before any
count exists), a signed-in page user by id, anyone else by client address (app/client.py).
Counts live in Redis when HINDSIGHT_REDIS_URL is set, else in this process's memory, where
limits' MemoryStorage drops a count once its window has passed: memory holds the callers of
the last window, never every caller seen.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from fastapi import Request
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import MovingWindowRateLimiter

from app.auth import service as auth
from app.client import client_key
from app.config import Settings
from app.deps import Credentials, OptionalUser
from app.errors import HindsightError

log = logging.getLogger("hindsight")
KEY_PREFIX = "hindsight"
STORE_RETRY_SECONDS = 2
REDIS_TIMEOUT_SECONDS = 1.0


class TooManyRequests(HindsightError):
    status_code = 429


class LimiterUnavailable(HindsightError):
    status_code = 503


@dataclass(frozen=True)
class Rule:
    """A named limit: so many requests per window for a keyed caller, and for an address."""

    name: str
    keyed: RateLimitItem
    anonymous: RateLimitItem

    def responses(self) -> dict[int | str, dict[str, str]]:
        """The 429 this rule answers, for the OpenAPI document."""
        return {429: {"description": f"Over {self.describe()}; Retry-After says when to retry."}}

    def describe(self) -> str:
        """The limits in words, as the README's table gives them."""
        return f"{self.keyed} per key, {self.anonymous} per address without one"


def _rule(name: str, keyed: str, anonymous: str | None = None) -> Rule:
    return Rule(name, _item(keyed), _item(anonymous or keyed))


def _item(text: str) -> RateLimitItem:
    found = parse(text)
    assert found is not None
    return found


EXTRACT_LIMIT = _rule("extract", "30/minute")
IMPORT_LIMIT = _rule("import", "6/minute")
EXPORT_LIMIT = _rule("export", "60/hour", "10/hour")
SCORES_LIMIT = _rule("score", "600/minute", "120/minute")
SIGN_IN_FAILURES = _item("10 per 15 minutes")


class ForgetfulMemoryStorage(MemoryStorage):
    """limits' MemoryStorage, but a caller whose moving window has passed leaves nothing behind.

    limits 5.8 empties a passed window's list yet keeps its key in `events`: one entry per
    caller ever seen, the growth issue 11 measured. Every PRUNE_EVERY hits, drop such keys.
    """

    PRUNE_EVERY = 1000

    def __init__(self) -> None:
        super().__init__()
        self.hits = 0

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        """As MemoryStorage's, keeping only the newest `limit` entries (no older one is ever
        consulted), then now and then a sweep of passed windows."""
        acquired = super().acquire_entry(key, limit, expiry, amount)
        entries = self.events.get(key)
        if entries is not None and len(entries) > limit:
            del entries[limit:]
        self.hits += 1
        if self.hits % self.PRUNE_EVERY == 0:
            self.prune()
        return acquired

    def _MemoryStorage__schedule_expiry(self) -> None:
        """No sweep 10 ms after every hit: MemoryStorage's scans every caller's window each
        time (issue 16 measured it at a tenth of a busy worker's CPU with many callers); the
        trimming above and prune() bound the memory instead, and a window's check reads only
        its own timestamps."""

    def prune(self) -> None:
        """Forget every key whose newest entry has expired (entries are kept newest first)."""
        now = time.time()
        for key, entries in list(self.events.items()):
            if entries and entries[0].expiry > now:
                continue  # live: skip without its lock (the sweep runs on the event loop too)
            with self.locks[key]:
                current = self.events.get(key)
                if current and current[0].expiry > now:
                    continue
                self.events.pop(key, None)
            self.locks.pop(key, None)


class Limiter:
    """Moving-window counts in one storage; every answer is 0 (go ahead) or seconds to wait."""

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.windows = MovingWindowRateLimiter(storage)

    def hit(self, item: RateLimitItem, *identity: str) -> float:
        """Count one request; the wait when it is over the limit (then it is not counted)."""
        with _store_errors():
            return 0.0 if self.windows.hit(item, *identity) else self._wait(item, identity)

    def check(self, item: RateLimitItem, *identity: str) -> float:
        """The wait if the limit is used up, else 0; counts nothing and stores nothing."""
        with _store_errors():
            return 0.0 if self.windows.test(item, *identity) else self._wait(item, identity)

    def _wait(self, item: RateLimitItem, identity: tuple[str, ...]) -> float:
        reset = self.windows.get_window_stats(item, *identity).reset_time
        return max(reset - time.time(), 1.0)


@contextmanager
def _store_errors() -> Iterator[None]:
    """An unreachable Redis is a 503 the client may retry, not a 500 (nor a silent pass)."""
    try:
        yield
    except StorageError as exc:
        log.warning("rate-limit store unreachable: %s", exc)
        raise LimiterUnavailable(
            "the service cannot check its rate limits right now: try again in a few seconds",
            retry_after=STORE_RETRY_SECONDS,
        ) from exc


def make_limiter(settings: Settings) -> Limiter:
    """Redis when HINDSIGHT_REDIS_URL is set (all workers share it), else local memory."""
    if not settings.redis_url:
        return Limiter(ForgetfulMemoryStorage())
    storage = RedisStorage(
        settings.redis_url,
        key_prefix=KEY_PREFIX,
        wrap_exceptions=True,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    return Limiter(storage)


def inline_hit(limiter: Limiter, item: RateLimitItem, *identity: str) -> float | None:
    """As Limiter.hit when the counts live in this process's memory (no I/O, so callable on
    the event loop); None when they need a round trip (Redis)."""
    if not isinstance(limiter.storage, MemoryStorage):
        return None
    return limiter.hit(item, *identity)


def refuse(name: str, wait: float) -> TooManyRequests:
    """The 429 for a caller over the `name` limit."""
    return TooManyRequests(
        f"too many {name} requests: wait {wait:.0f} s and try again",
        field=None,
        retry_after=round(wait, 1),
    )


def enforce(request: Request, rule: Rule, item: RateLimitItem, identity: str) -> None:
    """Count one request of `identity` under the rule's `item`; 429 when over it."""
    limiter: Limiter = request.app.state.limiter
    wait = limiter.hit(item, rule.name, identity)
    if wait > 0:
        raise refuse(rule.name, wait)


# Sync: FastAPI runs it in the threadpool, so a Redis round trip never blocks the event loop.
def limited(rule: Rule) -> Callable[[Request, OptionalUser, Credentials], None]:
    """An API dependency: the caller's key (once authenticated) or address, under `rule`."""

    def check(request: Request, user: OptionalUser, credentials: Credentials) -> None:
        if user is not None and credentials is not None:
            enforce(request, rule, rule.keyed, f"key:{key_fingerprint(credentials.credentials)}")
        else:
            enforce(request, rule, rule.anonymous, f"ip:{client_key(request)}")

    return check


def key_fingerprint(secret: str) -> str:
    """A live key's stable name in the counts: a prefix of the hash the database keeps."""
    return auth.hash_key(secret)[:16]


def account_fingerprint(email: str) -> str:
    """An account's name in the counts: its normalized email, hashed (no addresses in Redis)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def sign_in_wait(*, limiter: Limiter, email: str, address: str) -> float:
    """Seconds before this account or address may try a password again; 0: go ahead."""
    return max(
        limiter.check(SIGN_IN_FAILURES, "sign-in-account", account_fingerprint(email)),
        limiter.check(SIGN_IN_FAILURES, "sign-in-address", address),
    )


def count_sign_in_failure(*, limiter: Limiter, email: str, address: str) -> None:
    """One more wrong password against the account and the address (successes count nothing)."""
    limiter.hit(SIGN_IN_FAILURES, "sign-in-account", account_fingerprint(email))
    limiter.hit(SIGN_IN_FAILURES, "sign-in-address", address)
