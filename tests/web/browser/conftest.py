"""Real-browser fixtures: one live server on loopback over the suite's migrated database, one
headless Debian chromium for the session, and a fresh browser context (1280×800) for every test.

They run on SQLite, and again on PostgreSQL in the second pass (`pytest -m "db or browser"`).
Screenshots go to $HINDSIGHT_ARTIFACTS (default: test-artifacts/ at the repository root) under
screenshots/.
"""

import os
import re
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app import demo
from app.auth import service as auth
from app.config import Settings
from app.db import begin_write
from app.main import create_app
from app.models import Role
from app.scoring.cache import ResponseCache
from tests.conftest import REPO, MovableClock, truncate_all
from tests.live import serving
from tests.predictions.conftest import prediction_body
from tests.web.conftest import PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
START = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
HERE = Path(__file__).parent
FAILED = pytest.StashKey[bool]()
LOADED_AT = time.time()  # every worker imports this before its first test


def artifacts() -> Path:
    """Where this run keeps what it saves: $HINDSIGHT_ARTIFACTS or test-artifacts/."""
    return Path(os.environ.get("HINDSIGHT_ARTIFACTS") or REPO / "test-artifacts")


def screenshot_dir() -> Path:
    folder = artifacts() / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call":
        item.stash[FAILED] = report.failed
    return report


@dataclass
class Live:
    """The running app: its base URL, the app object, its database and its clock."""

    url: str
    app: FastAPI
    clock: MovableClock

    @property
    def engine(self) -> Engine:
        engine: Engine = self.app.state.engine
        return engine

    def writing(self) -> Session:
        """A session that takes SQLite's write lock first, so it queues behind the server's
        writes instead of failing "database is locked"."""
        session = Session(self.engine)
        begin_write(session)
        return session

    def user(self, role: Role) -> str:
        """A user of this role who can sign in with PASSWORD; returns the email."""
        email = f"{role.value}@example.org"
        with self.writing() as session:
            user = auth.ensure_user(session=session, email=email, role=role)
            auth.set_password(session=session, user=user, password=PASSWORD)
            session.commit()
        return email

    def api_key(self, role: Role = Role.editor) -> dict[str, str]:
        """Headers carrying a fresh API key, for setting data up through /api/v1."""
        with self.writing() as session:
            user = auth.ensure_user(
                session=session, email=f"{role.value}-api@example.org", role=role
            )
            secret = auth.issue_key(session=session, user=user).secret
            session.commit()
        return {"Authorization": f"Bearer {secret}"}

    def log_prediction(self, **overrides: object) -> int:
        """A prediction logged through the JSON API (tests/predictions' valid body)."""
        with httpx.Client(base_url=self.url, headers=self.api_key()) as api:
            response = api.post("/api/v1/predictions", json=prediction_body(**overrides))
            assert response.status_code == 201, response.text
            pid = int(response.json()["id"])
            # The API commits before it answers: the row is there to read at once.
            assert api.get(f"/api/v1/predictions/{pid}").status_code == 200
        return pid

    def load_demo(self) -> None:
        """The demo data set (authors, outlets, articles, resolved predictions)."""
        with self.writing() as session:
            demo.load(session=session, today=self.clock.now().date())
            session.commit()


@pytest.fixture(scope="session")
def live_server(migrated_engine: Engine, database_url: str) -> Iterator[Live]:
    """The app on the suite's database (SQLite, or PostgreSQL in the second pass)."""
    clock = MovableClock(START)
    settings = Settings(database_url=database_url, public_reads=True, scheduler_embedded=False)
    app = create_app(settings, clock=clock)
    with serving(app) as base:
        yield Live(base, app, clock)


@pytest.fixture
def live(live_server: Live) -> Iterator[Live]:
    """The live server with an empty database and the clock at 25 Nov 2026 12:00 UTC."""
    live_server.clock.current = START
    live_server.app.state.score_cache = ResponseCache()
    yield live_server
    truncate_all(live_server.engine)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests drive Debian's chromium. Run `make test`, "
            "which installs it (apt-get install chromium); never `playwright install`.",
            pytrace=False,
        )
    # Only an earlier run's: under xdist another worker may already have saved one of this run's.
    for stale in (artifacts() / "failures").glob("*.png"):
        if stale.stat().st_mtime < LOADED_AT:
            stale.unlink(missing_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser, live: Live, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A new browser context per test; a screenshot is kept when the test fails."""
    context = browser.new_context(base_url=live.url, viewport={"width": 1280, "height": 800})
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    if request.node.stash.get(FAILED, False):
        failures = artifacts() / "failures"
        failures.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        opened.screenshot(path=failures / f"{name}.png", full_page=True)
    context.close()


def labelled(scope: Page | Locator, text: str) -> Locator:
    """The control whose label reads exactly `text` (a required field's " *" allowed)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(text)}(\s*\*)?\s*$"))


def nav(page: Page, name: str) -> Locator:
    """A link of the main navigation."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through the form, as a person would; lands on the desk."""
    page.goto("/sign-in")
    labelled(page, "Email").fill(email)
    labelled(page, "Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/desk$"))


SignInAs = Callable[[Role], str]


@pytest.fixture
def signed_in(live: Live, page: Page) -> SignInAs:
    """Sign the page in as a new user of the given role; returns the email."""

    def as_role(role: Role) -> str:
        email = live.user(role)
        sign_in(page, email)
        return email

    return as_role
