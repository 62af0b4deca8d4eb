"""Rate-limit test helpers: limits' windows on the test clock, and Redis stores of one test."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import limits.storage.memory
import limits.storage.redis
import limits.strategies
import pytest
import redis
from limits.storage import RedisStorage

import app.ratelimit
from app.ratelimit import Limiter

REDIS_URL = "redis://127.0.0.1:6379/0"


class ClockTime:
    """Stands in for the `time` module where limits reads it: seconds by the test's clock."""

    def __init__(self, clock: object) -> None:
        self.clock = clock

    def time(self) -> float:
        return float(self.clock.now().timestamp())  # type: ignore[attr-defined]


def follow_clock(monkeypatch: pytest.MonkeyPatch, clock: object) -> None:
    """limits stamps its windows with time.time(): make it, and Retry-After, read `clock`."""
    shim = ClockTime(clock)
    for module in (limits.storage.memory, limits.storage.redis, limits.strategies, app.ratelimit):
        monkeypatch.setattr(module, "time", shim)


def redis_keys(prefix: str) -> list[bytes]:
    """Every key a Redis store with this prefix has written."""
    return list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:*"))


@contextmanager
def redis_prefix() -> Iterator[str]:
    """A key prefix no other test uses; its keys are deleted afterwards."""
    prefix = f"hindsight-test-{uuid.uuid4().hex}"
    try:
        yield prefix
    finally:
        keys = redis_keys(prefix)
        if keys:
            redis.Redis.from_url(REDIS_URL).delete(*keys)


def redis_limiter(prefix: str) -> Limiter:
    """A limiter on the local Redis, as HINDSIGHT_REDIS_URL makes, under `prefix`."""
    return Limiter(RedisStorage(REDIS_URL, key_prefix=prefix, wrap_exceptions=True))
