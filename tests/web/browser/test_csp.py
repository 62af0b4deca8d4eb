"""In the browser: the pages' CSP blocks nothing of their own, and refuses to be framed."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from playwright.sync_api import Page, expect

from app.models import Role
from tests.web.browser.conftest import Live, SignInAs, labelled

PAGES = [
    "/",
    "/desk",
    "/authors",
    "/leaderboard",
    "/outlets",
    "/predictions/new",
    "/account",
    "/account/subscriptions",
    "/no-such-page",
]


def violations_on(page: Page) -> list[str]:
    """Every CSP violation the page reports, collected from its `securitypolicyviolation` events."""
    found: list[str] = []
    page.on("console", lambda m: found.append(m.text) if "Content Security" in m.text else None)
    return found


def test_no_page_breaks_its_own_content_security_policy(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    live.load_demo()
    signed_in(Role.editor)
    found = violations_on(page)
    for path in PAGES:
        page.goto(path)
        page.wait_for_load_state("load")
    assert found == []


def test_the_log_forms_live_preview_still_runs_under_the_policy(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    signed_in(Role.editor)
    found = violations_on(page)
    page.goto("/predictions/new")
    labelled(page, "Deadline").fill("by the end of 2027")
    expect(page.locator("output#deadline-preview")).to_have_text("31 Dec 2027")
    assert found == []


def test_an_inline_script_is_refused_and_reported(live: Live, page: Page) -> None:
    found = violations_on(page)
    page.goto("/authors")
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.append(s); }"
    )
    assert page.evaluate("() => window.ran === undefined")
    assert len(found) == 1


@contextmanager
def another_site(html: str) -> Iterator[str]:
    """A page on another origin (localhost, another port): a news site embedding ours."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(html.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/op-ed"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_in_another_sites_iframe_stays_empty_but_the_embed_card_shows(
    live: Live, page: Page
) -> None:
    live.load_demo()
    slug = page.request.get(f"{live.url}/api/v1/authors").json()["items"][0]["slug"]
    frames = (
        f'<iframe id="app" src="{live.url}/authors"></iframe>'
        f'<iframe id="card" src="{live.url}/embed/authors/{slug}"></iframe>'
    )
    with another_site(frames) as op_ed:
        page.goto(op_ed)  # waits for the load event, which waits for both frames
        expect(page.frame_locator("#card").get_by_role("heading", level=1)).to_be_visible()
        framed = page.locator("#app").element_handle().content_frame()
        assert framed is not None
        assert not framed.url.startswith(live.url)  # the browser refused to show it
        assert framed.locator("a.brand").count() == 0
