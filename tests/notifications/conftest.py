"""A real SMTP server and a real HTTP receiver on loopback, and subprocess helpers."""

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session
from standardwebhooks.webhooks import Webhook

from app.models import WebhookDelivery
from tests.live import free_port


@dataclass
class SmtpSink:
    """Messages accepted by a local SMTP server; `on_message` may refuse or act first."""

    host: str
    port: int
    messages: list[Message] = field(default_factory=list)
    on_message: Callable[[int], str | None] | None = None

    def recipients(self) -> list[str]:
        return [str(m["To"]) for m in self.messages]

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.on_message is not None:
            refusal = self.on_message(len(self.messages) + 1)
            if refusal:
                return refusal
        self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp() -> Iterator[SmtpSink]:
    sink = SmtpSink("127.0.0.1", free_port())
    controller = Controller(sink, hostname=sink.host, port=sink.port)
    controller.start()
    yield sink
    controller.stop()


@dataclass
class Receiver:
    """Webhook requests received on loopback; `status_for(n)` picks each answer."""

    url: str
    requests: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    status_for: Callable[[int], int] = lambda n: 200

    def event_ids(self) -> list[str]:
        return [headers["webhook-id"] for headers, _ in self.requests]

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    port = free_port()
    state = Receiver(f"http://127.0.0.1:{port}/hook")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", 0)))
            state.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
            self.send_response(state.status_for(len(state.requests)))
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def hindsight(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    """Start the `hindsight` command as its own process."""
    return subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def signed_by(secret: str, body: bytes, headers: dict[str, str]) -> bool:
    """Whether the headers carry the signature that the reference implementation
    (standardwebhooks) computes for this body; its verify() would also check the timestamp
    against the wall clock, which a test must not depend on."""
    lowered = {k.lower(): v for k, v in headers.items()}
    sent_at = datetime.fromtimestamp(int(lowered["webhook-timestamp"]), UTC)
    expected = Webhook(secret).sign(lowered["webhook-id"], sent_at, body.decode())
    return expected in lowered["webhook-signature"].split(" ")


class Watched:
    """A `hindsight` process whose output lines a test can wait for (no fixed sleeps)."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self.process = hindsight(*args, env=env)
        self.lines: list[str] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, text: str, *, after: int = 0, timeout: float = 30) -> int:
        """The index of the first line from `after` on that contains `text`; fails on timeout
        or when the process ends without printing it."""

        def found() -> int | None:
            hits = [n for n, line in enumerate(self.lines) if n >= after and text in line]
            return hits[0] if hits else None

        with self._changed:
            ok = self._changed.wait_for(
                lambda: found() is not None or not self._reader.is_alive(), timeout
            )
            where = found()
        if not ok or where is None:
            raise AssertionError(f"no line with {text!r}; output so far:\n{self.output()}")
        return where

    def stop(self, signum: int, timeout: float = 30) -> int:
        """Send a signal and wait for the process to end; its exit status."""
        self.process.send_signal(signum)
        status = self.process.wait(timeout=timeout)
        self._reader.join(timeout=timeout)
        return status

    def output(self) -> str:
        return "".join(self.lines)


def outbox_due_at(engine: Engine) -> datetime:
    """When the last queued webhook event becomes due: services stamp rows with the time
    they ran, so a job under test runs on the clock the rows were written by."""
    with Session(engine) as session:
        latest = session.scalar(select(func.max(WebhookDelivery.next_attempt_at)))
    assert latest is not None
    return latest
