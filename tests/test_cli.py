"""The `hindsight` command: keys, demo, import and export against the test database."""

import ast
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from app.auth import service as auth
from app.cli import app
from app.config import get_settings
from app.models import Role
from tests.conftest import MovableClock

runner = CliRunner()


@pytest.fixture
def cli_env(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, clock: MovableClock
) -> None:
    monkeypatch.setenv("HINDSIGHT_DATABASE_URL", database_url)
    monkeypatch.setenv("HINDSIGHT_CLOCK_START", clock.now().isoformat())
    get_settings.cache_clear()


def test_a_quiet_key_prints_only_the_key_and_works(cli_env: None, client: TestClient) -> None:
    result = runner.invoke(
        app, ["keys", "create", "--email", "Ed@Example.org", "--role", "editor", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    key = result.output.strip()
    assert key.startswith("hs_")
    assert "\n" not in key
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert (me.json()["email"], me.json()["role"]) == ("ed@example.org", "editor")

    revoked = runner.invoke(app, ["keys", "revoke", key.split("_")[1]])
    assert revoked.exit_code == 0, revoked.output
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_an_unknown_role_is_refused(cli_env: None) -> None:
    result = runner.invoke(app, ["keys", "create", "--email", "a@b.org", "--role", "boss"])
    assert result.exit_code != 0


def test_demo_loads_once(cli_env: None, client: TestClient) -> None:
    first = runner.invoke(app, ["demo"])
    assert first.exit_code == 0, first.output
    assert "loaded 10 demo predictions" in first.output
    assert client.get("/api/v1/predictions?status=resolved").json()["total"] == 6
    second = runner.invoke(app, ["demo"])
    assert "already" in second.output


def test_export_then_import_a_file(cli_env: None, tmp_path, client: TestClient) -> None:
    runner.invoke(app, ["demo"])
    out = tmp_path / "all.jsonl"
    assert runner.invoke(app, ["export", "--format", "jsonl", "--output", str(out)]).exit_code == 0
    assert len(out.read_text().splitlines()) == 10
    again = runner.invoke(app, ["import", str(out)])
    assert again.exit_code == 1
    assert "already logged" in again.output


def test_users_create_reads_the_password_from_stdin(cli_env: None, engine) -> None:
    from sqlmodel import Session

    from app.auth import service as auth

    result = runner.invoke(
        app,
        ["users", "create", "--email", "Desk@Example.org", "--role", "editor", "--password-stdin"],
        input="correct horse battery staple\n",
    )
    assert result.exit_code == 0, result.output
    with Session(engine) as session:
        user = auth.check_password(
            session=session, email="desk@example.org", password="correct horse battery staple"
        )
        assert user is not None
        assert user.password_hash is not None
        assert user.password_hash.startswith("$argon2")  # stored hashed, never in clear
        assert (
            auth.check_password(session=session, email="desk@example.org", password="wrong") is None
        )
    short = runner.invoke(
        app, ["users", "create", "--email", "a@b.org", "--password-stdin"], input="short\n"
    )
    assert short.exit_code == 1


def test_extract_without_a_publication_date_counts_deadlines_from_the_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HINDSIGHT_CLOCK_START", "2026-11-25T12:00:00+00:00")
    get_settings.cache_clear()
    article = tmp_path / "column.txt"
    article.write_text("The euro will weaken within a year.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(article), "--json"])
    assert result.exit_code == 0, result.output
    (found,) = json.loads(result.output)
    assert (found["horizon_text"], found["resolve_by"]) == ("within a year", "2027-11-25")


def _role_of(client: TestClient, key: str) -> str:
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200, me.text
    return str(me.json()["role"])


def test_a_key_for_an_existing_viewer_never_promotes_them_silently(
    cli_env: None, client: TestClient
) -> None:
    create = ["keys", "create", "--email", "vera@example.org", "--quiet"]
    viewer_key = runner.invoke(app, [*create, "--role", "viewer"]).output.strip()

    refused = runner.invoke(app, [*create, "--role", "admin"])
    assert refused.exit_code == 1
    assert "vera@example.org already has role viewer" in refused.output
    assert "--set-role" in refused.output
    assert _role_of(client, viewer_key) == "viewer"

    kept = runner.invoke(app, create)  # no --role: a key for the role they hold
    assert kept.exit_code == 0, kept.output
    assert _role_of(client, kept.output.strip()) == "viewer"


def test_set_role_changes_an_existing_users_role_and_says_so(
    cli_env: None, client: TestClient
) -> None:
    runner.invoke(app, ["keys", "create", "--email", "vera@example.org", "--role", "viewer"])
    result = runner.invoke(
        app, ["keys", "create", "--email", "vera@example.org", "--role", "admin", "--set-role"]
    )
    assert result.exit_code == 0, result.output
    assert "for vera@example.org (admin)" in result.output
    assert _role_of(client, result.output.split()[-1]) == "admin"


def test_set_role_without_a_role_is_refused(cli_env: None) -> None:
    result = runner.invoke(app, ["keys", "create", "--email", "a@b.org", "--set-role"])
    assert result.exit_code == 1
    assert "--set-role needs --role" in result.output


def test_a_new_user_gets_the_role_asked_for_or_editor(cli_env: None, client: TestClient) -> None:
    plain = runner.invoke(app, ["keys", "create", "--email", "new@example.org", "--quiet"])
    admin = runner.invoke(
        app, ["keys", "create", "--email", "boss@example.org", "--role", "admin", "--quiet"]
    )
    assert _role_of(client, plain.output.strip()) == "editor"
    assert _role_of(client, admin.output.strip()) == "admin"


def test_users_deactivate_takes_every_credential_away(
    cli_env: None, client: TestClient, engine: Engine
) -> None:
    from tests.web.conftest import PASSWORD, make_user, sign_in

    make_user(engine, "gone@example.org", Role.editor)
    sign_in(client, "gone@example.org")
    keys = [
        runner.invoke(app, ["keys", "create", "--email", "gone@example.org", "-q"]).output.strip()
        for _ in range(2)
    ]
    result = runner.invoke(app, ["users", "deactivate", "Gone@Example.org"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "user gone@example.org deactivated: 2 API keys revoked, 1 web sessions ended, "
        "password removed"
    )
    answers = [client.get("/api/v1/me", headers={"Authorization": f"Bearer {k}"}) for k in keys]
    assert [a.status_code for a in answers] == [401, 401]
    desk = client.get("/desk", follow_redirects=False)  # the old session cookie
    assert (desk.status_code, desk.headers["location"]) == (303, "/sign-in?next=%2Fdesk")
    with Session(engine) as session:
        found = auth.check_password(session=session, email="gone@example.org", password=PASSWORD)
    assert found is None
    unknown = runner.invoke(app, ["users", "deactivate", "nobody@example.org"])
    assert (unknown.exit_code, "no user with email" in unknown.output) == (1, True)


def _imports_of_the_cli(path: Path) -> list[str]:
    """The `app.cli` imports in one source file, as `file:line module`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        found += [f"{path}:{node.lineno} {n}" for n in names if n.split(".")[:2] == ["app", "cli"]]
    return found


def test_no_module_outside_the_cli_package_imports_it() -> None:
    package = Path(__file__).resolve().parents[1] / "app"
    sources = [p for p in package.rglob("*.py") if (package / "cli") not in p.parents]
    assert len(sources) > 50  # the walk found the app, not an empty directory
    assert [hit for p in sources for hit in _imports_of_the_cli(p)] == []


def test_users_invite_prints_a_link_that_sets_the_password_once(
    cli_env: None, client: TestClient, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.web.conftest import csrf_of, sign_in

    monkeypatch.setenv("HINDSIGHT_BASE_URL", "https://hindsight.example.org")
    get_settings.cache_clear()
    result = runner.invoke(app, ["users", "invite", "Desk@Example.org"])
    assert result.exit_code == 0, result.output
    heading, link = result.output.strip().splitlines()
    # the fixture clock starts at 2026-11-25 12:00 UTC; an invitation lasts 7 days
    assert heading == "invitation for desk@example.org (editor), valid until 2026-12-02 12:00 UTC:"
    prefix = "https://hindsight.example.org/invitations/"
    assert link.startswith(prefix)
    path = link.removeprefix("https://hindsight.example.org")
    assert "Welcome, desk@example.org" in client.get(path).text
    password = "a long enough passphrase"
    form = {"csrf_token": csrf_of(client.get(path).text)}
    done = client.post(path, data=form | {"new_password": password, "new_password_again": password})
    assert done.status_code == 200
    assert client.get(path).status_code == 404
    sign_in(client, "desk@example.org", password)


def test_users_invite_keeps_an_existing_role_unless_told_to_change_it(
    cli_env: None, engine: Engine
) -> None:
    runner.invoke(app, ["users", "create", "--email", "boss@example.org", "--role", "admin"])
    kept = runner.invoke(app, ["users", "invite", "boss@example.org"])
    assert kept.exit_code == 0, kept.output
    assert "(admin)" in kept.output.splitlines()[0]
    refused = runner.invoke(app, ["users", "invite", "boss@example.org", "--role", "viewer"])
    assert refused.exit_code == 1
    assert "--set-role" in refused.output
    changed = runner.invoke(
        app, ["users", "invite", "boss@example.org", "--role", "viewer", "--set-role"]
    )
    assert "(viewer)" in changed.output.splitlines()[0]
