"""Nothing lost, nothing doubled: the scheduler process killed with SIGKILL mid-run, restarted;
stopped with SIGTERM or SIGINT, it gives the lease to the next scheduler at once."""

import os
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from tests.notifications.conftest import Receiver, SmtpSink, Watched, hindsight, outbox_due_at
from tests.predictions.conftest import prediction_body

pytestmark = pytest.mark.slow
RECIPIENTS = [f"reader{n}@example.org" for n in range(6)]
STARTED = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# A restart an hour on: the killed scheduler's one-second lease has long run out.
RESTARTED = STARTED + timedelta(hours=1)


def env_for(database_url: str, clock: datetime = STARTED, **extra: str) -> dict[str, str]:
    return {
        "HINDSIGHT_DATABASE_URL": database_url,
        "HINDSIGHT_SCHEDULER_TICK": "0.2",
        "HINDSIGHT_SCHEDULER_LEASE_SECONDS": "1",
        "HINDSIGHT_CLOCK_START": clock.isoformat(),
        "HINDSIGHT_WEBHOOK_ALLOW_PRIVATE": "true",
        **{f"HINDSIGHT_{k.upper()}": v for k, v in extra.items()},
    }


def run(args: list[str], env: dict[str, str], killer: list[int]) -> int:
    """Run `hindsight ARGS`, letting the test's servers kill it; returns its exit status."""
    process = hindsight(*args, env=env)
    killer.append(process.pid)
    process.communicate(timeout=60)
    killer.clear()
    return process.returncode


def kill(pids: list[int]) -> None:
    """SIGKILL, and return once the process is dead (before this server answers it)."""
    os.kill(pids[0], signal.SIGKILL)
    stat = Path(f"/proc/{pids[0]}/stat")
    deadline = time.monotonic() + 10
    while stat.exists() and stat.read_text().split(") ")[-1][0] != "Z":
        assert time.monotonic() < deadline, "the killed scheduler did not die"
        time.sleep(0.005)


def test_a_digest_run_killed_midway_sends_each_recipient_one_digest(
    client: TestClient, editor_headers: dict, smtp: SmtpSink, engine: Engine, database_url: str
) -> None:
    for address in RECIPIENTS:
        client.post(
            "/api/v1/subscriptions",
            json={"channel": "email", "address": address},
            headers=editor_headers,
        ).raise_for_status()
    pids: list[int] = []

    def on_message(n: int) -> str | None:
        if n == 4 and pids:  # the fourth recipient's mail is under way: kill the sender
            kill(pids)
            return "451 try again later"
        return None

    smtp.on_message = on_message
    env = env_for(
        database_url,
        smtp_host=smtp.host,
        smtp_port=str(smtp.port),
        digest_weekday="mon",
        digest_time="00:00",
    )
    assert run(["scheduler", "--once", "weekly_digest"], env, pids) == -signal.SIGKILL
    assert len(smtp.messages) == 3
    smtp.on_message = None
    env["HINDSIGHT_CLOCK_START"] = RESTARTED.isoformat()
    assert run(["scheduler", "--once", "weekly_digest"], env, pids) == 0
    assert sorted(smtp.recipients()) == sorted(RECIPIENTS)  # every one, once
    with engine.connect() as connection:
        statuses = connection.execute(text("SELECT status FROM digest_log")).scalars().all()
    assert statuses == ["sent"] * len(RECIPIENTS)


def test_a_delivery_run_killed_midway_resends_the_same_event_id(
    client: TestClient, editor_headers: dict, receiver: Receiver, engine: Engine, database_url: str
) -> None:
    client.post(
        "/api/v1/subscriptions",
        headers=editor_headers,
        json={"channel": "webhook", "url": receiver.url, "events": ["prediction.logged"]},
    ).raise_for_status()
    for n in range(5):
        client.post(
            "/api/v1/predictions", json=prediction_body(quote=f"q{n}"), headers=editor_headers
        ).raise_for_status()
    pids: list[int] = []

    def status_for(n: int) -> int:
        if n == 3 and pids:  # received, but the sender dies before it hears the 200
            kill(pids)
        return 200

    receiver.status_for = status_for
    due = outbox_due_at(engine)
    env = env_for(database_url, due)
    assert run(["scheduler", "--once", "deliver_webhooks"], env, pids) == -signal.SIGKILL
    restarted = env_for(database_url, due + timedelta(hours=1))
    assert run(["scheduler", "--once", "deliver_webhooks"], restarted, pids) == 0
    ids = receiver.event_ids()
    with engine.connect() as connection:
        stored = connection.execute(
            text("SELECT event_id, status FROM webhook_delivery ORDER BY id")
        ).all()
    assert [status for _, status in stored] == ["delivered"] * 5
    assert sorted(set(ids)) == sorted(event_id for event_id, _ in stored)
    assert len(ids) == 6
    assert ids[2] == ids[3]  # the interrupted event came again under the same id


def test_two_schedulers_one_works_and_the_other_takes_over(
    database_url: str, engine: Engine
) -> None:
    env = env_for(database_url, scheduler_lease_seconds="1.5")
    del env["HINDSIGHT_CLOCK_START"]  # the lease must run out in real time here
    first = Watched("scheduler", env=env)
    first.wait_for("deliver_webhooks ran")
    second = Watched("scheduler", env=env)
    waited = second.wait_for("holds the lease; waiting")  # the second waits while the first lives
    assert first.stop(signal.SIGKILL) == -signal.SIGKILL
    second.wait_for("deliver_webhooks ran", after=waited)  # and works once the lease runs out
    assert second.stop(signal.SIGTERM) == 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_stopped_scheduler_releases_the_lease_for_the_next_at_once(
    database_url: str, engine: Engine, signum: int
) -> None:
    # A lease of ten minutes: only a released lease lets the second start within seconds.
    env = env_for(database_url, scheduler_lease_seconds="600")
    first = Watched("scheduler", env=env)
    first.wait_for("deliver_webhooks ran")
    second = Watched("scheduler", env=env)
    waited = second.wait_for("holds the lease; waiting")
    assert first.stop(signum) == 0
    assert "released the lease" in first.output()
    second.wait_for("deliver_webhooks ran", after=waited, timeout=20)
    assert second.stop(signal.SIGTERM) == 0
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM scheduler_lease")).scalar() == 0


def test_a_job_run_once_releases_the_lease_when_stopped(
    database_url: str, engine: Engine, receiver: Receiver, client: TestClient, editor_headers: dict
) -> None:
    client.post(
        "/api/v1/subscriptions",
        headers=editor_headers,
        json={"channel": "webhook", "url": receiver.url, "events": ["prediction.logged"]},
    ).raise_for_status()
    client.post(
        "/api/v1/predictions", json=prediction_body(), headers=editor_headers
    ).raise_for_status()
    arrived, hold = threading.Event(), threading.Event()

    def status_for(n: int) -> int:
        arrived.set()
        hold.wait(timeout=30)  # keep the run busy until the test has stopped it
        return 200

    receiver.status_for = status_for
    env = env_for(database_url, outbox_due_at(engine))
    once = Watched("scheduler", "--once", "deliver_webhooks", env=env)
    assert arrived.wait(timeout=30)  # the delivery is under way
    once.process.send_signal(signal.SIGTERM)
    hold.set()
    assert once.process.wait(timeout=30) == 128 + signal.SIGTERM
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM scheduler_lease")).scalar() == 0
