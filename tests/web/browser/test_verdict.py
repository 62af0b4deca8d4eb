"""The verdict form in a real browser: nothing chosen in advance, a submit without an outcome is
refused, and a chosen outcome with its evidence is recorded."""

import re

from playwright.sync_api import Page, expect

from app.models import Role
from tests.web.browser.conftest import Live, SignInAs, labelled

MISSING = "el => el.validity.valueMissing"


def test_a_verdict_without_an_outcome_is_refused_and_one_with_evidence_is_recorded(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    pid = live.log_prediction()
    signed_in(Role.editor)
    page.goto(f"/predictions/{pid}")
    verdict = page.get_by_role("group", name="Verdict")
    for name in ("True", "False", "Void"):
        expect(verdict.get_by_role("radio", name=re.compile(f"^{name}"))).not_to_be_checked()
    expect(labelled(page, "Known on")).to_have_value("")
    expect(page.get_by_text("the outcome became known, e.g. 2026-03-31")).to_be_visible()

    page.get_by_role("button", name="Record verdict").click()
    # The browser keeps the form: the outcome is required and nothing was chosen.
    expect(page).to_have_url(f"{live.url}/predictions/{pid}")
    assert verdict.get_by_role("radio", name=re.compile("^True")).evaluate(MISSING)
    expect(page.get_by_role("status")).to_have_count(0)

    verdict.get_by_role("radio", name=re.compile("^True")).check()
    labelled(page, "Known on").fill("2026-01-02")
    page.get_by_role("button", name="Record verdict").click()
    # Past the browser's checks, the server asks for the evidence beside its field.
    expect(page.locator("#f-evidence_urls-error")).to_contain_text("no link")
    expect(verdict.get_by_role("radio", name=re.compile("^True"))).to_be_checked()
    expect(labelled(page, "Known on")).to_have_value("2026-01-02")

    labelled(page, "Evidence links").fill("https://example.org/2026/01/no-ceasefire")
    page.get_by_role("button", name="Record verdict").click()
    expect(page.get_by_role("status")).to_contain_text("Verdict recorded: true")
    expect(
        page.get_by_role("link", name="https://example.org/2026/01/no-ceasefire")
    ).to_be_visible()


def test_the_verdict_form_has_no_sideways_scroll_at_360_px(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    pid = live.log_prediction()
    signed_in(Role.editor)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/predictions/{pid}")
    expect(page.get_by_role("group", name="Verdict")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
