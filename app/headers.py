"""Security headers on every response: no framing but the embed card, a CSP, nosniff (issue 11).

Pure ASGI (not BaseHTTPMiddleware): it only rewrites the start message, so streamed bodies
pass through untouched.
"""

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The pages load only their own stylesheet and script (/static), no inline code at all.
_OWN = "default-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'"
PAGE_POLICY = f"{_OWN}; frame-ancestors 'none'"
EMBED_POLICY = f"{_OWN}; frame-ancestors *"  # the card is made to sit in others' iframes
# /docs and /redoc run Swagger UI and ReDoc from /docs/assets with an inline start-up script;
# they show only the API's own description. Nothing is loaded from elsewhere.
DOCS_POLICY = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
    "script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "font-src 'self' data:; worker-src 'self' blob:; img-src 'self' data:"
)
EMBED_PREFIX = "/embed/"
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect", "/redoc"})


def headers_for(path: str) -> dict[str, str]:
    """The security headers a response to path carries."""
    if path.startswith(EMBED_PREFIX):
        return {"Content-Security-Policy": EMBED_POLICY, "X-Content-Type-Options": "nosniff"}
    policy = DOCS_POLICY if path in DOCS_PATHS else PAGE_POLICY
    return {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
    }


class SecurityHeadersMiddleware:
    """Sets the headers of headers_for(path) on every HTTP response, replacing a route's own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = headers_for(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if "X-Frame-Options" not in wanted:
                    del headers["X-Frame-Options"]
                for name, value in wanted.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
