"""Users for admins in a real browser: invite by a one-time link the invitee opens elsewhere,
change a role after confirming, deactivate (the other browser is signed out at once); the
pages fit a 360 px phone with AA contrast."""

import re

from playwright.sync_api import Browser, Page, expect

from app.models import Role
from tests.web.browser.a11y import focus_ring, low_contrast, overflow_x
from tests.web.browser.conftest import Live, labelled, nav, screenshot_dir, sign_in
from tests.web.browser.test_csp import violations_on

NEW_PASSWORD = "a long new passphrase"


def invite(page: Page, email: str) -> str:
    nav(page, "Users").click()
    labelled(page, "Email").fill(email)
    labelled(page, "Display name").fill("Nour Haddad")
    labelled(page, "Role").select_option("editor")
    page.get_by_label(re.compile("^A one-time link")).check()
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invitation for {email}")
    return labelled(page, "One-time link").input_value()


def test_invite_confirm_a_role_and_deactivate(live: Live, page: Page, browser: Browser) -> None:
    sign_in(page, live.user(Role.admin))
    link = invite(page, "nour@example.org")
    assert link.startswith(f"{live.url}/invitations/")

    theirs = browser.new_context(base_url=live.url)
    other = theirs.new_page()
    try:
        other.goto(link)
        expect(other.get_by_role("heading", level=1)).to_have_text("Welcome, Nour Haddad")
        labelled(other, "New password").fill(NEW_PASSWORD)
        labelled(other, "New password again").fill(NEW_PASSWORD)
        other.get_by_role("button", name="Set password").click()
        expect(other.get_by_role("status")).to_have_text("Your password is set: sign in with it.")
        sign_in(other, "nour@example.org", NEW_PASSWORD)

        page.goto("/admin/users")
        page.get_by_role("link", name="Nour Haddad").click()
        labelled(page, "New role").select_option("admin")
        page.get_by_role("button", name="Change role…").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Make nour@example.org an admin?")
        confirm = page.get_by_role("button", name="Yes, make them admin")
        confirm.focus()  # the confirmation is one Enter away, with the focus ring showing
        assert focus_ring(page) == "solid 3px"
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_have_text("nour@example.org is now admin.")

        page.get_by_role("button", name="Deactivate…").click()
        page.get_by_role("button", name="Yes, deactivate").click()
        expect(page.get_by_role("status")).to_contain_text("nour@example.org deactivated")
        other.goto("/desk")
        expect(other).to_have_url(re.compile(r"/sign-in\?next=%2Fdesk$"))
    finally:
        theirs.close()


def test_the_user_pages_fit_a_phone_and_keep_aa_contrast(live: Live, browser: Browser) -> None:
    email = live.user(Role.admin)
    live.api_key(Role.editor)
    phone = browser.new_context(base_url=live.url, viewport={"width": 360, "height": 740})
    page = phone.new_page()
    try:
        sign_in(page, email)
        found = violations_on(page)
        link = invite(page, "a.very.long.address.for.a.phone@newsroom.example.org")
        pages = ["/admin/users", link]
        page.goto("/admin/users")
        page.get_by_role("link", name="Nour Haddad").click()
        pages.append(page.url)
        for path in pages:
            page.goto(path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
            assert overflow_x(page) == 0, f"{path} scrolls sideways at 360 px"
            assert low_contrast(page) == [], path
        page.goto("/admin/users")
        page.screenshot(path=screenshot_dir() / "users-phone.png", full_page=True)
        page.goto(pages[-1])
        page.get_by_role("button", name="Deactivate…").click()
        assert overflow_x(page) == 0
        assert low_contrast(page) == []
        assert found == [], "the user pages break their own CSP"
    finally:
        phone.close()
