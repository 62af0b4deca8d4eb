"""Cached track records and leaderboards, valid while their version stands (the author's for a
track record, the scores' for a leaderboard)."""

import hashlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool


class ResponseCache:
    """A small LRU of rendered bodies keyed by request and version."""

    def __init__(self, size: int = 4096) -> None:
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: Hashable) -> bytes | None:
        """The body stored under the key, if any."""
        with self._lock:
            body = self._items.get(key)
            if body is not None:
                self._items.move_to_end(key)
            return body

    def put(self, key: Hashable, body: bytes) -> None:
        """Store a body, dropping the least recently used beyond the size."""
        with self._lock:
            self._items[key] = body
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)


def track_record_key(author_id: int, query: Hashable, version: int) -> tuple[Hashable, ...]:
    """The cache key (and so the ETag) of a track record: the route's and the fast path's."""
    return ("track-record", author_id, query, version)


def etag_for(key: Hashable) -> str:
    """A strong validator for the key (which includes a version)."""
    return '"' + hashlib.sha256(repr(key).encode()).hexdigest()[:32] + '"'


async def cached_body(
    request: Request,
    key: Hashable,
    render: Callable[[], bytes],
    media_type: str = "application/json",
) -> Response:
    """The body for the key (rendered in the threadpool on a miss), or 304 when the client's
    If-None-Match already names it."""
    etag = etag_for(key)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    cache: ResponseCache = request.app.state.score_cache
    body = cache.get(key)
    if body is None:
        body = await run_in_threadpool(render)
        cache.put(key, body)
    return Response(body, media_type=media_type, headers=headers)
