"""Fetching a user-supplied URL behind the SSRF guard of DESIGN §6, and its main text.

Every hop goes through the one outbound guard (app/outbound.py): http or https only, every
address the host stands for public, the request sent to the checked address. Redirects are
followed by hand and checked again; size, wall-clock time and content type are capped.
"""

import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from app.models import utc_now
from app.outbound import (
    DEFAULT_TIMEOUT,
    IPAddress,
    NotPublic,
    Refused,
    Resolver,
    checked_address,
    default_resolver,
    make_client,
    pinned_request,
)

# Re-exported: callers of the fetcher need not know the guard lives in app/outbound.py.
__all__ = [
    "DEFAULT_TIMEOUT",
    "FetchError",
    "Page",
    "Resolver",
    "default_resolver",
    "fetch_page",
    "make_client",
]

ALLOWED_TYPES = ("text/html", "text/plain")
_PUBLIC_ONLY = "only pages on the public internet can be fetched"
# Only dates the page's markup states: a text search would pick dates the article merely names.
_DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
}


class FetchError(Exception):
    """A URL that was refused or could not be fetched; `reason` says why and what to do."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"{url}: {reason}")
        self.url = url
        self.reason = reason


class _Stop(Exception):
    """A reason to give up, raised inside a fetch and turned into FetchError for the URL asked."""


@dataclass(frozen=True)
class Page:
    """A fetched page: its final URL, main text and what it says about itself."""

    url: str
    content_type: str
    text: str
    title: str | None
    author: str | None
    published_at: datetime | None
    sha256: str
    fetched_at: datetime


@dataclass(frozen=True)
class _Limits:
    resolver: Resolver
    max_bytes: int
    time_limit: float
    deadline: float

    def remaining(self) -> float:
        """Seconds left for the whole fetch; raises once they are spent."""
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise _Stop(self.too_slow())
        return left

    def too_slow(self) -> str:
        """The reason given when the fetch runs out of time."""
        return f"the page took longer than {self.time_limit:g} s to fetch; try again later"


def fetch_page(
    url: str,
    *,
    client: httpx.Client,
    resolver: Resolver = default_resolver,
    max_bytes: int = 5_000_000,
    time_limit: float = 10.0,
    max_redirects: int = 5,
) -> Page:
    """Fetch url through the SSRF guard and extract its main text, title, author and date."""
    limits = _Limits(resolver, max_bytes, time_limit, time.monotonic() + time_limit)
    try:
        return _follow(client, httpx.URL(url), limits, max_redirects)
    except _Stop as exc:
        raise FetchError(url, str(exc)) from None
    except httpx.InvalidURL as exc:
        raise FetchError(url, f"not a valid URL ({exc}); check the address") from None
    except httpx.TimeoutException:
        raise FetchError(url, limits.too_slow()) from None
    except httpx.HTTPError as exc:
        raise FetchError(url, f"could not fetch the page ({exc}); try again later") from exc


def _follow(client: httpx.Client, url: httpx.URL, limits: _Limits, max_redirects: int) -> Page:
    """Fetch url, following at most max_redirects redirects, each one checked again."""
    for hop in range(max_redirects + 1):
        with _send(client, url, limits, redirected=hop > 0) as response:
            if not response.has_redirect_location:
                return _page(url, response, limits)
            url = url.join(response.headers["Location"])
    raise _Stop(f"refused: more than {max_redirects} redirects; give the page's final address")


@contextmanager
def _send(
    client: httpx.Client, url: httpx.URL, limits: _Limits, *, redirected: bool
) -> Iterator[httpx.Response]:
    """Check url, then send one GET for it to the checked address and stream the response."""
    try:
        address = _checked_address(url, limits.resolver)
    except _Stop as exc:
        raise _Stop(f"the page redirected to {url} — {exc}" if redirected else str(exc)) from None
    request = _request(client, url, address, limits.remaining())
    response = client.send(request, stream=True, follow_redirects=False)
    try:
        yield response
    finally:
        response.close()


def _checked_address(url: httpx.URL, resolver: Resolver) -> IPAddress:
    """The address to connect to for url, through the one outbound guard."""
    try:
        return checked_address(url, resolver=resolver)
    except NotPublic as exc:
        raise _Stop(f"refused: {exc}; {_PUBLIC_ONLY}") from None
    except Refused as exc:
        raise _Stop(str(exc)) from None


def _request(
    client: httpx.Client, url: httpx.URL, address: IPAddress, remaining: float
) -> httpx.Request:
    """A GET to the checked address, no timeout longer than the time left for the fetch."""
    headers = {"Accept": "text/html, text/plain;q=0.9"}
    timeout = _capped(client.timeout, remaining)
    return pinned_request(client, "GET", url, address, headers=headers, timeout=timeout)


def _capped(timeout: httpx.Timeout, remaining: float) -> httpx.Timeout:
    """The client's timeouts, none longer than the time left for the whole fetch."""

    def cap(value: float | None) -> float:
        return remaining if value is None else min(value, remaining)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


def _page(url: httpx.URL, response: httpx.Response, limits: _Limits) -> Page:
    """The Page for a final, non-redirect response."""
    if not response.is_success:
        raise _Stop(f"the page answered HTTP {response.status_code}; check the address")
    content_type = _content_type(response)
    body = _read(response, limits)
    if content_type == "text/plain":
        return _made(url, content_type, _decode(body, response.charset_encoding), None)
    return _made(url, content_type, *_article(url, body, response.charset_encoding))


def _content_type(response: httpx.Response) -> str:
    """The response's media type, refused unless it is text/html or text/plain."""
    media_type = str(response.headers.get("Content-Type", "")).split(";")[0].strip().lower()
    if media_type not in ALLOWED_TYPES:
        named = media_type or "a response with no Content-Type"
        raise _Stop(f"refused: {named} is not text/html or text/plain; link to a web page")
    return media_type


def _read(response: httpx.Response, limits: _Limits) -> bytes:
    """The decoded body, read in chunks until it ends, grows past max_bytes or time runs out."""
    too_big = f"the page is larger than {limits.max_bytes / 1e6:g} MB; link to a shorter page"
    declared = str(response.headers.get("Content-Length", ""))
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise _Stop(too_big)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise _Stop(too_big)
        limits.remaining()
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(body: bytes, charset: str | None) -> str:
    """The body as text in its declared charset, else UTF-8, with bad bytes replaced."""
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _article(
    url: httpx.URL, body: bytes, charset: str | None
) -> tuple[str, str | None, str | None, datetime | None]:
    """Main text, title, author and publication time of an HTML page (trafilatura)."""
    # Imported here: trafilatura takes about a second to import, which the API's start-up skips.
    import trafilatura
    from trafilatura.settings import Document

    html = _decode(body, charset) if charset else body  # trafilatura reads <meta charset> itself
    document = trafilatura.bare_extraction(
        html, url=str(url), with_metadata=True, date_extraction_params=_DATE_PARAMS
    )
    if not isinstance(document, Document) or not document.text:
        raise _Stop("found no main text on the page; link to the article itself")
    return document.text, document.title, document.author, _utc(document.date)


def _utc(value: str | None) -> datetime | None:
    """An ISO date or datetime as a UTC-aware datetime; a date without a zone is taken as UTC."""
    try:
        parsed = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    if parsed is None:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _made(
    url: httpx.URL,
    content_type: str,
    text: str,
    title: str | None,
    author: str | None = None,
    published_at: datetime | None = None,
) -> Page:
    """The Page record, stamped with its text's hash and the time it was fetched."""
    return Page(
        url=str(url),
        content_type=content_type,
        text=text,
        title=title,
        author=author,
        published_at=published_at,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        fetched_at=utc_now(),
    )
