"""A real uvicorn server on loopback, for tests that talk HTTP to the app, and a way to send
requests at it all at once."""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Serve the app on a free loopback port; yields its base URL."""
    port = free_port()
    # As `hindsight serve`: uvicorn's own proxy headers off, HINDSIGHT_TRUSTED_PROXIES decides.
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,
        # Tests open their connections first and send on a start signal; under load the wait
        # can pass uvicorn's 5 s default, and a close racing the send loses the answer.
        timeout_keep_alive=60,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    content: bytes | None = None
    content_type: str | None = None
    headers: dict[str, str] | None = None


def race(base_url: str, headers: dict[str, str], calls: list[Call]) -> list[httpx.Response]:
    """Send every call at once, one connection each, opened before the start signal."""
    clients = [httpx.Client(base_url=base_url, headers=headers, timeout=60) for _ in calls]
    for client in clients:
        assert client.get("/healthz").status_code == 200  # the connection is open and kept
    start = threading.Barrier(len(calls))
    answers: list[httpx.Response | BaseException] = [RuntimeError("not sent")] * len(calls)

    def send(i: int) -> None:
        call = calls[i]
        extra = {"Content-Type": call.content_type} if call.content_type else {}
        extra |= call.headers or {}
        start.wait()
        try:
            answers[i] = clients[i].request(
                call.method, call.path, json=call.json, content=call.content, headers=extra
            )
        except BaseException as exc:  # reported below with the others
            answers[i] = exc

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for client in clients:
        client.close()
    failed = [a for a in answers if not isinstance(a, httpx.Response)]
    assert not failed, failed
    responses = [a for a in answers if isinstance(a, httpx.Response)]
    errors = [(r.status_code, r.text) for r in responses if r.status_code >= 500]
    assert not errors, errors
    return responses
