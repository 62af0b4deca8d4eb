"""Every address the service writes into what it sends: a page for a person, the API for a program.

All of them start from one base URL: `HINDSIGHT_BASE_URL`, or, when that is unset, the address
`hindsight serve` derived from the host and port it binds (see `app.cli.serve`).
"""

import socket
from urllib.parse import quote

from app.config import get_settings

FALLBACK_BASE_URL = "http://127.0.0.1:8000"
API_PREFIX = "/api/v1"


def derived_base_url(host: str, port: int) -> str:
    """The base URL of a server bound to host:port, as someone on this machine reaches it."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Links:
    """The addresses under one base URL."""

    def __init__(self, base_url: str | None) -> None:
        self.base = (base_url or FALLBACK_BASE_URL).rstrip("/")

    def prediction_page(self, prediction_id: int) -> str:
        """The prediction's web page, for a person."""
        return f"{self.base}/predictions/{prediction_id}"

    def prediction_api(self, prediction_id: int) -> str:
        """The prediction in the API, for a program."""
        return f"{self.base}{API_PREFIX}/predictions/{prediction_id}"

    def author_page(self, slug: str) -> str:
        """The author's track record page, for a person."""
        return f"{self.base}/authors/{quote(slug)}"

    def author_api(self, slug: str) -> str:
        """The author in the API, for a program."""
        return f"{self.base}{API_PREFIX}/authors/{quote(slug)}"

    def embed(self, slug: str) -> str:
        """The embeddable track record card."""
        return f"{self.base}/embed/authors/{quote(slug)}"

    def invitation(self, token: str) -> str:
        """The one-time page where an invited user sets their first password."""
        return f"{self.base}/invitations/{quote(token)}"

    def prediction(self, prediction_id: int, author: str) -> dict[str, str]:
        """The `links` object of a prediction in the API and in webhook payloads."""
        return {
            "self": self.prediction_api(prediction_id),
            "html": self.prediction_page(prediction_id),
            "author": self.author_api(author),
            "author_html": self.author_page(author),
        }


_base: list[str | None] = [None]


def configure(base_url: str | None) -> None:
    """Set the process's base URL (create_app and the CLI do, from their settings)."""
    _base[0] = base_url


def current() -> Links:
    """The links under the base URL this process was configured with, else its settings'."""
    return Links(_base[0] or get_settings().base_url)
