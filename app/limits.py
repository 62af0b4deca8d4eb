"""Request limits, enforced before the app sees a body: its size (declared or streamed, as in
a chunked upload), how deeply a JSON body nests, and no NUL in URLs."""

import json
import re
from itertools import accumulate

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import error_body

# Deeper JSON is refused before parsing: Python's parser and pydantic recurse (issue 11).
MAX_JSON_DEPTH = 32
DRAIN_BYTES = 1 << 20
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_OPENERS, _CLOSERS = b"[{", b"]}"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in _OPENERS + _CLOSERS)
_STEP = [1 if b in _OPENERS else -1 if b in _CLOSERS else 0 for b in range(256)]


class BodyTooLarge(Exception):
    """The client sent more bytes than the route accepts (and may be sending more)."""

    def __init__(self, *, more: bool) -> None:
        super().__init__()
        self.more = more


def json_depth(data: bytes) -> int:
    """How deeply arrays and objects nest in JSON text (one or more documents), unparsed."""
    brackets = _STRING.sub(b"", data).translate(None, _NOT_BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def too_deep(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """JSON text nesting deeper than the limit; a cheap count settles most bodies."""
    return data.count(b"[") + data.count(b"{") > limit and json_depth(data) > limit


def depth_message(limit: int = MAX_JSON_DEPTH) -> str:
    """What a client is told when its JSON nests too deeply."""
    return f"the JSON nests deeper than {limit} levels of arrays and objects: flatten it"


class BodyLimitMiddleware:
    """413 for bodies over the limit (paths in `larger` get their own), 422 for JSON bodies
    nested deeper than MAX_JSON_DEPTH; the body is read here, so the app gets it whole."""

    def __init__(self, app: ASGIApp, *, limit: int, larger: dict[str, int]) -> None:
        self.app = app
        self.limit = limit
        self.larger = larger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if b"%00" in scope.get("raw_path", b"") or b"%00" in scope.get("query_string", b""):
            await _refuse(send, 422, "the URL contains a NUL (%00) character: remove it", "url")
            return
        limit = self.larger.get(scope["path"], self.limit)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _refuse_size(send, limit)
            return
        try:
            body, disconnect = await _read_body(receive, limit)
        except BodyTooLarge as exc:
            if exc.more:
                await _drain(receive, min(limit, DRAIN_BYTES))
            await _refuse_size(send, limit)
            return
        if disconnect is None and _parsed_as_json(scope) and too_deep(body):
            await _refuse(send, 422, depth_message(), "body")
            return
        first = disconnect or {"type": "http.request", "body": body, "more_body": False}
        await self.app(scope, _replaying(first, receive), send)


async def _read_body(receive: Receive, limit: int) -> tuple[bytes, Message | None]:
    """The whole body within the limit, and the disconnect message if the client left first."""
    chunks: list[bytes] = []
    received = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"", message
        chunk = message.get("body", b"")
        received += len(chunk)
        if received > limit:
            raise BodyTooLarge(more=message.get("more_body", False))
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), None


async def _drain(receive: Receive, left: int) -> None:
    # Read on a little past the limit, so a client still sending hears the 413 rather than a
    # reset connection; a longer upload is cut off.
    while left > 0:
        message = await receive()
        if message["type"] != "http.request" or not message.get("more_body", False):
            return
        left -= len(message.get("body", b""))


def _replaying(first: Message, receive: Receive) -> Receive:
    pending = [first]

    async def replay() -> Message:
        return pending.pop() if pending else await receive()

    return replay


def _parsed_as_json(scope: Scope) -> bool:
    # FastAPI parses a body as JSON when it has no Content-Type, or application/json or +json.
    value = _header(scope, b"content-type")
    if value is None:
        return True
    kind = value.split(b";")[0].strip().lower()
    return kind == b"application/json" or (
        kind.startswith(b"application/") and kind.endswith(b"+json")
    )


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value)
    return None


def _content_length(scope: Scope) -> int | None:
    value = _header(scope, b"content-length")
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


async def _refuse_size(send: Send, limit: int) -> None:
    detail = f"the request body is over {limit:,} bytes: send less, or split an import"
    await _refuse(send, 413, detail, "body")


async def _refuse(send: Send, status: int, detail: str, field: str) -> None:
    body = json.dumps(error_body(detail, field)).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
