"""Browser sign-in: sessions stored as token hashes, each with its own CSRF token."""

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.auth import service as auth
from app.models import User, WebSession


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(
    *, session: Session, email: str, password: str, now: datetime, days: int
) -> tuple[str, WebSession] | None:
    """A new session for the right email and password (its cookie token and row), else None."""
    user = auth.check_password(session=session, email=email, password=password)
    if user is None or user.id is None:
        return None
    session.exec(delete(WebSession).where(col(WebSession.expires_at) <= now))
    token = secrets.token_urlsafe(32)
    row = WebSession(
        token_hash=_hash(token),
        csrf_token=secrets.token_urlsafe(32),
        user_id=user.id,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(row)
    return token, row


def find_session(*, session: Session, token: str, now: datetime) -> tuple[WebSession, User] | None:
    """The live session the cookie names, with its user."""
    row = session.exec(
        select(WebSession, User)
        .join(User, col(User.id) == col(WebSession.user_id))
        .where(col(WebSession.token_hash) == _hash(token), col(WebSession.expires_at) > now)
    ).first()
    return (row[0], row[1]) if row else None


def sign_out(*, session: Session, token: str) -> None:
    """End the session the cookie names: the token stops working everywhere."""
    session.exec(delete(WebSession).where(col(WebSession.token_hash) == _hash(token)))
