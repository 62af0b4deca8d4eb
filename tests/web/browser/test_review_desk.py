"""The review desk in a real browser: by keyboard alone, on a 360 px phone, with AA contrast."""

import re
from datetime import date

from playwright.sync_api import Browser, Page, expect

from app.models import ProposedVerdict, Role
from tests.web.browser.a11y import focus_ring, low_contrast, overflow_x
from tests.web.browser.conftest import Live, labelled, screenshot_dir, sign_in
from tests.web.browser.test_csp import violations_on


def seed(live: Live) -> tuple[int, int]:
    """An overdue prediction with a proposal, and a second one; a colleague to assign to."""
    first = live.log_prediction()
    second = live.log_prediction(
        quote="the spring offensive will stall",
        claim="The spring offensive stalls before the end of 2025.",
        hedge=None,
        probability=0.8,
    )
    live.user(Role.admin)
    with live.writing() as session:
        session.add(
            ProposedVerdict(
                prediction_id=first,
                outcome="true",
                resolved_on=date(2026, 11, 24),
                evidence_url="https://forecasts.example.org/q/ceasefire-2025",
                source="manifold",
                status="proposed",
                created_at=live.clock.now(),
            )
        )
        session.commit()
    return first, second


def test_assign_and_reject_a_proposal_by_keyboard_with_a_visible_focus(
    live: Live, page: Page
) -> None:
    first, second = seed(live)
    sign_in(page, live.user(Role.editor))
    page.goto("/review")

    chooser = labelled(page.locator(f"#item-{second}"), f"Assign #{second} to")
    chooser.focus()
    assert focus_ring(page) == "solid 3px"
    chooser.select_option("admin@example.org")  # what arrow keys do on a focused select
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Assign"
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(
        f"Prediction #{second} assigned to admin@example.org."
    )

    summary = page.get_by_text(f"Reject proposal for #{first}")
    summary.focus()
    assert focus_ring(page) == "solid 3px"
    page.keyboard.press("Enter")
    reason = labelled(page, "Why is this proposal wrong?")
    expect(reason).to_be_visible()
    page.keyboard.press("Tab")
    expect(reason).to_be_focused()
    page.keyboard.type("The market asked about a partial ceasefire.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^Proposal \d+ rejected\.$"))
    expect(page.get_by_text("No proposals await a decision.")).to_be_visible()


def test_the_review_pages_fit_a_phone_and_keep_aa_contrast(live: Live, browser: Browser) -> None:
    seed(live)
    email = live.user(Role.admin)  # an admin sees the withdrawal forms too
    phone = browser.new_context(base_url=live.url, viewport={"width": 360, "height": 740})
    page = phone.new_page()
    try:
        sign_in(page, email)
        found = violations_on(page)
        for path in ("/review", "/review?show=mine", "/review/digest"):
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert overflow_x(page) == 0, f"{path} scrolls sideways at 360 px"
            assert low_contrast(page) == [], path
        page.get_by_text("The plain-text version").click()
        assert overflow_x(page) == 0
        page.goto("/review")
        page.get_by_text(re.compile(r"^Withdraw #\d+")).first.click()
        assert overflow_x(page) == 0
        assert found == [], "the review pages break their own CSP"
        page.screenshot(path=screenshot_dir() / "review-phone.png", full_page=True)
    finally:
        phone.close()
