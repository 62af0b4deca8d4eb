"""The weekly digest over real SMTP, its preview, catch-up, the queue and the calendar feed."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Settings, get_settings
from app.notifications import digest
from app.scheduler import Context, weekly_digest
from tests.conftest import MovableClock
from tests.notifications.conftest import SmtpSink
from tests.predictions.conftest import prediction_body


@pytest.fixture
def desk(client: TestClient, editor_headers: dict) -> dict:
    """An editor subscribed to the digest, with one overdue and one open prediction."""
    client.post(
        "/api/v1/subscriptions",
        json={"channel": "email", "address": "Desk@Example.org"},
        headers=editor_headers,
    ).raise_for_status()
    overdue = client.post("/api/v1/predictions", json=prediction_body(), headers=editor_headers)
    later = client.post(
        "/api/v1/predictions",
        json=prediction_body(quote="later", resolve_by="2027-06-30"),
        headers=editor_headers,
    )
    return {"overdue": overdue.json()["id"], "later": later.json()["id"]}


def smtp_settings(database_url: str, smtp: SmtpSink) -> Settings:
    return Settings(
        database_url=database_url,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        digest_weekday="mon",
        digest_time="08:00",
    )


def test_the_cli_sends_each_subscriber_one_digest_a_week(
    desk: dict,
    smtp: SmtpSink,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    client: TestClient,
    admin_headers: dict,
    clock: MovableClock,
) -> None:
    for name, value in {
        "DATABASE_URL": database_url,
        "SMTP_HOST": smtp.host,
        "SMTP_PORT": str(smtp.port),
        "CLOCK_START": clock.now().isoformat(),  # the CLI runs on the app's clock
    }.items():
        monkeypatch.setenv(f"HINDSIGHT_{name}", value)
    get_settings.cache_clear()
    week = digest.iso_week(clock.now().date())
    first = CliRunner().invoke(cli, ["digest", "send", "--week", week])
    assert first.exit_code == 0, first.output
    assert "1 sent" in first.output
    assert smtp.recipients() == ["desk@example.org"]
    text = smtp.messages[0].get_payload()[0].get_payload(decode=True).decode()
    assert "Overdue (1)" in text
    # Each line ends with the full address of the prediction's page, for the person reading.
    assert f"\n  http://127.0.0.1:8000/predictions/{desk['overdue']}\n" in text
    again = CliRunner().invoke(cli, ["digest", "send", "--week", week])
    assert "1 already sent" in again.output
    assert len(smtp.messages) == 1
    preview = client.get(
        f"/api/v1/digests/preview?email=desk@example.org&week={week}", headers=admin_headers
    ).json()
    assert preview["already_sent"] is True
    assert preview["text"] == text.replace("\r\n", "\n")


def test_a_scheduler_down_three_weeks_sends_one_digest_on_return(
    desk: dict, smtp: SmtpSink, engine: Engine, database_url: str, clock: MovableClock
) -> None:
    settings = smtp_settings(database_url, smtp)
    ctx = Context(engine, settings, clock, None)  # type: ignore[arg-type]
    clock.current = datetime(2026, 11, 23, 7, 0, tzinfo=UTC)  # Monday before 08:00
    assert weekly_digest(ctx) is None
    clock.advance(hours=2)
    assert weekly_digest(ctx).sent == 1
    assert weekly_digest(ctx).skipped == 1  # the next tick the same week sends nothing
    clock.advance(weeks=3, days=2)  # back on a Wednesday three weeks later
    run = weekly_digest(ctx)
    assert (run.week, run.sent) == ("2026-W51", 1)
    subjects = [m["Subject"] for m in smtp.messages]
    assert [s.split(":")[0] for s in subjects] == ["Hindsight 2026-W48", "Hindsight 2026-W51"]


def test_without_smtp_the_digest_is_recorded(
    desk: dict, engine: Engine, database_url: str, clock: MovableClock
) -> None:
    run = digest.send_digests(
        engine=engine, settings=Settings(database_url=database_url), now=clock.now()
    )
    assert (run.recorded, run.sent) == (1, 0)


def test_an_iso_week_is_checked(client: TestClient, admin_headers: dict, desk: dict) -> None:
    response = client.get(
        "/api/v1/digests/preview?email=desk@example.org&week=2026-48", headers=admin_headers
    )
    assert response.status_code == 422
    assert response.json()["field"] == "week"


def test_the_queue_lists_due_work_oldest_first(
    client: TestClient, desk: dict, editor_headers: dict
) -> None:
    queue = client.get("/api/v1/queue", headers=editor_headers).json()
    assert [i["id"] for i in queue["items"]] == [desk["overdue"]]
    item = queue["items"][0]
    assert item["assignee"] == "editor"  # no display name: the part of the email before @
    assert (
        item["overdue_days"] == (datetime(2026, 11, 25).date() - datetime(2025, 12, 31).date()).days
    )
    assert item["escalated"] is True
    mine = client.get("/api/v1/queue?assignee=someone@example.org", headers=editor_headers).json()
    assert mine["total"] == 0


def test_the_calendar_feed_is_valid_icalendar(client: TestClient, desk: dict) -> None:
    response = client.get("/api/v1/calendar.ics")
    assert response.headers["content-type"].startswith("text/calendar")
    # Parsed by the icalendar package, an independent implementation of RFC 5545.
    parsed = Calendar.from_ical(response.text)
    events = [c for c in parsed.walk() if c.name == "VEVENT"]
    assert {str(e["UID"]).split("@")[0] for e in events} == {
        f"prediction-{desk['overdue']}",
        f"prediction-{desk['later']}",
    }
    dates = sorted(e.decoded("DTSTART") for e in events)
    assert dates[0].isoformat() == "2025-12-31"
    assert client.get("/api/v1/calendar.ics?tag=nothing").text.count("VEVENT") == 0


def test_admins_hear_of_predictions_overdue_past_the_escalation(
    client: TestClient, desk: dict, admin_headers: dict, editor_headers: dict
) -> None:
    client.post(
        "/api/v1/subscriptions",
        json={"channel": "email", "address": "chief@example.org"},
        headers=admin_headers,
    ).raise_for_status()
    preview = client.get(
        "/api/v1/digests/preview?email=chief@example.org", headers=admin_headers
    ).json()
    assert f"#{desk['overdue']} " in preview["text"]  # logged by the editor, escalated to admins
    assert f"#{desk['later']} " not in preview["text"]
