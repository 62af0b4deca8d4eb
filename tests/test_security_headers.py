"""Security headers: no framing but the embed card, the pages' CSP, nosniff everywhere."""

import re

import pytest
from fastapi.testclient import TestClient

from app.headers import EMBED_POLICY, PAGE_POLICY
from tests.predictions.conftest import prediction_body

PAGES = ["/", "/authors", "/leaderboard", "/outlets", "/sign-in", "/desk", "/no-such-page"]
API = [
    "/api/v1/predictions",
    "/api/v1/queue",
    "/api/v1/no-such-route",
    "/openapi.json",
    "/healthz",
    "/static/app.js",
]


def directives(policy: str) -> dict[str, str]:
    """A CSP as {directive: sources}."""
    parts = (part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    return {name: (rest[0] if rest else "") for name, *rest in parts}


@pytest.mark.parametrize("path", PAGES + API)
def test_every_response_but_the_embed_card_refuses_framing(client: TestClient, path: str) -> None:
    response = client.get(path, follow_redirects=False)
    assert response.headers["x-frame-options"] == "DENY"
    assert directives(response.headers["content-security-policy"])["frame-ancestors"] == "'none'"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_refused_body_and_a_bad_key_carry_the_headers_too(client: TestClient) -> None:
    json = {"content-type": "application/json"}
    big = client.post("/api/v1/predictions", content=b"x" * 2_000_000, headers=json)
    bad_key = client.get("/api/v1/predictions", headers={"Authorization": "Bearer hs_nope"})
    for response in (big, bad_key):
        assert response.status_code in (401, 413)
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_the_embed_card_may_be_framed_anywhere(client: TestClient, demo_author: str) -> None:
    response = client.get(f"/embed/authors/{demo_author}")
    assert response.status_code == 200
    assert "x-frame-options" not in response.headers
    assert response.headers["content-security-policy"] == EMBED_POLICY
    assert directives(EMBED_POLICY)["frame-ancestors"] == "*"
    assert response.headers["x-content-type-options"] == "nosniff"


def test_the_pages_policy_admits_only_the_apps_own_files() -> None:
    policy = directives(PAGE_POLICY)
    assert policy["default-src"] == "'self'"
    assert "script-src" not in policy  # default-src 'self' covers scripts and styles
    assert "style-src" not in policy
    assert not re.search(r"unsafe-|https?:|\*", PAGE_POLICY)


@pytest.mark.parametrize("path", ["/", "/sign-in", "/authors", "/no-such-page"])
def test_no_page_carries_inline_script_or_style(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert re.findall(r"<style\b", html) == []
    assert re.findall(r"\sstyle=\"|\son[a-z]+=\"|javascript:", html) == []


@pytest.fixture
def demo_author(client: TestClient, editor_headers: dict[str, str]) -> str:
    made = client.post("/api/v1/predictions", json=prediction_body(), headers=editor_headers)
    assert made.status_code == 201, made.text
    return str(made.json()["author"])


def test_the_docs_pages_load_nothing_from_a_cdn(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "http" not in page.text.replace("http-equiv", "")  # only same-origin addresses
        assert "https:" not in page.headers["content-security-policy"]
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/assets/redoc.standalone.js").status_code == 200
