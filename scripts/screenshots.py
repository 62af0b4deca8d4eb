"""The README's screenshots: the demo data set in a throwaway SQLite database, the app on
loopback, and Debian's chromium signing in to photograph the desk, an author page, the
predictions page and the review desk at 1280 px.

    .venv/bin/python scripts/screenshots.py  # docs/screenshots/{desk,author,predictions,review}.png
    .venv/bin/python scripts/screenshots.py --out /tmp/shots --author marta-kovac

Needs /usr/bin/chromium (`make test` installs it); never downloads a browser.
"""

import argparse
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import uvicorn
from alembic import command
from fastapi import FastAPI
from playwright.sync_api import Page, sync_playwright
from sqlmodel import Session, col, select

from app import demo
from app.auth import service as auth
from app.cli import alembic_config
from app.config import Settings
from app.db import make_engine, session_scope
from app.main import create_app
from app.models import Prediction, ProposedVerdict, Role, Status, User
from app.predictions import imports
from app.predictions import service as predictions
from app.predictions.columns import Format
from app.resolutions import service as resolutions

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
EMAIL, PASSWORD = "editor@example.org", "screenshots only, not a secret"
PREDICTIONS = "/predictions?q=the&sort=resolve_by"

# A few more rows, so the desk has something due this week and a fresh log beside the demo's.
EXTRA = [
    {
        "outlet": "The Weekly Ledger",
        "source_url": "https://ledger.example.org/2026/10/budget-vote",
        "source_title": "The budget will pass, narrowly",
        "published_at": "2026-10-02T07:00:00Z",
        "author": "Daniel Osei",
        "quote": "the budget will very likely pass before the end of November",
        "claim": "Parliament passes the 2027 budget bill by 2026-11-30.",
        "hedge": "very likely",
        "resolve_by": "2026-11-30",
        "tags": "politics;budget",
    },
    {
        "outlet": "Northbridge Review",
        "source_url": "https://review.example.org/2026/11/grid-storage",
        "source_title": "Batteries are eating the evening peak",
        "published_at": "2026-11-20T08:00:00Z",
        "author": "Marta Kovac",
        "quote": "grid batteries will probably cover a tenth of the evening peak by 2028",
        "claim": "Grid batteries supply at least 10% of Germany's evening peak demand in 2028.",
        "hedge": "probably",
        "resolve_by": "by the end of 2028",
        "tags": "energy;storage",
    },
    # Overdue, for the review desk: a queue with assignees, an escalation, a proposal.
    {
        "outlet": "The Weekly Ledger",
        "source_url": "https://ledger.example.org/2026/06/rail-strike",
        "source_title": "The rail strike will be over by autumn",
        "published_at": "2026-06-12T07:00:00Z",
        "author": "Daniel Osei",
        "quote": "the rail strike will almost certainly be settled by the end of September",
        "claim": "The national rail strike ends with a signed agreement by 2026-09-30.",
        "hedge": "almost certainly",
        "resolve_by": "2026-09-30",
        "tags": "labour;transport",
    },
]


class FixedClock:
    """The app's clock, stopped at NOW so the pictures do not depend on the day they are taken."""

    def now(self) -> datetime:
        return NOW


def build_database(url: str) -> None:
    """Migrate, load the demo data and the extra rows, sweep deadlines, add an editor."""
    command.upgrade(alembic_config(url), "head")
    engine = make_engine(Settings(database_url=url))
    today: date = NOW.date()
    try:
        with session_scope(engine) as session:
            print(demo.load(session=session, today=today))
            rows = "\n".join(json.dumps(row) for row in EXTRA).encode()
            report = imports.import_predictions(
                session=session, data=rows, fmt=Format.jsonl, user_id=None, today=today
            )
            assert report.predictions == len(EXTRA), f"the extra rows did not load: {report}"
            predictions.mark_due(session=session, today=today)
            user = auth.ensure_user(session=session, email=EMAIL, role=Role.editor)
            auth.set_password(session=session, user=user, password=PASSWORD)
            review_desk(session, user)
    finally:
        engine.dispose()


def review_desk(session: Session, user: User) -> None:
    """The review desk's material: a check's proposal on the most overdue prediction, and the
    next one assigned to the editor."""
    due = session.exec(
        select(Prediction)
        .where(Prediction.status == Status.due)
        .order_by(col(Prediction.resolve_by))
    ).all()
    assert len(due) >= 2, "the demo has fewer than two due predictions"
    assert due[0].id is not None
    proposal = ProposedVerdict(
        prediction_id=due[0].id,
        outcome="false",
        resolved_on=NOW.date(),
        evidence_url="https://manifold.example.org/q/demo-question",
        source="manifold",
        status="proposed",
        created_at=NOW,
    )
    session.add(proposal)
    resolutions.assign(session=session, prediction=due[1], email=EMAIL, by=user, now=NOW)


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """The app on a free loopback port, in a thread; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the app did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def photograph(page: Page, path: str, target: Path, *, full_page: bool) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    page.screenshot(path=target, full_page=full_page)
    print(f"saved {target.relative_to(ROOT) if target.is_relative_to(ROOT) else target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--author", default="daniel-osei", help="the author page's slug")
    parser.add_argument("--height", type=int, default=1000, help="the desk's height in px")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory(prefix="hindsight-shots-") as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        build_database(url)
        settings = Settings(database_url=url, public_reads=True, scheduler_embedded=False)
        with serving(create_app(settings, clock=FixedClock())) as base, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
            context = browser.new_context(
                base_url=base, viewport={"width": 1280, "height": args.height}
            )
            page = context.new_page()
            page.goto("/sign-in")
            page.get_by_label("Email").fill(EMAIL)
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{base}/desk")
            # The desk's first screen; the author page whole (record, charts, predictions).
            photograph(page, "/desk", args.out / "desk.png", full_page=False)
            photograph(page, f"/authors/{args.author}", args.out / "author.png", full_page=True)
            # The predictions page, searched and filtered as its address says.
            photograph(page, PREDICTIONS, args.out / "predictions.png", full_page=False)
            # The review desk: escalations, the queue with assignees, proposals.
            photograph(page, "/review", args.out / "review.png", full_page=False)
            browser.close()


if __name__ == "__main__":
    main()
