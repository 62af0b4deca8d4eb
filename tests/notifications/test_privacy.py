"""Staff data stays private: the queue's assignees and the digest preview (issue 11)."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.models import Role, User
from tests.predictions.conftest import prediction_body
from tests.web.conftest import make_user, sign_in

STAFF = ("editor@example.org", "admin@example.org")


@pytest.fixture
def due(client: TestClient, editor_headers: dict[str, str], admin_headers: dict[str, str]) -> int:
    """One overdue prediction logged by the editor and assigned to the admin."""
    made = client.post("/api/v1/predictions", json=prediction_body(), headers=editor_headers)
    pid = int(made.json()["id"])
    body = {"assignee": "admin@example.org"}
    assigned = client.post(f"/api/v1/predictions/{pid}/assign", json=body, headers=editor_headers)
    assert assigned.status_code == 200, assigned.text
    return pid


def name_the_admin(engine: Engine, name: str) -> None:
    with Session(engine) as session:
        admin = session.exec(select(User).where(col(User.email) == "admin@example.org")).one()
        admin.display_name = name
        session.add(admin)
        session.commit()


def test_an_anonymous_queue_shows_no_assignee_and_no_address(client: TestClient, due: int) -> None:
    response = client.get("/api/v1/queue")
    assert response.status_code == 200
    assert [(i["id"], i["assignee"]) for i in response.json()["items"]] == [(due, None)]
    assert "@" not in response.text


def test_signed_in_staff_see_the_assignees_display_name(
    client: TestClient, due: int, engine: Engine, viewer_headers: dict[str, str]
) -> None:
    before = client.get("/api/v1/queue", headers=viewer_headers).json()["items"][0]["assignee"]
    name_the_admin(engine, "Ada Chief")
    after = client.get("/api/v1/queue", headers=viewer_headers)
    assert (before, after.json()["items"][0]["assignee"]) == ("admin", "Ada Chief")
    assert not any(email in after.text for email in STAFF)


def test_filtering_by_assignee_needs_a_key(
    client: TestClient, due: int, viewer_headers: dict[str, str]
) -> None:
    anonymous = client.get("/api/v1/queue", params={"assignee": "admin@example.org"})
    assert anonymous.status_code == 401
    assert anonymous.json() == {
        "detail": "assignee= filters the queue for staff only: send `Authorization: Bearer <key>`",
        "field": "assignee",
    }
    for email, ids in (("admin@example.org", [due]), ("editor@example.org", [])):
        staff = client.get("/api/v1/queue", params={"assignee": email}, headers=viewer_headers)
        assert [i["id"] for i in staff.json()["items"]] == ids


def test_the_assign_answer_shows_the_new_assignees_name(
    client: TestClient, due: int, editor_headers: dict[str, str]
) -> None:
    body = {"assignee": "editor@example.org"}
    answer = client.post(f"/api/v1/predictions/{due}/assign", json=body, headers=editor_headers)
    assert [i["assignee"] for i in answer.json()["items"]] == ["editor"]


def test_the_desk_page_names_assignees_without_their_address(
    client: TestClient, due: int, engine: Engine
) -> None:
    name_the_admin(engine, "Ada Chief")
    make_user(engine, "viewer-web@example.org", Role.viewer)
    sign_in(client, "viewer-web@example.org")
    page = client.get("/desk").text
    assert "for Ada Chief" in page
    assert not any(email in page for email in STAFF)


def subscribe_digest(client: TestClient, headers: dict[str, str], address: str) -> None:
    body = {"channel": "email", "address": address}
    client.post("/api/v1/subscriptions", json=body, headers=headers).raise_for_status()


@pytest.mark.parametrize(
    ("who", "address", "status"),
    [
        ("viewer", "viewer@example.org", 200),  # its own recipient
        ("viewer", "editor@example.org", 403),
        ("editor", "viewer@example.org", 403),  # the issue: editors read anyone's digest
        ("editor", "EDITOR@example.org", 200),
        ("admin", "viewer@example.org", 200),
        ("admin", "editor@example.org", 200),
    ],
)
def test_a_digest_preview_is_for_its_own_recipient_or_an_admin(
    client: TestClient,
    viewer_headers: dict[str, str],
    editor_headers: dict[str, str],
    admin_headers: dict[str, str],
    who: str,
    address: str,
    status: int,
) -> None:
    headers = {"viewer": viewer_headers, "editor": editor_headers, "admin": admin_headers}
    subscribe_digest(client, viewer_headers, "viewer@example.org")
    subscribe_digest(client, editor_headers, "editor@example.org")
    response = client.get(
        "/api/v1/digests/preview", params={"email": address}, headers=headers[who]
    )
    assert response.status_code == status, response.text
    if status == 403:
        assert response.json()["field"] == "email"
        assert f"ask for email={who}@example.org" in response.json()["detail"]
    else:
        assert response.json()["recipient"].lower().endswith(address.lower())


def test_a_refused_preview_does_not_say_whether_the_address_is_subscribed(
    client: TestClient, viewer_headers: dict[str, str], editor_headers: dict[str, str]
) -> None:
    subscribe_digest(client, editor_headers, "editor@example.org")
    answers = [
        client.get("/api/v1/digests/preview", params={"email": a}, headers=viewer_headers)
        for a in ("editor@example.org", "nobody@example.org")
    ]
    assert [a.status_code for a in answers] == [403, 403]
    assert answers[0].json() == answers[1].json()


def test_a_preview_needs_a_key(client: TestClient) -> None:
    response = client.get("/api/v1/digests/preview", params={"email": "viewer@example.org"})
    assert response.status_code == 401
