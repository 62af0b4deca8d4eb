"""One transaction owner for the pages (issue 12): posts commit or roll back in PageRoute,
a refused form leaves nothing behind, and no GET writes."""

import ast
import re
from pathlib import Path

import pytest
from fastapi.routing import APIRoute, APIRouter
from fastapi.testclient import TestClient
from sqlalchemy import delete, func, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from app.auth import service as auth
from app.models import Author, ExtractionCandidate, Outlet, Role, Source, WebSession
from app.web.pages import PageRoute, WriteOnRead, page_session
from app.web.router import router
from tests.conftest import REPO, MovableClock, make_key
from tests.predictions.conftest import prediction_body
from tests.web.conftest import make_user, sign_in
from tests.web.test_desk import ARTICLE, errors_of, log_form

WEB = REPO / "app" / "web"
# The one place that ends a page's transaction (rollback happens when it closes the session).
OWNER = {("pages.py", "_close", "commit")}


def transaction_calls(path: Path) -> set[tuple[str, str, str]]:
    """(file, enclosing function, method) for every .commit() or .rollback() call in a file."""
    found: set[tuple[str, str, str]] = set()

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            name = function
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                name = child.name
            call = child.func if isinstance(child, ast.Call) else None
            if isinstance(call, ast.Attribute) and call.attr in ("commit", "rollback"):
                found.add((path.name, function, call.attr))
            visit(child, name)

    visit(ast.parse(path.read_text()), "<module>")
    return found


def test_no_page_handler_commits_or_rolls_back() -> None:
    calls = set().union(*(transaction_calls(path) for path in sorted(WEB.glob("*.py"))))
    assert calls == OWNER


def test_the_grep_finds_a_commit_in_a_handler(tmp_path: Path) -> None:
    handler = tmp_path / "handler.py"
    handler.write_text("def post(session):\n    if True:\n        session.rollback()\n")
    assert transaction_calls(handler) == {("handler.py", "post", "rollback")}


def outlet(name: str, clock: MovableClock) -> Outlet:
    slug = name.lower().replace(" ", "-")
    return Outlet(name=name, slug=slug, created_at=clock.now(), updated_at=clock.now())


def test_a_page_read_session_refuses_to_write(engine: Engine, clock: MovableClock) -> None:
    with page_session(engine, writes=False) as session:
        session.add(outlet("Nowhere Times", clock))
        with pytest.raises(WriteOnRead):
            session.flush()
        session.expunge_all()
        with pytest.raises(WriteOnRead):
            session.execute(delete(WebSession))


def test_a_page_write_session_writes(engine: Engine, clock: MovableClock) -> None:
    with page_session(engine, writes=True) as session:
        session.add(outlet("Somewhere Times", clock))
        session.commit()
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Outlet)) == 1


def test_a_refused_log_form_keeps_neither_its_new_author_nor_its_new_source(
    client: TestClient, engine: Engine
) -> None:
    make_user(engine, "editor-tx@example.org", Role.editor)
    token = sign_in(client, "editor-tx@example.org")
    # The service creates the author and the source before it reads the hedge words.
    form = log_form(token, author="Brand New Pundit", source_title="A new op-ed", hedge="who knows")
    response = client.post("/predictions/new", data=form)
    assert response.status_code == 422
    assert set(errors_of(response.text)) == {"hedge"}
    assert 'value="Brand New Pundit"' in response.text
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Author)) == 0
        assert session.scalar(select(func.count()).select_from(Source)) == 0


def recorded_article(client: TestClient, headers: dict[str, str]) -> int:
    """A source with text, recorded through the API: no candidates are stored for it yet."""
    response = client.post("/api/v1/sources", json={"text": ARTICLE}, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def stored_candidates(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(ExtractionCandidate)) or 0)


def test_the_article_page_shows_candidates_and_the_first_decision_stores_them(
    client: TestClient, engine: Engine
) -> None:
    headers = {"Authorization": f"Bearer {make_key(engine, 'api-tx@example.org', Role.editor)}"}
    source_id = recorded_article(client, headers)
    make_user(engine, "editor-tx@example.org", Role.editor)
    token = sign_in(client, "editor-tx@example.org")
    page = client.get(f"/sources/{source_id}/candidates")
    assert page.status_code == 200
    assert re.findall(r'<mark id="c-(\d+)">', page.text) == ["0", "1"]
    assert stored_candidates(engine) == 0
    refused = client.post(
        f"/sources/{source_id}/candidates/1/reject", data={"csrf_token": token, "reason": ""}
    )
    assert refused.status_code == 422
    assert stored_candidates(engine) == 0
    rejected = client.post(
        f"/sources/{source_id}/candidates/1/reject",
        data={"csrf_token": token, "reason": "a statement of policy, not a forecast"},
    )
    assert rejected.status_code == 200
    with Session(engine) as session:
        rows = session.scalars(select(ExtractionCandidate).order_by(ExtractionCandidate.n)).all()
        assert [(row.n, row.status) for row in rows] == [(0, "proposed"), (1, "rejected")]


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows in every table (the migrations' own included)."""
    with engine.connect() as connection:
        names = [table.name for table in SQLModel.metadata.sorted_tables] + ["alembic_version"]
        return {
            name: int(connection.scalar(text(f'SELECT count(*) FROM "{name}"')) or 0)
            for name in names
        }


def populate(client: TestClient, engine: Engine) -> dict[str, str]:
    """Something behind every page: predictions (one resolved), an article without stored
    candidates, a key and a subscription. Returns each path parameter's value."""
    headers = {"Authorization": f"Bearer {make_key(engine, 'admin-tx@example.org', Role.admin)}"}
    made = client.post("/api/v1/predictions", json=prediction_body(), headers=headers)
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    verdict = {"outcome": "true", "resolved_on": "2026-11-20"}
    resolved = client.post(f"/api/v1/predictions/{pid}/resolution", json=verdict, headers=headers)
    assert resolved.status_code == 201, resolved.text
    source_id = recorded_article(client, headers)
    with Session(engine) as session:
        author = session.scalars(select(Author)).one()
        outlet = session.scalars(select(Outlet)).one()
    return {
        "prediction_id": str(pid),
        "source_id": str(source_id),
        "author": author.slug,
        "outlet": outlet.slug,
        # A form's address opened with a GET (reloaded after an error) leads back to its page.
        "form_name": "resolve",
        "n": "0",
        "decision": "accept",
    }


def page_routes(pages: APIRouter) -> list[APIRoute]:
    """The routes of the pages' router and of the routers it includes (none has a prefix)."""
    found: list[APIRoute] = []
    for route in pages.routes:
        included = getattr(route, "original_router", None)
        if isinstance(included, APIRouter):
            found += page_routes(included)
        elif isinstance(route, PageRoute):
            found.append(route)
    return found


def page_urls(values: dict[str, str]) -> list[str]:
    """Every GET page, its path parameters filled in."""
    urls: list[str] = []
    for route in page_routes(router):
        if "GET" not in route.methods:
            continue
        slug = values["outlet"] if route.path.startswith("/outlets") else values["author"]
        url = route.path.replace("{slug}", slug)
        for name, value in values.items():
            url = url.replace("{" + name + "}", value)
        urls.append(url)
    return urls


def test_no_page_get_writes(client: TestClient, engine: Engine, clock: MovableClock) -> None:
    values = populate(client, engine)
    make_user(engine, "admin-web-tx@example.org", Role.admin)
    token = sign_in(client, "admin-web-tx@example.org")
    subscribed = client.post(
        "/account/subscriptions",
        data={"csrf_token": token, "channel": "email", "address": "desk@example.org"},
    )
    assert subscribed.status_code == 200, subscribed.text
    with Session(engine) as session:
        values["subscription_id"] = str(session.scalar(text("SELECT max(id) FROM subscription")))
        invitee = auth.create_user(session=session, email="tx@example.org", role=Role.editor)
        values["user_id"] = str(invitee.id)
        values["token"] = auth.invite(session=session, user=invitee, by=None, now=clock.now()).token
        session.commit()
    urls = page_urls(values)
    assert "{" not in "".join(urls), urls
    urls += [
        f"/predictions/new?source={values['source_id']}",
        "/preview/hedge?value=almost+certainly",
        "/preview/deadline?value=by+the+end+of+2027",
        "/leaderboard?min_resolved=1",
        f"/authors/{values['author']}?tag=ukraine",
    ]
    before = row_counts(engine)
    # The article's candidates are not stored yet: its page used to store them on a GET.
    assert before["extraction_candidate"] == 0
    assert before["subscription"] == 1
    for url in urls:
        response = client.get(url, follow_redirects=False)
        assert response.status_code in (200, 303), (url, response.status_code)
    assert row_counts(engine) == before
    assert len(urls) >= 20
