"""/docs and /redoc render the API's operations with every request off this machine refused."""

from urllib.parse import urlsplit

from playwright.sync_api import Page, Route, expect

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


def offline(page: Page) -> list[str]:
    """Abort every request that would leave loopback; the list of those refused."""
    refused: list[str] = []

    def handle(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOOPBACK:
            route.continue_()
        else:
            refused.append(url)
            route.abort()

    page.route("**/*", handle)
    return refused


def test_swagger_ui_renders_every_operation_offline(page: Page) -> None:
    refused = offline(page)
    page.goto("/docs")
    operations = page.locator(".opblock")
    expect(operations.first).to_be_visible()
    assert operations.count() > 30  # every route of the API, not a blank page
    expect(page.get_by_text("/api/v1/predictions/{prediction_id}").first).to_be_visible()
    assert refused == []


def test_redoc_renders_the_operations_offline(page: Page) -> None:
    refused = offline(page)
    page.goto("/redoc")
    expect(page.locator("[data-section-id^='operation/']").first).to_be_attached(timeout=20_000)
    assert page.locator("[data-section-id^='operation/']").count() > 30
    assert refused == []
