"""Webhooks pass the one outbound guard: refused at subscription, checked again at delivery.

The internal targets are real listeners on loopback inside the test. A listener's sockets are
never accepted from by a thread: a connection that completed its handshake waits in the
backlog, so draining it after the call counts every connection that reached it, exactly.
"""

import socket
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from app.models import Role, Subscription, WebhookDelivery
from app.notifications import webhooks
from tests.conftest import MovableClock
from tests.notifications.conftest import Receiver, outbox_due_at
from tests.predictions.conftest import prediction_body
from tests.web.conftest import make_user, sign_in

PUBLIC = "93.184.216.34"


class Listener:
    """A TCP port listening on 127.0.0.1 and ::1 that counts the connections reaching it."""

    def __init__(self) -> None:
        self.sockets: list[socket.socket] = []
        while not self.sockets:
            self.sockets = self._bind_both()
        self.port = int(self.sockets[0].getsockname()[1])

    @staticmethod
    def _bind_both() -> list[socket.socket]:
        v4 = socket.create_server(("127.0.0.1", 0))
        try:
            v6 = socket.create_server(("::1", v4.getsockname()[1]), family=socket.AF_INET6)
        except OSError:  # the port is taken on ::1: try another
            v4.close()
            return []
        return [v4, v6]

    def connections(self) -> int:
        """How many connections reached either address since the last call."""
        reached = 0
        for sock in self.sockets:
            sock.setblocking(False)
            while True:
                try:
                    sock.accept()[0].close()
                except BlockingIOError:
                    break
                reached += 1
        return reached

    def close(self) -> None:
        for sock in self.sockets:
            sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    found = Listener()
    yield found
    found.close()


@pytest.fixture
def guarded(engine: Engine, settings: Settings, clock: MovableClock) -> Iterator[TestClient]:
    """An app with the setting off, as in production."""
    strict = settings.model_copy(update={"webhook_allow_private": False})
    with TestClient(create_app(strict, clock=clock)) as test_client:
        yield test_client


def internal_targets(port: int) -> list[tuple[str, str]]:
    """The issue's six targets; its ports 6379 are the listener's, so a connection shows."""
    return [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://10.0.0.1/", "10.0.0.1 is a private address"),
        (f"http://127.0.0.1:{port}/", "127.0.0.1 is a loopback address"),
        (f"http://localhost:{port}/", "localhost resolves to a loopback address"),
        (f"http://[::1]:{port}/", "::1 is a loopback address"),
        (f"http://2130706433:{port}/", "is a loopback address"),
    ]


def webhook(url: str) -> dict[str, object]:
    return {"channel": "webhook", "url": url, "events": ["prediction.logged"]}


def count(engine: Engine, model: type) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_issues_six_internal_targets_are_refused_at_subscription(
    guarded: TestClient, viewer_headers: dict[str, str], listener: Listener, engine: Engine
) -> None:
    refused = []
    for url, rule in internal_targets(listener.port):
        response = guarded.post("/api/v1/subscriptions", json=webhook(url), headers=viewer_headers)
        body = response.json()
        assert (response.status_code, body["field"]) == (422, "url"), url
        assert rule in body["detail"], body
        assert body["detail"].endswith(": webhooks go to public hosts"), body
        refused.append(url)
    assert len(refused) == 6
    assert listener.connections() == 0
    assert count(engine, Subscription) == 0


def test_a_refusal_does_not_name_the_address_a_name_resolves_to(
    guarded: TestClient, viewer_headers: dict[str, str]
) -> None:
    url = "http://metadata.localhost/computeMetadata/v1/"
    response = guarded.post("/api/v1/subscriptions", json=webhook(url), headers=viewer_headers)
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "metadata.localhost resolves to a loopback address: webhooks go to public hosts"
    )


def test_a_name_that_does_not_resolve_yet_is_accepted_and_checked_at_delivery(
    guarded: TestClient, viewer_headers: dict[str, str]
) -> None:
    url = "https://hooks.invalid/hindsight"  # RFC 6761: .invalid never resolves
    response = guarded.post("/api/v1/subscriptions", json=webhook(url), headers=viewer_headers)
    assert response.status_code == 201, response.text


def test_the_web_form_refuses_an_internal_target_next_to_the_field(
    guarded: TestClient, engine: Engine
) -> None:
    make_user(engine, "viewer-web@example.org", Role.viewer)
    token = sign_in(guarded, "viewer-web@example.org")
    form = {"csrf_token": token, "channel": "webhook", "url": "http://10.0.0.1/"}
    response = guarded.post(
        "/account/subscriptions", data={**form, "event:prediction.logged": "on"}
    )
    assert response.status_code == 422
    assert "10.0.0.1 is a private address: webhooks go to public hosts" in response.text
    assert count(engine, Subscription) == 0


def log_one(client: TestClient, headers: dict[str, str]) -> None:
    response = client.post("/api/v1/predictions", json=prediction_body(), headers=headers)
    assert response.status_code == 201, response.text


def only_delivery(engine: Engine) -> WebhookDelivery:
    with Session(engine) as session:
        rows = list(session.scalars(select(WebhookDelivery)))
    assert len(rows) == 1
    return rows[0]


def test_a_subscription_made_while_allowed_is_refused_at_delivery_once_disallowed(
    client: TestClient,
    editor_headers: dict[str, str],
    listener: Listener,
    engine: Engine,
) -> None:
    url = f"http://127.0.0.1:{listener.port}/hook"
    assert client.post(
        "/api/v1/subscriptions", json=webhook(url), headers=editor_headers
    ).is_success
    log_one(client, editor_headers)
    with httpx.Client() as http:
        sent = webhooks.deliver_due(
            engine=engine, client=http, now=outbox_due_at(engine), allow_private=False
        )
    assert sent == 0
    assert listener.connections() == 0
    delivery = only_delivery(engine)
    assert (delivery.status, delivery.attempts) == ("pending", 1)  # retried with backoff
    assert (delivery.last_status_code, delivery.last_error) == (None, webhooks.NOT_PUBLIC)


def test_the_same_delivery_reaches_a_loopback_receiver_while_allowed(
    client: TestClient, editor_headers: dict[str, str], receiver: Receiver, engine: Engine
) -> None:
    client.post("/api/v1/subscriptions", json=webhook(receiver.url), headers=editor_headers)
    log_one(client, editor_headers)
    due = outbox_due_at(engine)
    with httpx.Client() as http:
        assert webhooks.deliver_due(engine=engine, client=http, now=due, allow_private=True) == 1
    assert len(receiver.requests) == 1
    assert receiver.requests[0][0]["host"] == receiver.url.split("/")[2]


def public_dns(host: str, port: int) -> list[str]:
    return {"hooks.example": [PUBLIC], "rebound.example": ["10.0.0.7"]}[host]


def deliver_through(
    engine: Engine, respond: httpx.Response | Exception, when: datetime
) -> list[httpx.Request]:
    """Run a delivery with public DNS and a transport answering `respond`; the requests."""
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if isinstance(respond, Exception):
            raise respond
        return respond

    http = httpx.Client(transport=httpx.MockTransport(handler))
    webhooks.deliver_due(
        engine=engine, client=http, now=when, allow_private=False, resolver=public_dns
    )
    return seen


def subscribed_and_logged(
    guarded: TestClient, headers: dict[str, str], engine: Engine, url: str
) -> datetime:
    assert guarded.post("/api/v1/subscriptions", json=webhook(url), headers=headers).is_success
    log_one(guarded, headers)
    return outbox_due_at(engine)


def test_a_redirect_to_a_private_address_is_a_failed_attempt_never_followed(
    guarded: TestClient, editor_headers: dict[str, str], engine: Engine
) -> None:
    due = subscribed_and_logged(guarded, editor_headers, engine, "https://hooks.example/h")
    moved = httpx.Response(307, headers={"Location": "http://10.0.0.1/latest/meta-data/"})
    seen = deliver_through(engine, moved, due)
    assert [(r.url.host, r.headers["host"]) for r in seen] == [(PUBLIC, "hooks.example")]
    assert seen[0].extensions["sni_hostname"] == "hooks.example"
    delivery = only_delivery(engine)
    assert (delivery.status, delivery.last_status_code) == ("pending", 300)
    assert delivery.last_error == webhooks.REDIRECTED


def test_a_name_that_resolves_to_a_private_address_at_delivery_is_never_sent(
    guarded: TestClient, editor_headers: dict[str, str], engine: Engine
) -> None:
    due = subscribed_and_logged(guarded, editor_headers, engine, "https://rebound.example/h")
    assert deliver_through(engine, httpx.Response(200), due) == []
    assert only_delivery(engine).last_error == webhooks.NOT_PUBLIC


@pytest.mark.parametrize(
    ("respond", "code", "error"),
    [
        (httpx.Response(204), 200, None),
        (httpx.Response(401), 400, "HTTP 4xx"),
        (httpx.Response(404), 400, "HTTP 4xx"),
        (httpx.Response(503), 500, "HTTP 5xx"),
        (httpx.ConnectError("[Errno 111] Connection refused"), None, "could not connect"),
        (httpx.RemoteProtocolError("Server disconnected"), None, "could not connect"),
        (httpx.ReadTimeout("timed out"), None, "timed out"),
    ],
)
def test_a_delivery_records_only_the_class_of_what_happened(
    guarded: TestClient,
    editor_headers: dict[str, str],
    engine: Engine,
    respond: httpx.Response | Exception,
    code: int | None,
    error: str | None,
) -> None:
    due = subscribed_and_logged(guarded, editor_headers, engine, "https://hooks.example/h")
    deliver_through(engine, respond, due)
    delivery = only_delivery(engine)
    assert (delivery.last_status_code, delivery.last_error) == (code, error)


def test_a_closed_loopback_port_reads_could_not_connect(
    client: TestClient, editor_headers: dict[str, str], listener: Listener, engine: Engine
) -> None:
    url = f"http://127.0.0.1:{listener.port}/hook"
    listener.close()  # nothing listens there any more: the kernel refuses the connection
    client.post("/api/v1/subscriptions", json=webhook(url), headers=editor_headers)
    log_one(client, editor_headers)
    with httpx.Client() as http:
        webhooks.deliver_due(
            engine=engine, client=http, now=outbox_due_at(engine), allow_private=True
        )
    assert only_delivery(engine).last_error == "could not connect"
