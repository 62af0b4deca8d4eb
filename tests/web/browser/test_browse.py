"""The predictions page in a real browser: search and filter through the form, the filter in
the address, the filtered set downloaded as CSV, bad values explained, and a 360 px phone."""

import csv
import io
import re

from playwright.sync_api import Page, expect

from app.models import Role
from tests.web.browser.conftest import Live, SignInAs, labelled, nav

ROWS = "ul.browse-list > li"


def three(live: Live) -> list[int]:
    ceasefire = live.log_prediction()
    rates = live.log_prediction(
        author={"name": "Daniel Osei"},
        quote="rates will probably be cut next year",
        claim="The central bank cuts rates before July 2027.",
        hedge="probably",
        resolve_by="2027-06-30",
        tags=["economy"],
    )
    kursk = live.log_prediction(
        quote="Russia will consolidate its gains",
        claim="Russia retakes the Kursk region within six months.",
        probability=0.8,
        resolve_by="2026-12-20",
        tags=["ukraine"],
    )
    return [ceasefire, rates, kursk]


def listed(page: Page) -> list[int]:
    hrefs = page.locator(f"{ROWS} > a").evaluate_all("els => els.map(a => a.pathname)")
    return [int(h.rsplit("/", 1)[1]) for h in hrefs]


def test_search_filter_and_export_round_trip(live: Live, page: Page, signed_in: SignInAs) -> None:
    ceasefire, _rates, kursk = three(live)
    signed_in(Role.viewer)
    nav(page, "Predictions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Predictions")
    expect(page.locator(ROWS)).to_have_count(3)

    labelled(page, "Search").fill("latham")
    labelled(page, "Tag").fill("Ukraine")
    labelled(page, "Sort").select_option(label="Soonest deadline")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/predictions\?.*q=latham.*tag=Ukraine.*sort=resolve_by"))
    expect(page.get_by_role("heading", name="2 predictions")).to_be_visible()
    assert listed(page) == [ceasefire, kursk]

    # The address is the filter: opened afresh it shows the same list, the form filled in.
    shared = page.url
    page.goto("/predictions")
    page.goto(shared)
    expect(labelled(page, "Search")).to_have_value("latham")
    assert listed(page) == [ceasefire, kursk]

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    path = download.value.path()
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    assert sorted(int(r["id"]) for r in rows) == sorted([ceasefire, kursk])
    assert {r["author"] for r in rows} == {"Andrew Latham"}

    page.get_by_role("link", name=re.compile(r"^No general ceasefire")).click()
    expect(page).to_have_url(f"{live.url}/predictions/{ceasefire}")


def test_a_bad_filter_is_explained_on_the_page(live: Live, page: Page) -> None:
    three(live)
    response = page.goto("/predictions?status=finished&due_after=2026-13-01&per_page=7")
    assert response is not None
    assert response.status == 400
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("“finished” is not a status")
    expect(alert).to_contain_text("is not a date")
    expect(page.locator("#f-status-error")).to_contain_text("choose one from the list")
    expect(page.locator(ROWS)).to_have_count(0)


def test_the_page_fits_a_360_px_phone(live: Live, page: Page) -> None:
    three(live)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/predictions?q=ceasefire")
    expect(page.locator(ROWS)).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 361
