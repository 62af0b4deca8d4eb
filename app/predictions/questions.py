"""Linked questions on public forecasting sites (Manifold, Metaculus): which page URLs a
prediction may link, and the JSON API address a resolution check reads for each."""

import re

MANIFOLD_API = "https://api.manifold.markets/v0/slug/{slug}"
METACULUS_API = "https://www.metaculus.com/api/posts/{id}/"
_MANIFOLD_URL = re.compile(r"^https://manifold\.markets/[^/]+/(?P<slug>[A-Za-z0-9-]+)/?$")
_METACULUS_URL = re.compile(r"^https://(www\.)?metaculus\.com/questions/(?P<id>\d+)(/.*)?$")


class CheckError(ValueError):
    """A check that names no question Hindsight can read."""


def api_url(kind: str, url: str) -> str:
    """The public JSON API address for a question's page URL."""
    if kind == "manifold" and (match := _MANIFOLD_URL.match(url)):
        return MANIFOLD_API.format(slug=match["slug"])
    if kind == "metaculus" and (match := _METACULUS_URL.match(url)):
        return METACULUS_API.format(id=match["id"])
    example = {
        "manifold": "https://manifold.markets/USER/will-x-happen-by-2026",
        "metaculus": "https://www.metaculus.com/questions/12345/some-question/",
    }.get(kind, "a Manifold or Metaculus question page")
    raise CheckError(f"'{url}' is not a {kind} question page: link one like {example}")
