"""The extraction page in a real browser: the example op-ed fits on a short page, candidates
open in place, and the keyboard accepts and rejects them under the API's numbers."""

import re

import httpx
from playwright.sync_api import Page, expect

from app.models import Role
from tests.web.browser.conftest import Live, SignInAs, labelled
from tests.web.browser.test_flow import paste_the_op_ed

# Issue 15: the old page, a full form per candidate, was about 8,500 px tall at 1280×800.
MAX_HEIGHT = 2500
HEIGHT = "document.documentElement.scrollHeight"


def source_id(page: Page) -> int:
    found = re.search(r"/sources/(\d+)/candidates", page.url)
    assert found is not None
    return int(found.group(1))


def api_candidates(live: Live, sid: int) -> list[dict[str, object]]:
    response = httpx.get(f"{live.url}/api/v1/sources/{sid}/candidates")
    assert response.status_code == 200
    found: list[dict[str, object]] = response.json()
    return found


def test_the_op_ed_with_every_candidate_closed_is_under_2500_px(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    signed_in(Role.editor)
    paste_the_op_ed(page)
    lines = page.locator("ol.cands > li")
    expect(lines.first).to_be_visible()
    assert lines.count() == len(api_candidates(live, source_id(page)))
    expect(page.locator("ol.cands details[open]")).to_have_count(0)
    height = page.evaluate(HEIGHT)
    print(f"candidates page height, all closed, 1280x800: {height} px")
    assert height < MAX_HEIGHT

    # One opens in place, its accept form inside.
    lines.first.locator("summary").first.click()
    expect(lines.first.get_by_role("button", name="Accept")).to_be_visible()
    expect(lines.nth(1).get_by_role("button", name="Accept")).to_be_hidden()


def test_the_keyboard_accepts_and_rejects_under_the_apis_numbers(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    signed_in(Role.editor)
    paste_the_op_ed(page)
    sid = source_id(page)
    found = api_candidates(live, sid)
    shown = page.locator("ol.cands > li").evaluate_all("els => els.map(el => el.dataset.n)")
    assert shown == [str(c["n"]) for c in found]
    # The first candidate the article's own author said (no "whose is it?" to answer first).
    plain = page.locator("ol.cands > li").filter(has_not=page.locator("fieldset.whose"))
    first = int(plain.first.get_attribute("data-n") or "-1")

    # Letters act only with the focus on a candidate: elsewhere "j" does nothing.
    page.keyboard.press("j")
    expect(page.locator("ol.cands summary:focus")).to_have_count(0)
    page.locator("#candidate-0 > details > summary").focus()
    expect(page.locator("#candidate-0 > details > summary")).to_be_focused()
    for _ in range(first):
        page.keyboard.press("j")
    expect(page.locator(f"#candidate-{first} > details > summary")).to_be_focused()
    # The op-ed names no deadline for it: "a" brings the form back, the focus on the deadline.
    assert next(c for c in found if c["n"] == first)["resolve_by"] is None
    page.keyboard.press("a")
    deadline = labelled(page.locator(f"#candidate-{first}"), "Deadline")
    expect(deadline).to_be_focused()
    expect(deadline).to_have_attribute("aria-invalid", "true")
    deadline.fill("by the end of 2026")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Logged as prediction #")
    accepted = page.locator(f"#candidate-{first}")
    expect(accepted.get_by_role("link", name=re.compile(r"^prediction #\d+$"))).to_be_visible()

    # Back on the page, the focus is on the next undecided candidate: reject it by keyboard.
    following = page.locator("ol.cands > li").filter(has=page.locator("form.accept")).first
    rejected = int(following.get_attribute("data-n") or "-1")
    expect(following.locator("summary").first).to_be_focused()
    page.keyboard.press("k")
    page.keyboard.press("j")
    expect(following.locator("summary").first).to_be_focused()
    page.keyboard.press("r")
    reason = labelled(following, "Why not")
    expect(reason).to_be_focused()
    reason.fill("background, not a forecast")
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("Rejected.")

    after = {c["n"]: c["status"] for c in api_candidates(live, sid)}
    assert after[first] == "accepted"
    assert after[rejected] == "rejected"
    expect(page.locator(f"#candidate-{rejected} .badge")).to_have_text("rejected")


def test_the_source_is_edited_on_the_page(live: Live, page: Page, signed_in: SignInAs) -> None:
    signed_in(Role.editor)
    paste_the_op_ed(page)
    page.get_by_text("Edit the source: title, address, outlet, date").click()
    labelled(page, "Title").fill("Trump's ceasefire gamble")
    labelled(page, "Address (URL)").fill("https://www.19fortyfive.com/2025/03/ceasefire/")
    page.get_by_role("button", name="Save the source").click()
    expect(page.get_by_role("status")).to_have_text("Source saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trump's ceasefire gamble")


def test_no_sideways_scroll_at_360_px(live: Live, page: Page, signed_in: SignInAs) -> None:
    signed_in(Role.editor)
    paste_the_op_ed(page)
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    page.locator("ol.cands > li summary").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 361


def forty_forecasts() -> str:
    things = ["inflation", "the central bank", "unemployment", "the coalition", "oil prices"]
    verbs = ["fall", "rise", "collapse", "recover", "stall", "change", "hold", "weaken"]
    return " ".join(
        f"In my view {things[i % 5]} will probably {verbs[i % 8]} by the end of {2027 + i // 8}."
        for i in range(40)
    )


def test_forty_candidates_fit_on_a_short_page(live: Live, page: Page, signed_in: SignInAs) -> None:
    signed_in(Role.editor)
    page.goto("/extract")
    labelled(page, "Article text").fill(forty_forecasts())
    labelled(page, "Author").fill("Marta Kovac")
    labelled(page, "Published on").fill("2026-01-10")
    page.get_by_role("button", name="Find predictions").click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/candidates$"))
    found = api_candidates(live, source_id(page))
    expect(page.locator("ol.cands > li")).to_have_count(len(found))
    height = page.evaluate(HEIGHT)
    print(f"{len(found)} candidates, all closed, 1280x800: {height} px")
    assert len(found) >= 40
    assert height < MAX_HEIGHT


def test_accepting_an_attributed_candidate_asks_whose_it_is_first(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    signed_in(Role.editor)
    paste_the_op_ed(page)
    attributed = page.locator("ol.cands > li").filter(has=page.locator("fieldset.whose")).first
    n = attributed.get_attribute("data-n")
    attributed.locator("summary").first.focus()
    page.keyboard.press("a")
    # Nothing is sent: the form opens on the question of whose forecast it is.
    expect(
        attributed.get_by_role("group", name=re.compile("^Whose forecast is this"))
    ).to_be_visible()
    expect(attributed.locator("input[name=whose]").first).to_be_focused()
    expect(page).to_have_url(re.compile(r"/sources/\d+/candidates$"))
    statuses = {str(c["n"]): c["status"] for c in api_candidates(live, source_id(page))}
    assert statuses[str(n)] == "proposed"
