"""The review desk through its forms: the queue and its filters, assignments (and a stale
form's 409), escalations, proposals confirmed or rejected, withdrawals and the digest preview."""

import html
import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.auth import service as auth
from app.models import Prediction, PredictionRevision, ProposedVerdict, Role, User, utc_now
from tests.predictions.conftest import prediction_body
from tests.web.conftest import csrf_of, make_user, sign_in

EDITOR = "ed@example.org"
COLLEAGUE = "colleague@example.org"
ADMIN = "boss@example.org"
LOGGER = "editor@example.org"  # editor_headers' user: who logs is assigned until reassigned


def log(client: TestClient, headers: dict[str, str], n: int, resolve_by: str) -> int:
    body = prediction_body(quote=f"it will happen, take {n}", resolve_by=resolve_by)
    response = client.post("/api/v1/predictions", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def order_of(page: str) -> list[int]:
    """The queue's prediction ids, in the order shown."""
    queue = page.split('<ol class="queue">', 1)[1].split("</ol>", 1)[0]
    return [int(n) for n in re.findall(r'<li class="card" id="item-(\d+)">', queue)]


def error_of(page: str, key: str) -> str:
    found = re.search(rf'id="{key}-error"[^>]*>([^<]*)<', page)
    assert found, f"no error slot {key}"
    return html.unescape(found.group(1))


def notice_of(page: str) -> str | None:
    found = re.search(r'class="notice" role="status">([^<]+)<', page)
    return html.unescape(found.group(1)) if found else None


ROLES = {EDITOR: Role.editor, COLLEAGUE: Role.editor, ADMIN: Role.admin, LOGGER: Role.editor}
ROLES["reader@example.org"] = Role.viewer


def staff(engine: Engine) -> None:
    """The newsroom, without passwords (argon2 is slow): `enter` gives one to who signs in."""
    with Session(engine) as session:
        for email, role in ROLES.items():
            auth.ensure_user(session=session, email=email, role=role)
        session.commit()


def enter(client: TestClient, engine: Engine, email: str) -> str:
    """Sign in as one of the newsroom; the session's CSRF token."""
    make_user(engine, email, ROLES[email])
    return sign_in(client, email)


def test_the_queue_puts_the_most_overdue_first_and_filters_by_assignee(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    # The fixture clock reads 25 Nov 2026: all three are due, #2 the longest.
    first = log(client, editor_headers, 1, "2026-11-01")
    second = log(client, editor_headers, 2, "2025-06-30")
    third = log(client, editor_headers, 3, "2026-11-20")
    token = enter(client, engine, EDITOR)
    page = client.get("/review").text
    assert order_of(page) == [second, first, third]
    assert "513 days overdue" in page  # 30 Jun 2025 → 25 Nov 2026, counted by hand

    form = {"csrf_token": token, "assignee": EDITOR, "previous": LOGGER, "show": "all"}
    assert client.post(f"/review/{first}/assign", data=form).status_code == 200
    unassign(engine, third)
    assert order_of(client.get("/review?show=mine").text) == [first]
    assert order_of(client.get("/review?show=unassigned").text) == [third]
    assert order_of(client.get("/review?show=all").text) == [second, first, third]


def unassign(engine: Engine, pid: int) -> None:
    with Session(engine) as session:
        stored = session.get(Prediction, pid)
        assert stored is not None
        stored.assignee_id = None
        session.add(stored)
        session.commit()


def test_an_assignment_records_who_assigned_whom_and_a_stale_form_is_a_409(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    pid = log(client, editor_headers, 1, "2026-11-01")
    token = enter(client, engine, EDITOR)
    # The page as two editors loaded it: still with the journalist who logged it.
    form = {"csrf_token": token, "assignee": COLLEAGUE, "previous": LOGGER, "show": "all"}
    done = client.post(f"/review/{pid}/assign", data=form)
    assert notice_of(done.text) == f"Prediction #{pid} assigned to {COLLEAGUE}."
    with Session(engine) as session:
        stored = session.get(Prediction, pid)
        assert stored is not None
        assignee = session.get(User, stored.assignee_id)
        assigner = session.get(User, stored.assigned_by_id)
        assert (assignee and assignee.email, assigner and assigner.email) == (COLLEAGUE, EDITOR)
        assert stored.assigned_at is not None
    assert "by ed on 25 Nov 2026" in done.text

    stale = client.post(f"/review/{pid}/assign", data=form | {"assignee": EDITOR})
    assert stale.status_code == 409
    assert f"is now assigned to {COLLEAGUE}" in error_of(stale.text, f"assign-{pid}")
    with Session(engine) as session:
        stored = session.get(Prediction, pid)
        assert stored is not None
        assert session.get(User, stored.assignee_id).email == COLLEAGUE


def test_a_viewer_cannot_be_assigned(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    pid = log(client, editor_headers, 1, "2026-11-01")
    token = enter(client, engine, EDITOR)
    form = {"csrf_token": token, "assignee": "reader@example.org", "previous": LOGGER}
    response = client.post(f"/review/{pid}/assign", data=form)
    assert response.status_code == 422
    assert "is a viewer and cannot give verdicts" in error_of(response.text, f"assign-{pid}")


def test_an_unassigned_prediction_asks_to_choose_a_colleague(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    pid = log(client, editor_headers, 1, "2026-11-01")
    unassign(engine, pid)
    token = enter(client, engine, EDITOR)
    page = client.get("/review").text
    assert '<option value="" selected>Choose a colleague</option>' in page
    form = {"csrf_token": token, "assignee": "", "previous": ""}
    response = client.post(f"/review/{pid}/assign", data=form)
    assert response.status_code == 422
    message = error_of(response.text, f"assign-{pid}")
    assert message == "choose the colleague to assign from the list"


def test_escalations_show_their_reason(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    late = log(client, editor_headers, 1, "2026-11-01")  # 24 days: past the 2-week default
    log(client, editor_headers, 2, "2026-11-20")  # 5 days: not escalated
    enter(client, engine, EDITOR)
    page = client.get("/review").text
    section = page.split('id="escalated-h"', 1)[1].split("</section>", 1)[0]
    assert f'href="/predictions/{late}"' in section
    assert section.count('href="/predictions/') == 1
    reason = " ".join(html.unescape(section).split())
    assert "24 days past its deadline (1 Nov 2026), longer than the 2-week escalation" in reason


def proposal_for(engine: Engine, pid: int, outcome: str = "true") -> int:
    with Session(engine) as session:
        proposal = ProposedVerdict(
            prediction_id=pid,
            outcome=outcome,
            resolved_on=date(2026, 11, 24),
            evidence_url="https://manifold.example/q/ceasefire",
            source="manifold",
            status="proposed",
            created_at=utc_now(),
        )
        session.add(proposal)
        session.commit()
        assert proposal.id is not None
        return proposal.id


def test_confirming_a_proposal_records_the_verdict_through_the_service(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    pid = log(client, editor_headers, 1, "2026-11-01")
    proposal = proposal_for(engine, pid, "false")
    token = enter(client, engine, EDITOR)
    assert "Confirm false for #" in client.get("/review").text
    done = client.post(f"/review/proposals/{proposal}/confirm", data={"csrf_token": token})
    assert notice_of(done.text) == f"Verdict recorded on prediction #{pid}: false."
    detail = client.get(f"/api/v1/predictions/{pid}").json()
    assert detail["status"] == "resolved"
    verdict = detail["resolutions"][-1]
    assert (verdict["outcome"], verdict["resolved_on"]) == ("false", "2026-11-24")
    assert verdict["evidence_urls"] == ["https://manifold.example/q/ceasefire"]
    assert "No proposals await a decision." in done.text
    again = client.post(f"/review/proposals/{proposal}/confirm", data={"csrf_token": token})
    assert again.status_code == 409
    summary = again.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert f"proposal {proposal} is already confirmed" in summary


def test_rejecting_a_proposal_needs_a_reason_which_goes_into_the_history(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    pid = log(client, editor_headers, 1, "2026-11-01")
    proposal = proposal_for(engine, pid)
    token = enter(client, engine, EDITOR)
    form = {"csrf_token": token, "reason": ""}
    refused = client.post(f"/review/proposals/{proposal}/reject", data=form)
    assert refused.status_code == 422
    assert error_of(refused.text, f"reject-{proposal}") == "this field is required"
    form["reason"] = "The market resolved on a different question."
    done = client.post(f"/review/proposals/{proposal}/reject", data=form)
    assert notice_of(done.text) == f"Proposal {proposal} rejected."
    with Session(engine) as session:
        revision = session.exec(
            select(PredictionRevision).where(PredictionRevision.action == "reject-proposal")
        ).one()
        assert revision.reason == form["reason"]
        assert session.get(ProposedVerdict, proposal).status == "rejected"  # type: ignore[union-attr]


def test_withdrawal_is_for_admins_and_needs_a_reason(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    pid = log(client, editor_headers, 1, "2026-11-01")
    token = enter(client, engine, EDITOR)
    assert "Withdraw #" not in client.get("/review").text
    form = {"csrf_token": token, "reason": "Logged twice."}
    assert client.post(f"/review/{pid}/withdraw", data=form).status_code == 403

    token = enter(client, engine, ADMIN)
    missing = client.post(f"/review/{pid}/withdraw", data={"csrf_token": token, "reason": ""})
    assert missing.status_code == 422
    assert error_of(missing.text, f"withdraw-{pid}") == "this field is required"
    done = client.post(f"/review/{pid}/withdraw", data=form | {"csrf_token": token})
    assert notice_of(done.text) == f"Prediction #{pid} withdrawn."
    assert client.get(f"/api/v1/predictions/{pid}").json()["status"] == "withdrawn"
    assert "Nothing awaits a verdict." in done.text


def test_the_digest_preview_is_this_weeks_digest_for_the_signed_in_user(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    # Logged with the API key of editor@example.org (tests/conftest): so in their queue.
    due = log(client, editor_headers, 1, "2026-11-24")  # Tuesday of ISO week 2026-W48
    older = log(client, editor_headers, 2, "2026-11-01")
    enter(client, engine, LOGGER)
    page = client.get("/review/digest")
    assert page.status_code == 200
    text = " ".join(html.unescape(page.text).split())
    assert "Week 2026-W48" in text
    assert "You are not subscribed" in text
    became_due = text.split("Became due this week", 1)[1].split("Overdue", 1)[0]
    assert f"#{due} " in became_due
    assert f"#{older} " not in became_due
    assert f"#{older} " in text.split("Overdue", 1)[1]


def test_the_review_desk_is_for_editors(client: TestClient, engine: Engine) -> None:
    staff(engine)
    assert (
        client.get("/review", follow_redirects=False)
        .headers["location"]
        .startswith("/sign-in?next=%2Freview")
    )
    enter(client, engine, "reader@example.org")
    assert client.get("/review").status_code == 403
    token = enter(client, engine, EDITOR)
    page = client.get("/review")
    assert page.status_code == 200
    assert csrf_of(page.text) == token
    assert '<a href="/review">Review</a>' in page.text
    assert '<a href="/admin/users">Users</a>' not in page.text


def test_the_api_assigns_with_the_same_stale_check(
    client: TestClient, engine: Engine, editor_headers: dict[str, str]
) -> None:
    staff(engine)
    pid = log(client, editor_headers, 1, "2026-11-01")
    url = f"/api/v1/predictions/{pid}/assign"
    body = {"assignee": COLLEAGUE, "previous": LOGGER}
    assert client.post(url, json=body, headers=editor_headers).status_code == 200
    stale = client.post(url, json=body | {"assignee": EDITOR}, headers=editor_headers)
    assert stale.status_code == 409
    assert stale.json()["current_assignee"] == COLLEAGUE
    assert stale.json()["field"] == "assignee"
    unchecked = client.post(url, json={"assignee": EDITOR}, headers=editor_headers)
    assert unchecked.status_code == 200
