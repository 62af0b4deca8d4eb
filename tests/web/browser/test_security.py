"""In the browser: forms without their CSRF token are refused; only editors see the resolve form."""

import re

from playwright.sync_api import Page, expect

from app.models import Role
from tests.web.browser.conftest import Live, SignInAs, labelled


def choose_true_with_evidence(page: Page) -> None:
    page.get_by_role("radio", name=re.compile("^True")).check()
    labelled(page, "Known on").fill("2026-11-20")
    labelled(page, "Evidence links").fill("https://example.org/evidence")


def test_a_form_sent_without_its_csrf_token_is_refused(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    signed_in(Role.editor)
    pid = live.log_prediction()
    page.goto(f"/predictions/{pid}")
    form = page.locator("form#resolve")
    form.evaluate("f => f.querySelector('input[name=csrf_token]').remove()")
    choose_true_with_evidence(page)
    page.get_by_role("button", name="Record verdict").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_text("security token")).to_be_visible()
    page.goto(f"/predictions/{pid}")
    expect(page.get_by_role("heading", name="Record a verdict")).to_be_visible()
    expect(page.locator(".badge.true")).to_have_count(0)


def test_the_same_form_with_its_token_goes_through(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    signed_in(Role.editor)
    pid = live.log_prediction()
    page.goto(f"/predictions/{pid}")
    choose_true_with_evidence(page)
    page.get_by_role("button", name="Record verdict").click()

    expect(page).to_have_url(f"{live.url}/predictions/{pid}")
    expect(page.get_by_role("status")).to_contain_text("Verdict recorded: true")
    expect(page.locator(".badge.true").first).to_be_visible()


def test_a_viewer_sees_the_prediction_without_the_resolve_form(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    pid = live.log_prediction()
    signed_in(Role.viewer)
    page.goto(f"/predictions/{pid}")

    expect(page.get_by_role("heading", level=1)).to_contain_text("No general ceasefire")
    expect(page.get_by_role("button", name="Record verdict")).to_have_count(0)
    expect(page.get_by_role("radio", name=re.compile("^True"))).to_have_count(0)
    expect(page.get_by_role("link", name="Log a prediction")).to_have_count(0)


def test_an_editor_sees_the_resolve_form(live: Live, page: Page, signed_in: SignInAs) -> None:
    pid = live.log_prediction()
    signed_in(Role.editor)
    page.goto(f"/predictions/{pid}")

    expect(page.get_by_role("button", name="Record verdict")).to_be_visible()
    expect(page.get_by_role("group", name="Verdict")).to_be_visible()
    expect(labelled(page, "Known on")).to_have_value("")
