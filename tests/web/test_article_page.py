"""The extraction page (/sources/{id}/candidates): one line per candidate, numbered as the API
numbers them, each opening in place to its forms; the source's record can be corrected there."""

import html
import re

from fastapi.testclient import TestClient

from app.models import Role
from tests.conftest import shared_path
from tests.web.conftest import SignIn
from tests.web.test_desk import errors_of, extract, notice_of

LINE = re.compile(
    r'<li class="cand (\w+)" id="candidate-(\d+)" data-n="(\d+)">.*?<blockquote>(.*?)</blockquote>',
    re.S,
)


def op_ed(client: TestClient, token: str) -> tuple[int, str]:
    page = extract(client, token, shared_path("examples", "seed-op-ed.txt").read_text())
    found = re.search(r'action="/sources/(\d+)/edit"', page)
    assert found is not None
    return int(found.group(1)), page


def lines(page: str) -> list[tuple[str, int, str]]:
    """Each candidate line: its status, its number and its full quote."""
    found = LINE.findall(page)
    for _status, anchor, n, _span in found:
        assert anchor == n
    return [(status, int(n), html.unescape(span)) for status, _a, n, span in found]


def test_candidates_are_numbered_from_zero_exactly_as_the_api_numbers_them(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    source_id, page = op_ed(client, token)
    api = client.get(f"/api/v1/sources/{source_id}/candidates").json()
    assert len(api) >= 2
    shown = lines(page)
    assert [(n, span) for _s, n, span in shown] == [(c["n"], c["span"]) for c in api]
    assert [n for _s, n, _span in shown] == list(range(len(api)))
    # The highlighted words carry the same numbers as the list.
    assert re.findall(r'href="#candidate-(\d+)"', page) == [str(c["n"]) for c in api]


def test_every_candidate_is_a_closed_disclosure_with_its_accept_form_inside(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    _source_id, page = op_ed(client, token)
    count = len(lines(page))
    assert page.count("<details >") + page.count("<details>") >= count
    assert page.count('class="accept"') == count
    assert page.count('aria-keyshortcuts="a"') == count
    assert "<kbd>j</kbd> next" in page


def test_an_accepted_candidate_keeps_its_number_and_links_its_prediction(
    client: TestClient, signed_in: SignIn
) -> None:
    token = signed_in(Role.editor)
    source_id, _page = op_ed(client, token)
    before = client.get(f"/api/v1/sources/{source_id}/candidates").json()
    # One the article's author says in their own voice (no "whose is it?" to answer).
    n = next(c["n"] for c in before if c["n"] > 0 and not c.get("attributed_to"))
    accepted = client.post(
        f"/sources/{source_id}/candidates/{n}/accept",
        data={"csrf_token": token, "resolve_by": "by the end of 2026"},
    )
    assert "Logged as prediction" in (notice_of(accepted.text) or "")
    status, shown_n, _span = lines(accepted.text)[n]
    assert (status, shown_n) == ("accepted", n)
    assert re.search(r'href="/predictions/\d+">prediction #\d+</a>', accepted.text)
    api = client.get(f"/api/v1/sources/{source_id}/candidates").json()
    assert api[n]["status"] == "accepted"


def test_the_source_can_be_corrected_on_the_page(client: TestClient, signed_in: SignIn) -> None:
    token = signed_in(Role.editor)
    source_id, _page = op_ed(client, token)
    response = client.post(
        f"/sources/{source_id}/edit",
        data={
            "csrf_token": token,
            "title": "Trump's ceasefire gamble",
            "url": "https://www.19fortyfive.com/2025/03/trump-ceasefire-gamble/",
            "outlet": "19FortyFive",
            "published_on": "2025-03-20",
        },
    )
    assert notice_of(response.text) == "Source saved."
    stored = client.get(f"/api/v1/sources/{source_id}").json()
    assert stored["title"] == "Trump's ceasefire gamble"
    assert stored["url"] == "https://www.19fortyfive.com/2025/03/trump-ceasefire-gamble/"
    assert stored["outlet"] == "19fortyfive"
    assert stored["published_at"].startswith("2025-03-20")


def test_a_bad_source_date_or_a_taken_address_is_shown_beside_its_field(
    client: TestClient, signed_in: SignIn, editor_headers: dict[str, str]
) -> None:
    token = signed_in(Role.editor)
    source_id, _page = op_ed(client, token)
    other = client.post(
        "/api/v1/sources", json={"url": "https://example.org/other"}, headers=editor_headers
    )
    assert other.status_code == 201
    bad_date = client.post(
        f"/sources/{source_id}/edit",
        data={"csrf_token": token, "title": "Kept title", "published_on": "20/03/2025"},
    )
    assert bad_date.status_code == 422
    assert "YYYY-MM-DD" in errors_of(bad_date.text)["published_on"]
    assert 'value="Kept title"' in bad_date.text
    taken = client.post(
        f"/sources/{source_id}/edit",
        data={"csrf_token": token, "url": "https://example.org/other"},
    )
    assert taken.status_code == 422
    assert f"source {other.json()['id']} is already recorded" in errors_of(taken.text)["url"]
    assert client.get(f"/api/v1/sources/{source_id}").json()["url"] is None
