"""The journalist's flow in a real browser: paste an op-ed, accept two forecasts, give one a
deadline in words, resolve it and see the author's new score; and the log form's live hints."""

import re

from playwright.sync_api import Page, expect

from app.models import Role
from tests.conftest import shared_path
from tests.web.browser.conftest import Live, SignInAs, labelled, nav, sign_in

CEASEFIRE = "no ceasefire will materialize"
STRATEGY = "Trump’s strategy will succeed"


def paste_the_op_ed(page: Page) -> None:
    text = shared_path("examples", "seed-op-ed.txt").read_text(encoding="utf-8")
    nav(page, "From an article").click()
    labelled(page, "Article text").fill(text)
    labelled(page, "Author").fill("Andrew Latham")
    labelled(page, "Outlet").fill("19FortyFive")
    labelled(page, "Published on").fill("2025-03-20")
    page.get_by_role("button", name="Find predictions").click()
    expect(page).to_have_url(re.compile(r"/sources/\d+/candidates$"))


def accept(page: Page, words: str, *, deadline: str) -> int:
    """Accept the candidate whose highlighted words include `words`; returns its prediction id."""
    line = page.locator("li.cand").filter(has_text=words)
    line.locator("summary").first.click()
    labelled(line, "Deadline").fill(deadline)
    line.get_by_role("button", name="Accept").click()
    logged = page.locator("li.cand").filter(has_text=words)
    link = logged.get_by_role("link", name=re.compile(r"^prediction #\d+$"))
    expect(link).to_be_visible()
    return int(link.inner_text().removeprefix("prediction #"))


def test_paste_accept_resolve_and_see_the_new_score(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    email = signed_in(Role.editor)
    paste_the_op_ed(page)

    marks = page.locator("mark")
    assert marks.count() >= 2
    expect(marks.filter(has_text=CEASEFIRE)).to_have_count(1)
    expect(marks.filter(has_text=STRATEGY)).to_have_count(1)

    ceasefire = accept(page, CEASEFIRE, deadline="by the end of 2026")
    strategy = accept(page, STRATEGY, deadline="2026-06-30")
    assert ceasefire != strategy
    expect(page.get_by_role("link", name=re.compile(r"^prediction #\d+$"))).to_have_count(2)

    page.get_by_role("link", name=f"prediction #{ceasefire}").click()
    expect(page).to_have_url(f"{live.url}/predictions/{ceasefire}")
    expect(page.get_by_role("heading", level=1)).to_have_text("No ceasefire will materialize.")
    terms = page.locator("dl.stats")
    expect(terms).to_contain_text("31 Dec 2026")
    shown = terms.locator("div", has_text="Probability").locator("dd").inner_text()
    probability = float(shown.rstrip("%")) / 100
    assert probability == 0.97

    # The deadline passes; weeks later the journalist signs in again to record what happened.
    live.clock.advance(days=40)
    sign_in(page, email)
    page.goto(f"/predictions/{ceasefire}")

    page.get_by_role("radio", name=re.compile("^False")).check()
    labelled(page, "Known on").fill("2027-01-02")
    labelled(page, "Evidence links").fill("https://example.org/2027/01/talks-fail")
    labelled(page, "Note").fill("Talks broke down; fighting continued through 2026.")
    page.get_by_role("button", name="Record verdict").click()
    expect(page.get_by_role("status")).to_contain_text("Verdict recorded: false")
    expect(page.locator(".badge.false").first).to_be_visible()

    page.get_by_role("link", name="Andrew Latham").first.click()
    expect(page).to_have_url(re.compile(r"/authors/andrew-latham$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Andrew Latham")
    brier = (probability - 0.0) ** 2
    record = page.get_by_role("region", name="Track record", exact=True)
    expect(record).to_contain_text(f"Brier score {brier:.3f}")
    for name, count in (("Logged", "2"), ("Resolved", "1")):
        stat = record.locator("dl.stats > div").filter(has=page.locator("dt", has_text=name))
        expect(stat.locator("dd").first).to_have_text(count)
    row = page.locator("tr", has=page.get_by_role("link", name=re.compile("No ceasefire")))
    expect(row.locator(".badge.false")).to_be_visible()
    expect(page.locator(".badge.true")).to_have_count(0)


def test_the_log_form_shows_the_codebook_number_and_the_deadline_live(
    page: Page, signed_in: SignInAs
) -> None:
    signed_in(Role.editor)
    nav(page, "Log a prediction").click()
    expect(page).to_have_url(re.compile(r"/predictions/new$"))

    labelled(page, "Hedge words").press_sequentially("almost certainly")
    expect(page.locator("output#hedge-preview")).to_contain_text("hindsight-v2: 95%")
    labelled(page, "Hedge words").fill("probably")
    expect(page.locator("output#hedge-preview")).to_contain_text("hindsight-v2: 75%")

    labelled(page, "Published on").fill("2025-03-20")
    labelled(page, "Deadline").press_sequentially("by the end of 2026")
    expect(page.locator("output#deadline-preview")).to_have_text("31 Dec 2026")
    labelled(page, "Deadline").fill("within two years")
    expect(page.locator("output#deadline-preview")).to_have_text("20 Mar 2027")

    expect(page).to_have_url(re.compile(r"/predictions/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log a prediction")
