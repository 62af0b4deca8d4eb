"""Every page at 1280 px and 360 px: a full-page screenshot of each, no sideways scrolling on a
phone, a label on every control, one h1, and a keyboard path that starts at the skip link and
shows where the focus is."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, ViewportSize, expect
from sqlmodel import Session, col, select

from app.models import Prediction, Resolution, Role
from tests.web.browser.conftest import Live, labelled, screenshot_dir, sign_in

DESKTOP = ViewportSize(width=1280, height=800)
PHONE = ViewportSize(width=360, height=740)
ARTICLE = (
    "Europe's gas crunch is over. Prices will almost certainly stay below last winter's peak "
    "until the end of March. The central bank is likely to cut rates twice by the end of 2026, "
    "and unemployment will probably stay under five percent next year."
)

# Controls without a label: <label for>, a wrapping <label>, aria-label or aria-labelledby.
UNLABELLED = """() => [...document.querySelectorAll("input, select, textarea")]
  .filter(el => el.type !== "hidden")
  .filter(el => !(
    (el.id && document.querySelector(`label[for="${CSS.escape(el.id)}"]`))
    || el.closest("label")
    || (el.getAttribute("aria-label") || "").trim()
    || (el.getAttribute("aria-labelledby") || "").trim()))
  .map(el => el.outerHTML.slice(0, 160))"""

# Put the keyboard at the top of the document (past any autofocus), as on arriving by link.
TOP = """() => {
  const root = document.documentElement;
  root.tabIndex = -1;
  root.focus();
  root.removeAttribute("tabindex");
}"""

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    text: (el.innerText || el.value || el.name || "").trim().slice(0, 60),
    skip: el.classList.contains("skip"),
    outline: style.outlineStyle,
    width: parseFloat(style.outlineWidth),
  };
}"""


def _resolved_prediction(live: Live) -> int:
    with Session(live.engine) as session:
        found = session.exec(
            select(Prediction.id).join(Resolution).order_by(col(Prediction.id))
        ).first()
    assert found is not None, "the demo data set has no resolved prediction"
    return found


def _candidates(live: Live, page: Page) -> str:
    page.goto("/extract")
    labelled(page, "Article text").fill(ARTICLE)
    labelled(page, "Author").fill("Marta Kovac")
    labelled(page, "Published on").fill("2025-01-20")
    page.get_by_role("button", name="Find predictions").click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/candidates$"))
    expect(page.locator("mark").first).to_be_visible()
    return page.url.removeprefix(live.url)


Where = Callable[[Live, Page], str]

PAGES: dict[str, tuple[Role | None, Where]] = {
    "sign-in": (None, lambda live, page: "/sign-in"),
    "desk": (Role.editor, lambda live, page: "/desk"),
    "predictions": (None, lambda live, page: "/predictions?sort=resolve_by&per_page=10"),
    "log-form": (Role.editor, lambda live, page: "/predictions/new"),
    "from-article": (Role.editor, lambda live, page: "/extract"),
    "candidates": (Role.editor, _candidates),
    "prediction": (Role.editor, lambda live, page: f"/predictions/{_resolved_prediction(live)}"),
    "author": (None, lambda live, page: "/authors/daniel-osei"),
    "authors": (None, lambda live, page: "/authors"),
    "leaderboard": (None, lambda live, page: "/leaderboard?min_resolved=1"),
    "outlets": (None, lambda live, page: "/outlets"),
    "account": (Role.editor, lambda live, page: "/account"),
    "account-keys": (Role.editor, lambda live, page: "/account/keys"),
    "account-subscriptions": (Role.editor, lambda live, page: "/account/subscriptions"),
    "embed": (None, lambda live, page: "/embed/authors/daniel-osei"),
}


def _check_keyboard(page: Page, *, skip_link: bool) -> None:
    page.evaluate(TOP)
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first is not None, "Tab reaches nothing"
    if skip_link:
        assert first["skip"], f"Tab from the top should reach the skip link first, not {first}"
    seen = [first]
    for _ in range(15):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None:
            break
        seen.append(focused)
    hidden = [f for f in seen if f["outline"] == "none" or f["width"] <= 0]
    assert not hidden, f"focused elements without a visible outline: {hidden}"


def _check_page(page: Page, name: str, width: int) -> None:
    page.screenshot(path=screenshot_dir() / f"{name}-{width}.png", full_page=True)
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate(UNLABELLED) == [], "every form control needs a label"


@pytest.mark.parametrize("name", list(PAGES))
def test_page_at_desktop_and_phone_widths(live: Live, page: Page, name: str) -> None:
    role, where = PAGES[name]
    live.load_demo()
    if role is not None:
        sign_in(page, live.user(role))
    path = where(live, page)

    response = page.goto(path)
    assert response is not None
    assert response.status == 200, f"{path} answered {response.status}"
    _check_page(page, name, DESKTOP["width"])
    _check_keyboard(page, skip_link=name != "embed")

    page.set_viewport_size(PHONE)
    page.goto(path)
    _check_page(page, name, PHONE["width"])
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= PHONE["width"] + 1, f"{path} scrolls sideways at 360 px ({scroll} px wide)"


def test_the_skip_link_moves_the_focus_to_the_content(live: Live, page: Page) -> None:
    live.load_demo()
    page.goto("/leaderboard")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
