"""Checks a person with a phone, a keyboard or low vision would make, run in the page."""

from playwright.sync_api import Page

# WCAG 2.1 contrast (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio): relative luminance of
# sRGB colours, (L1 + 0.05) / (L2 + 0.05); AA asks 4.5 for text, 3 for large text (24 px, or
# 18.66 px bold). The background is the first opaque one up the tree.
_LOW_CONTRAST = """() => {
  const rgb = (s) => (s.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const style = getComputedStyle(el);
    if (!own || style.visibility === 'hidden' || el.getClientRects().length === 0) continue;
    const a = lum(rgb(style.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    const text = el.textContent.trim().slice(0, 40);
    if (ratio < needed) low.push(`${el.tagName} "${text}" ${ratio.toFixed(2)}`);
  }
  return low;
}"""


def low_contrast(page: Page) -> list[str]:
    """Text on the page whose contrast with its background is below WCAG AA."""
    found: list[str] = page.evaluate(_LOW_CONTRAST)
    return found


def overflow_x(page: Page) -> int:
    """How many CSS pixels the page is wider than the window (0: no horizontal scroll)."""
    width: int = page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    return width


def focus_ring(page: Page) -> str:
    """The focused element's outline as drawn ('solid 3px'), or '' if none shows."""
    ring: str = page.evaluate(
        """() => {
      const s = getComputedStyle(document.activeElement);
      return s.outlineStyle === 'none' || parseFloat(s.outlineWidth) === 0
        ? '' : `${s.outlineStyle} ${s.outlineWidth}`;
    }"""
    )
    return ring
