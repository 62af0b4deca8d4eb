"""Score reads answered below FastAPI (issue 16): a pure ASGI middleware, outermost of the
user middleware, replays the exact answer the route last gave for the same path and query
string while the process's score generation (app/scoring/generation.py) has not moved.

A replay is what the route sent, byte for byte: status 200, the body and every header,
including the security headers and the ETag; a 304 when If-None-Match names the ETag, as the
route answers it. Anything it cannot answer exactly goes to the route: a first request, a moved
generation (the route re-reads the versions, and its answer is captured again), a non-200,
credentials (Authorization or a cookie), HINDSIGHT_PUBLIC_READS=false, a rate-limit store that
needs I/O (Redis), or a caller over the limit (the route then answers the 429). The score rate
limit is counted here exactly as the route counts it, by the same rule and identity.
"""

import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy.engine import Engine
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.client import client_key
from app.ratelimit import SCORES_LIMIT, Limiter, inline_hit
from app.scoring import board, rows, stored
from app.scoring.cache import etag_for, track_record_key
from app.scoring.generation import Generation

SCORE_PATH = re.compile(r"/api/v1/(?:authors/[^/]+/track-record|leaderboard)")
BOARD_PATH = "/api/v1/leaderboard"
# Only plain slugs are looked up in the stored bodies; anything else is the route's to refuse.
DEFAULT_RECORD = re.compile(r"/api/v1/authors/([a-z0-9][a-z0-9-]{0,119})/track-record")
SIZE = 4096
VERSION_STATE = "score_version"
_CREDENTIALS = (b"authorization", b"cookie")
_NOT_IN_304 = (b"content-length", b"content-type")


@dataclass(frozen=True)
class Version:
    """What a route's answer was rendered at: the author's (id, version) for a slug, else the
    scores' version (slug None)."""

    slug: str | None
    value: object

    def still_current(self, engine: Engine) -> bool:
        """Whether the database still holds this version (one indexed read)."""
        with engine.connect() as connection:
            if self.slug is None:
                return rows.version(connection) == self.value
            return rows.author_version(connection, self.slug) == self.value


def note_version(request: Request, *, slug: str | None, value: object) -> None:
    """A route tells the fast path which version its answer shows (to re-validate it later)."""
    setattr(request.state, VERSION_STATE, Version(slug, value))


@dataclass(frozen=True)
class Captured:
    """A route's 200 answer, the generation that stood before the route ran, and the version
    the route rendered at."""

    generation: int
    etag: str
    headers: list[tuple[bytes, bytes]]
    body: bytes
    version: Version | None

    def not_modified_headers(self) -> list[tuple[bytes, bytes]]:
        """The headers of the route's 304: the same, without a body's length and type."""
        return [(k, v) for k, v in self.headers if k.lower() not in _NOT_IN_304]


class ScoreFastPath:
    """Replays captured score answers while the generation stands."""

    def __init__(
        self, app: ASGIApp, *, headers: Callable[[ASGIApp], ASGIApp], size: int = SIZE
    ) -> None:
        self.app = app
        self.headers = headers  # the app's own headers layer, for answers built here
        self.size = size
        self.entries: OrderedDict[tuple[str, bytes], Captured] = OrderedDict()
        self.board: board.RankedBoard | None = None
        self.board_generation: int | None = None
        self.building = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        generation = self._generation(scope)
        if generation is None:
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope["query_string"])
        entry = self.entries.get(key)
        if entry is not None and entry.generation != generation:
            entry = await self._revalidated(key, entry, generation, scope)
        if entry is None and scope["path"] == BOARD_PATH:
            entry = await self._board_page(key, generation, scope)
        elif entry is None:
            entry = await self._stored(key, generation, scope)
        if entry is not None and _admitted(scope):
            self.entries.move_to_end(key)
            await _replay(entry, scope, send)
            return
        await self._capture(key, generation, scope, receive, send)

    async def _stored(
        self, key: tuple[str, bytes], generation: int, scope: Scope
    ) -> Captured | None:
        """A default track record from its stored body, when rendered at the author's current
        version: the route's answer, built by the same response class and headers layer
        (the one main.py hands in: the scores may not import the entry points)."""
        found = DEFAULT_RECORD.fullmatch(scope["path"])
        if found is None or scope["query_string"]:
            return None
        slug = found.group(1)
        reader: stored.StoredReader | None = getattr(scope["app"].state, "stored_reader", None)
        answer = None if reader is None else await reader.answer(slug)
        if answer is None:
            return None
        author_id, version, body = answer
        etag = etag_for(track_record_key(author_id, stored.DEFAULT, version))
        headers = await self._headers(scope, body, etag)
        entry = Captured(generation, etag, headers, body, Version(slug, (author_id, version)))
        self._store(key, entry)
        return entry

    async def _board_page(
        self, key: tuple[str, bytes], generation: int, scope: Scope
    ) -> Captured | None:
        """An unfiltered leaderboard page sliced from the ranked rows of the current version."""
        wanted = board.parse(scope["query_string"])
        if wanted is None:
            return None
        ranked = await self._current_board(generation, scope["app"].state.engine)
        if ranked is None:
            return None
        etag, body = ranked.page(*wanted)
        headers = await self._headers(scope, body, etag)
        entry = Captured(generation, etag, headers, body, Version(None, ranked.version))
        self._store(key, entry)
        return entry

    async def _current_board(self, generation: int, engine: Engine) -> board.RankedBoard | None:
        """The ranked rows, re-validated (one version read) or rebuilt when the generation
        moved; None while another request rebuilds them (that one goes to the route)."""
        if self.board is not None and self.board_generation == generation:
            return self.board
        if self.building:
            return None
        self.building = True
        try:
            current = self.board
            if current is None or not await run_in_threadpool(
                Version(None, current.version).still_current, engine
            ):
                current = await run_in_threadpool(board.build, engine)
            self.board, self.board_generation = current, generation
            return current
        finally:
            self.building = False

    async def _headers(self, scope: Scope, body: bytes, etag: str) -> list[tuple[bytes, bytes]]:
        """The headers the route's response carries, from the same class and headers layer."""
        response = Response(
            body, media_type="application/json", headers={"ETag": etag, "Cache-Control": "no-cache"}
        )
        sent: list[Message] = []

        async def collect(message: Message) -> None:
            sent.append(message)

        await self.headers(response)(scope, _nothing, collect)
        return [(bytes(k), bytes(v)) for k, v in sent[0]["headers"]]

    async def _revalidated(
        self, key: tuple[str, bytes], entry: Captured, generation: int, scope: Scope
    ) -> Captured | None:
        """The entry under the new generation if its version still stands (another commit
        moved the generation, not this answer), else None. The read runs in the threadpool."""
        if entry.version is None:
            return None
        engine: Engine = scope["app"].state.engine
        if not await run_in_threadpool(entry.version.still_current, engine):
            return None
        fresh = replace(entry, generation=generation)
        self.entries[key] = fresh
        return fresh

    def _generation(self, scope: Scope) -> int | None:
        """The generation when this request may be answered here, else None."""
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        if not SCORE_PATH.fullmatch(scope["path"]):
            return None
        state = scope["app"].state
        source: Generation | None = getattr(state, "score_generation", None)
        if source is None or not state.settings.public_reads:
            return None
        if any(name in _CREDENTIALS for name, _ in scope["headers"]):
            return None
        return source.current()

    async def _capture(
        self, key: tuple[str, bytes], generation: int, scope: Scope, receive: Receive, send: Send
    ) -> None:
        """Let the route answer, keeping a copy of a complete 200."""
        start: Message = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    version = scope.get("state", {}).get(VERSION_STATE)
                    self._keep(key, generation, start, b"".join(chunks), version)
            await send(message)

        await self.app(scope, receive, keep)

    def _keep(
        self,
        key: tuple[str, bytes],
        generation: int,
        start: Message,
        body: bytes,
        version: Any,
    ) -> None:
        if start.get("status") != 200:
            return
        headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
        etag = next((v.decode("latin-1") for k, v in headers if k.lower() == b"etag"), None)
        if etag is None:
            return
        noted = version if isinstance(version, Version) else None
        self._store(key, Captured(generation, etag, headers, body, noted))

    def _store(self, key: tuple[str, bytes], entry: Captured) -> None:
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)


async def _nothing() -> Message:
    return {"type": "http.disconnect"}


def _admitted(scope: Scope) -> bool:
    """Count the request under the score limit, as the route would; False when it cannot be
    counted here without I/O, or when the caller is over it (the route then refuses)."""
    request = Request(scope)
    limiter: Limiter = scope["app"].state.limiter
    rule = SCORES_LIMIT
    wait = inline_hit(limiter, rule.anonymous, rule.name, f"ip:{client_key(request)}")
    return wait == 0.0


async def _replay(entry: Captured, scope: Scope, send: Send) -> None:
    """The captured 200, or the route's 304 when If-None-Match names its ETag."""
    wanted = next((v for k, v in scope["headers"] if k == b"if-none-match"), b"")
    if entry.etag in wanted.decode("latin-1"):
        await send(
            {"type": "http.response.start", "status": 304, "headers": entry.not_modified_headers()}
        )
        await send({"type": "http.response.body", "body": b""})
        return
    await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
    await send({"type": "http.response.body", "body": entry.body})
