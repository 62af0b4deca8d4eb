"""Fixtures for the pages: users with passwords and a client signed in as each role."""

import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.auth import service as auth
from app.models import Role

PASSWORD = "correct horse battery"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_user(engine: Engine, email: str, role: Role, password: str = PASSWORD) -> None:
    """A user who can sign in with `password`."""
    with Session(engine) as session:
        user = auth.ensure_user(session=session, email=email, role=role)
        auth.set_password(session=session, user=user, password=password)
        session.commit()


def csrf_of(html: str) -> str:
    """The CSRF token a page's forms carry."""
    found = CSRF.search(html)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> str:
    """Sign the client in through the form; returns the session's CSRF token."""
    token = csrf_of(client.get("/sign-in").text)
    response = client.post(
        "/sign-in", data={"email": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 200, response.text
    return csrf_of(client.get("/desk").text)


SignIn = Callable[[Role], str]


@pytest.fixture
def signed_in(engine: Engine, client: TestClient) -> SignIn:
    """Sign the shared client in as a new user of the given role; returns its CSRF token."""

    def as_role(role: Role) -> str:
        email = f"{role.value}-web@example.org"
        make_user(engine, email, role)
        return sign_in(client, email)

    return as_role
