"""The unfiltered leaderboard sliced from ranked rows (issue 16): any min_resolved, limit and
offset gives the route's body and ETag without a render, and a verdict moves it."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.scoring import board, service
from tests.scoring.test_fastpath import _log, _resolve

BOARD = "/api/v1/leaderboard"
AUTHORS = ("Ann Smith", "Bob Jones", "Cy Young", "Di Prince")


@pytest.fixture
def ranked(client: TestClient, editor_headers: dict[str, str]) -> list[int]:
    open_ones = []
    for i, author in enumerate(AUTHORS):
        for j in range(i + 1):
            pid = _log(
                client, editor_headers, 10 * i + j, probability=0.6 + 0.05 * j, author=author
            )
            _resolve(client, editor_headers, pid, "true" if (i + j) % 2 else "false")
        open_ones.append(_log(client, editor_headers, 100 + i, author=author))
    return open_ones


@pytest.mark.usefixtures("ranked")
@pytest.mark.parametrize(
    "query",
    [
        "",
        "?min_resolved=1",
        "?min_resolved=2&limit=2",
        "?limit=1&offset=2&min_resolved=1",
        "?offset=9&min_resolved=1",
        "?min_resolved=5",
    ],
)
def test_a_sliced_page_is_the_routes_page(
    client: TestClient,
    viewer_headers: dict[str, str],
    query: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pages: list[int] = []
    original = service.leader_page

    def counted(*args: Any, **kwargs: Any) -> Any:
        pages.append(kwargs["offset"])
        return original(*args, **kwargs)

    monkeypatch.setattr(service, "leader_page", counted)
    sliced = client.get(BOARD + query)
    assert pages == []
    routed = client.get(BOARD + query, headers=viewer_headers)  # credentials: the route
    assert len(pages) == 1
    assert sliced.status_code == routed.status_code == 200
    assert sliced.content == routed.content
    assert sliced.headers.items() == routed.headers.items()


def test_a_verdict_moves_the_sliced_pages(
    client: TestClient, ranked: list[int], editor_headers: dict[str, str]
) -> None:
    before = client.get(f"{BOARD}?min_resolved=1").json()
    _resolve(client, editor_headers, ranked[0], "true")
    after = client.get(f"{BOARD}?min_resolved=1").json()
    ann = [row for row in after["items"] if row["author"] == "ann-smith"]
    assert ann[0]["resolved"] == 2
    assert after != before


@pytest.mark.parametrize(
    "query",
    [
        b"min_resolved=0",
        b"limit=501",
        b"limit=",
        b"limit=05",
        b"limit=%35",
        b"tag=t",
        b"limit=1&limit=2",
        b"basis=stated",
    ],
)
def test_anything_but_plain_bounds_is_the_routes(query: bytes) -> None:
    assert board.parse(query) is None


def test_plain_bounds_are_parsed_with_the_routes_defaults() -> None:
    assert board.parse(b"") == (10, 100, 0)
    assert board.parse(b"offset=3&min_resolved=1") == (1, 100, 3)
