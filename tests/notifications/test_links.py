"""Links that lead a person to a page and a program to the API; the digest's week as it was."""

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy.engine import Engine

from app.config import Settings
from app.links import derived_base_url
from app.main import create_app
from app.notifications.digest import week_span
from tests.conftest import MovableClock
from tests.notifications.conftest import Watched
from tests.predictions.conftest import prediction_body

BASE = "https://news.example/hindsight"
WEEK = "2026-W48"  # the fixture clock's week: Monday 23 to Sunday 29 November 2026
DESK = "desk@example.org"


@pytest.fixture
def linked(engine: Engine, database_url: str, clock: MovableClock) -> Iterator[TestClient]:
    settings = Settings(database_url=database_url, public_reads=True, base_url=BASE)
    with TestClient(create_app(settings, clock=clock)) as client:
        yield client


@pytest.fixture
def subscribed(linked: TestClient, editor_headers: dict) -> TestClient:
    linked.post(
        "/api/v1/subscriptions", json={"channel": "email", "address": DESK}, headers=editor_headers
    ).raise_for_status()
    return linked


def log(client: TestClient, headers: dict, quote: str) -> int:
    response = client.post(
        "/api/v1/predictions", json=prediction_body(quote=quote), headers=headers
    )
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def resolve(client: TestClient, headers: dict, prediction_id: int, **verdict: object) -> None:
    response = client.post(
        f"/api/v1/predictions/{prediction_id}/resolution", json=verdict, headers=headers
    )
    assert response.status_code == 201, response.text


def preview(client: TestClient, headers: dict) -> dict:
    response = client.get(f"/api/v1/digests/preview?email={DESK}&week={WEEK}", headers=headers)
    assert response.status_code == 200, response.text
    return dict(response.json())


def section(text: str, heading: str) -> str:
    """The lines of one section of the plain-text digest."""
    start = text.index(heading)
    rest = text[start:].split("\n\n", 1)[0]
    return rest


def test_an_api_prediction_links_to_its_page_and_its_author(
    linked: TestClient, editor_headers: dict
) -> None:
    pid = log(linked, editor_headers, "no ceasefire will materialize")
    body = linked.get(f"/api/v1/predictions/{pid}").json()
    assert body["links"] == {
        "self": f"{BASE}/api/v1/predictions/{pid}",
        "html": f"{BASE}/predictions/{pid}",
        "author": f"{BASE}/api/v1/authors/andrew-latham",
        "author_html": f"{BASE}/authors/andrew-latham",
    }
    listed = linked.get("/api/v1/predictions").json()["items"][0]
    assert listed["links"]["html"] == f"{BASE}/predictions/{pid}"
    # The page it names is the person's page, not JSON.
    page = linked.get(f"/predictions/{pid}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")


def test_the_calendar_links_each_deadline_to_its_page(
    linked: TestClient, editor_headers: dict
) -> None:
    pid = log(linked, editor_headers, "no ceasefire will materialize")
    # Parsed by the icalendar package, an independent implementation of RFC 5545.
    events = list(Calendar.from_ical(linked.get("/api/v1/calendar.ics").text).walk("VEVENT"))
    assert [str(e["URL"]) for e in events] == [f"{BASE}/predictions/{pid}"]


def test_the_embed_snippet_uses_the_base_url(linked: TestClient, editor_headers: dict) -> None:
    log(linked, editor_headers, "no ceasefire will materialize")
    page = linked.get("/authors/andrew-latham").text
    assert f"{BASE}/embed/authors/andrew-latham" in page
    assert "127.0.0.1:8000" not in page


def test_digest_lines_link_to_pages_in_full(
    subscribed: TestClient, editor_headers: dict, admin_headers: dict
) -> None:
    pid = log(subscribed, editor_headers, "no ceasefire will materialize")
    resolve(subscribed, editor_headers, pid, outcome="false", resolved_on="2026-11-20")
    shown = preview(subscribed, admin_headers)
    assert f"\n  {BASE}/predictions/{pid}\n" in shown["text"]
    assert f'<a href="{BASE}/predictions/{pid}">#{pid} andrew-latham:' in shown["html"]
    assert f'<a href="{BASE}/authors/andrew-latham">andrew-latham: Brier' in shown["html"]
    assert "/api/v1/" not in shown["text"] + shown["html"]


def test_resolved_this_week_goes_by_when_the_verdict_was_recorded(
    subscribed: TestClient, editor_headers: dict, admin_headers: dict, clock: MovableClock
) -> None:
    known_long_ago = log(subscribed, editor_headers, "a ceasefire will not come")
    last_week = log(subscribed, editor_headers, "no truce will hold")
    clock.advance(days=-7)  # Wednesday of the week before
    resolve(subscribed, editor_headers, last_week, outcome="true", resolved_on="2026-11-18")
    clock.advance(days=7)
    # Recorded today, though the outcome became known in October.
    resolve(subscribed, editor_headers, known_long_ago, outcome="true", resolved_on="2026-10-01")
    resolved = section(preview(subscribed, admin_headers)["text"], "Resolved this week")
    assert resolved.startswith("Resolved this week (1)")
    assert f"#{known_long_ago} andrew-latham:" in resolved
    assert "(resolved on 2026-10-01)" in resolved
    assert f"#{last_week} " not in resolved


def test_imported_verdicts_count_in_the_week_they_were_imported(
    subscribed: TestClient, editor_headers: dict, admin_headers: dict
) -> None:
    row = (
        "author,source_url,published_at,quote,claim,probability,resolve_by,outcome,resolved_on\n"
        "Ann Smith,https://p.example/1,2025-01-10,rates will fall,The Fed cuts by June 2025.,"
        "0.7,2025-06-30,true,2025-06-18\n"
    )
    response = subscribed.post(
        "/api/v1/predictions/import",
        content=row.encode(),
        headers={**editor_headers, "Content-Type": "text/csv"},
    )
    assert response.json()["resolutions"] == 1, response.text
    resolved = section(preview(subscribed, admin_headers)["text"], "Resolved this week")
    assert resolved.startswith("Resolved this week (1)")
    assert "ann-smith: The Fed cuts by June 2025. → true (resolved on 2025-06-18)" in resolved


def test_score_moves_are_the_brier_before_and_after_this_weeks_verdicts(
    subscribed: TestClient, editor_headers: dict, admin_headers: dict, clock: MovableClock
) -> None:
    # prediction_body's hedge, "practically guaranteeing", is 0.97 in the codebook.
    right = log(subscribed, editor_headers, "the truce will fail")
    wrong = log(subscribed, editor_headers, "the talks will fail")
    clock.advance(days=-7)
    resolve(subscribed, editor_headers, right, outcome="true", resolved_on="2026-11-18")
    clock.advance(days=7)
    resolve(subscribed, editor_headers, wrong, outcome="false", resolved_on="2026-11-24")
    moves = section(preview(subscribed, admin_headers)["text"], "How scores moved")
    # Worked by hand: before, (1 - 0.97)² = 0.0009; after, (0.0009 + 0.97²) / 2 = 0.4709.
    assert "andrew-latham: Brier 0.001 → 0.471 after 1 verdict\n" in moves


def test_a_superseded_verdict_moves_the_score_from_its_old_outcome(
    subscribed: TestClient, editor_headers: dict, admin_headers: dict, clock: MovableClock
) -> None:
    pid = log(subscribed, editor_headers, "the truce will fail")
    clock.advance(days=-7)
    resolve(subscribed, editor_headers, pid, outcome="true", resolved_on="2026-11-18")
    first = subscribed.get(f"/api/v1/predictions/{pid}").json()["resolutions"][0]["id"]
    clock.advance(days=7)
    resolve(
        subscribed, editor_headers, pid, outcome="false", resolved_on="2026-11-24",
        supersedes=first, note="the first report was wrong",
    )  # fmt: skip
    moves = section(preview(subscribed, admin_headers)["text"], "How scores moved")
    # Before: the old verdict, (1 - 0.97)² = 0.0009; after: the new one, 0.97² = 0.9409.
    assert "andrew-latham: Brier 0.001 → 0.941 after 1 verdict\n" in moves


def test_a_bind_address_gives_a_base_url_someone_can_reach() -> None:
    assert derived_base_url("127.0.0.1", 8123) == "http://127.0.0.1:8123"
    assert derived_base_url("::1", 8123) == "http://[::1]:8123"
    assert derived_base_url("0.0.0.0", 8123) == f"http://{socket.gethostname()}:8123"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_on_another_port_links_to_that_port(tmp_path: Path) -> None:
    env = {
        "HINDSIGHT_DATABASE_URL": f"sqlite:///{tmp_path / 'links.db'}",
        "HINDSIGHT_SCHEDULER_EMBEDDED": "false",
    }
    clean = {k: v for k, v in os.environ.items() if k != "HINDSIGHT_BASE_URL"}
    for command in (["db", "upgrade"], ["demo"]):
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", *command],
            env={**clean, **env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = Watched("serve", "--port", str(port), env=env)
    try:
        server.wait_for(f"links point at {base}")
        server.wait_for("Uvicorn running")
        item = httpx.get(f"{base}/api/v1/predictions?limit=1", timeout=30).json()["items"][0]
        assert item["links"]["html"] == f"{base}/predictions/{item['id']}"
        page = httpx.get(f"{base}/authors/{item['author']}", timeout=30).text
        assert f"{base}/embed/authors/{item['author']}" in page
        calendar = httpx.get(f"{base}/api/v1/calendar.ics", timeout=30).text
        assert f"{base}/predictions/" in calendar
        assert ":8000" not in calendar
    finally:
        server.stop(2)


def test_the_week_span_follows_the_digest_time_zone() -> None:
    start, end = week_span(WEEK, "America/New_York")
    assert start.isoformat() == "2026-11-23T05:00:00+00:00"
    assert end - start == timedelta(days=7)
