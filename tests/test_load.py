"""A live server under load keeps its event loop free: /healthz answers within LIVENESS_BOUND
throughout, no request gets a 500, and every write lands or is told to retry (issue 10)."""

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from app.config import Settings
from app.main import create_app
from app.models import Prediction, Role
from tests.conftest import MovableClock, make_key
from tests.live import serving
from tests.predictions.conftest import prediction_body

BOGUS, VIEWERS, WRITERS = 64, 64, 32
# Seconds. A blocked loop waits behind the lock holder (pool_timeout, 5 s); a free one answers
# at once, but on 2 cores shared with another xdist worker running the extraction corpus it has
# been seen at 1.007 s, so the bound sits between the two.
LIVENESS_BOUND = 3.0
IMPORT_URL = "/api/v1/predictions/import"


@dataclass(frozen=True)
class Call:
    kind: str
    method: str
    path: str
    headers: dict[str, str]
    json: dict[str, Any] | None = None


@dataclass(frozen=True)
class Answer:
    kind: str
    status: int
    retry_after: str | None


def fire(base: str, calls: list[Call]) -> tuple[list[Answer], list[float]]:
    """Every call at once from its own thread (connections opened first, one start signal),
    while another thread polls /healthz; the answers and each /healthz round trip in seconds."""
    start = threading.Barrier(len(calls) + 1)
    answers: list[Answer] = []
    health: list[float] = []
    done = threading.Event()

    def call(spec: Call) -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get("/healthz")  # opens the keep-alive connection before the start
            start.wait()
            try:
                response = client.request(
                    spec.method, spec.path, headers=spec.headers, json=spec.json
                )
            except httpx.HTTPError as exc:  # counted as no answer, and named in the failure
                answers.append(Answer(spec.kind, 0, repr(exc)))
                return
            retry = response.headers.get("retry-after")
            answers.append(Answer(spec.kind, response.status_code, retry))

    def poll() -> None:
        with httpx.Client(base_url=base, timeout=60) as client:
            client.get("/healthz")
            start.wait()
            while not done.wait(0.02):  # paced: the poller must not hog the GIL it measures
                began = time.monotonic()
                client.get("/healthz").raise_for_status()
                health.append(time.monotonic() - began)

    threads = [threading.Thread(target=call, args=(c,)) for c in calls]
    poller = threading.Thread(target=poll)
    for thread in [*threads, poller]:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    poller.join()
    return answers, health


def load_calls(engine: Engine, base: str) -> list[Call]:
    bogus = {"Authorization": "Bearer hs_bogus_key_that_matches_nothing"}
    calls = [Call("bogus", "GET", "/api/v1/predictions", bogus) for _ in range(BOGUS)]
    for n in range(VIEWERS):
        key = make_key(engine, f"viewer{n}@example.org", Role.viewer)
        calls.append(Call("viewer", "GET", "/api/v1/predictions", _bearer(key)))
    editor = _bearer(make_key(engine, "editor@example.org", Role.editor))
    # The author, outlet and source exist first: racing their creation is another test's subject.
    httpx.post(f"{base}/api/v1/predictions", json=prediction_body(), headers=editor, timeout=30)
    for n in range(WRITERS):
        body = prediction_body(quote=f"no ceasefire will materialize, part {n}")
        calls.append(Call("write", "POST", "/api/v1/predictions", editor, body))
    return calls


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def test_under_load_healthz_stays_quick_and_every_request_gets_a_proper_answer(
    engine: Engine, settings: Settings, clock: MovableClock
) -> None:
    with serving(create_app(settings, clock=clock)) as base:
        answers, health = fire(base, load_calls(engine, base))
        after = _timed(lambda: httpx.get(f"{base}/healthz", timeout=30).status_code)
    statuses = Counter((a.kind, a.status) for a in answers)
    print(
        f"\nload on {engine.dialect.name}: {len(answers)} requests, statuses {dict(statuses)}, "
        f"{len(health)} /healthz polls, longest {max(health):.3f} s, "
        f"after the load {after[1]:.3f} s"
    )
    assert len(answers) == BOGUS + VIEWERS + WRITERS
    assert not [a for a in answers if a.status == 0], "requests got no answer"
    assert health
    assert max(health) < LIVENESS_BOUND
    assert not [a for a in answers if a.status >= 500 and a.status != 503]
    assert all(a.retry_after for a in answers if a.status == 503)
    assert {a.status for a in answers if a.kind == "bogus"} == {401}
    assert {a.status for a in answers if a.kind == "viewer"} <= {200, 503}
    assert {a.status for a in answers if a.kind == "write"} <= {201, 503}
    with Session(engine) as session:
        stored = session.scalar(select(func.count()).select_from(Prediction))
    assert stored == 1 + statuses[("write", 201)]
    assert after[0] == 200
    assert after[1] < LIVENESS_BOUND


def _timed(request: Callable[[], int]) -> tuple[int, float]:
    began = time.monotonic()
    status = request()
    return status, time.monotonic() - began


class BodyWatch:
    """ASGI middleware: tells when the app first asks for an import's body."""

    def __init__(self, app: Any, *, asked: threading.Event) -> None:
        self.app, self.asked = app, asked

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["path"] != IMPORT_URL:
            await self.app(scope, receive, send)
            return

        async def watched() -> Any:
            self.asked.set()
            return await receive()

        await self.app(scope, watched, send)


CSV_HEAD = "author,outlet,source_url,published_at,quote,claim,probability,resolve_by\n"
CSV_ROW = (
    "Ann Smith,Planet,https://p.example/1,2026-11-01,rates will fall,Fed cuts.,0.7,2027-06-30\n"
)


def test_a_trickled_import_body_holds_up_no_other_editors_write(
    engine: Engine, settings: Settings, clock: MovableClock
) -> None:
    importer = _bearer(make_key(engine, "importer@example.org", Role.editor))
    other = _bearer(make_key(engine, "other@example.org", Role.editor))
    asked, release = threading.Event(), threading.Event()
    imported: list[httpx.Response] = []

    def trickle() -> Iterator[bytes]:
        yield (CSV_HEAD + CSV_ROW[:20]).encode()
        release.wait(timeout=60)
        yield CSV_ROW[20:].encode()

    app = create_app(settings, clock=clock)
    app.add_middleware(BodyWatch, asked=asked)
    with serving(app) as base:
        headers = {**importer, "Content-Type": "text/csv"}
        upload = threading.Thread(
            target=lambda: imported.append(
                httpx.post(f"{base}{IMPORT_URL}", content=trickle(), headers=headers, timeout=60)
            )
        )
        upload.start()
        try:
            assert asked.wait(timeout=30), "the import never asked for its body"
            # The import is now past its dependencies and waiting for the rest of its body.
            write = httpx.post(
                f"{base}/api/v1/predictions", json=prediction_body(), headers=other, timeout=10
            )
        finally:
            release.set()
            upload.join()
    assert write.status_code == 201, write.text
    assert imported[0].status_code == 200, imported[0].text
    assert imported[0].json()["predictions"] == 1
