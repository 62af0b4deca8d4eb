"""WCAG AA contrast on the pages of issue 15 part 1 (predictions, candidates, the verdict form):
every visible text against the background it sits on, by WCAG 2.x's own formula (relative
luminance, https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio): 4.5:1, or 3:1 for large text."""

import re

from playwright.sync_api import Page, expect

from app.models import Role
from tests.web.browser.conftest import Live, SignInAs
from tests.web.browser.test_flow import paste_the_op_ed

LOW_CONTRAST = """() => {
  const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map(v => v / 255)
      .map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const background = el => {
    for (let at = el; at; at = at.parentElement) {
      const c = rgb(getComputedStyle(at).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || !el.getClientRects().length || style.visibility === "hidden") continue;
    const fg = lum(rgb(style.color).slice(0, 3)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const text = el.textContent.trim().slice(0, 40);
    if (ratio < need) low.push(`${el.tagName}.${el.className} ${ratio.toFixed(2)} "${text}"`);
  }
  return low;
}"""


def check(page: Page) -> None:
    assert page.evaluate(LOW_CONTRAST) == []


def test_the_check_finds_grey_on_white(page: Page) -> None:
    # #949494 on white is 3.03:1 (WebAIM's contrast checker): fails normal text, passes large.
    page.set_content(
        '<p style="color:#949494">small grey</p><p style="color:#949494;font-size:24px">big</p>'
    )
    assert page.evaluate(LOW_CONTRAST) == ['P. 3.03 "small grey"']


def test_the_predictions_page_passes_aa_contrast(live: Live, page: Page) -> None:
    live.load_demo()
    page.goto("/predictions?status=finished")  # the error summary and messages too
    expect(page.get_by_role("alert")).to_be_visible()
    check(page)
    page.goto("/predictions")
    check(page)


def test_the_candidates_and_the_verdict_form_pass_aa_contrast(
    live: Live, page: Page, signed_in: SignInAs
) -> None:
    signed_in(Role.editor)
    paste_the_op_ed(page)
    page.locator("ol.cands > li > details > summary").first.click()
    page.get_by_text("Edit the source: title, address, outlet, date").click()
    check(page)

    pid = live.log_prediction()
    page.goto(f"/predictions/{pid}")
    page.get_by_role("button", name="Record verdict").click()  # refused by the browser
    page.get_by_role("radio", name=re.compile("^True")).check()
    page.get_by_label("Known on").fill("2026-01-02")
    page.get_by_role("button", name="Record verdict").click()
    expect(page.locator("#f-evidence_urls-error")).to_be_visible()
    check(page)
