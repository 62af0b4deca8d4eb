"""What a journalist stumbled on in the browser (issue 15, tried as a new user), held here."""

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from app.models import Role
from tests.web.browser.conftest import Live, SignInAs, labelled, nav, sign_in


def test_the_address_a_search_leaves_holds_only_the_filters_typed(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    live.log_prediction()
    signed_in(Role.viewer)
    page.goto("/predictions")
    labelled(page, "Search").fill("ceasefire")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"q=ceasefire"))
    query = parse_qs(urlsplit(page.url).query, keep_blank_values=True)
    assert query["q"] == ["ceasefire"]
    assert all(value != [""] for value in query.values()), page.url
    expect(page.get_by_role("heading", name="1 prediction")).to_be_visible()
    # Back to the form: the fields emptied out of the address work again.
    page.go_back()
    labelled(page, "Tag").fill("ukraine")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"tag=ukraine"))


def test_an_invitations_link_is_copied_with_one_button(live: Live, page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live.url)
    sign_in(page, live.user(Role.admin))
    nav(page, "Users").click()
    labelled(page, "Email").fill("nour@example.org")
    page.get_by_role("button", name="Invite").click()
    link = labelled(page, "One-time link").input_value()
    assert link.startswith(f"{live.url}/invitations/")
    copy = page.locator("button[data-copy=invite-link]")
    expect(copy).to_have_text("Copy the link")
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == link
