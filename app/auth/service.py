"""Users and API keys: keys are random, stored as SHA-256 hashes, shown once."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import delete, func, or_, update
from sqlmodel import Session, col, select

from app.errors import Conflict, Invalid, NotFound
from app.models import ApiKey, Invitation, Role, User, WebSession, utc_now

KEY_PREFIX = "hs"
INVITATION_DAYS = 7


@dataclass(frozen=True)
class IssuedKey:
    """A key as issued: the secret exists only here, never in the database."""

    api_key: ApiKey
    secret: str


def hash_key(secret: str) -> str:
    """SHA-256 suffices: the key carries 256 random bits, so no salt or slow hash is needed."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normalize_email(email: str) -> str:
    """Emails compare case-insensitively."""
    cleaned = email.strip().lower()
    if "@" not in cleaned or cleaned.startswith("@") or cleaned.endswith("@"):
        raise Invalid(f"'{email}' is not an email address", field="email")
    return cleaned


def parse_role(role: str) -> Role:
    """A Role from its name, or a clear error listing the roles."""
    try:
        return Role(role)
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise Invalid(f"unknown role '{role}': use one of {names}", field="role") from None


def get_user_by_email(*, session: Session, email: str) -> User | None:
    """The user with this email, if any."""
    return session.exec(select(User).where(User.email == normalize_email(email))).first()


def create_user(
    *, session: Session, email: str, role: Role, display_name: str | None = None
) -> User:
    """A new user; 409 when the email is taken."""
    if get_user_by_email(session=session, email=email) is not None:
        raise Conflict(f"a user with email '{email}' exists already", field="email")
    user = User(
        email=normalize_email(email),
        role=role.value,
        display_name=display_name,
        created_at=utc_now(),
    )
    session.add(user)
    session.flush()
    return user


def ensure_user(*, session: Session, email: str, role: Role) -> User:
    """The user with this email, created with the role when missing (the role is then set)."""
    user = get_user_by_email(session=session, email=email)
    if user is None:
        return create_user(session=session, email=email, role=role)
    user.role = role.value
    session.add(user)
    session.flush()
    return user


def key_holder(*, session: Session, email: str, role: Role | None, set_role: bool) -> User:
    """The user a new key is for: created when missing (editor unless `role` says otherwise).

    An existing user's role changes only when `set_role` asks for it (issue 11): a key for an
    existing viewer must not quietly make them an admin.
    """
    user = get_user_by_email(session=session, email=email)
    if user is None:
        return create_user(session=session, email=email, role=role or Role.editor)
    if role is None or role.value == user.role:
        return user
    if not set_role:
        raise Conflict(
            f"{user.email} already has role {user.role}: leave out --role to keep it, "
            f"or add --set-role to make them {role.value}",
            field="role",
        )
    user.role = role.value
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class Deactivated:
    """What deactivating a user took away."""

    keys_revoked: int
    sessions_ended: int
    had_password: bool


def deactivate_user(*, session: Session, user: User) -> Deactivated:
    """Take every credential away: keys revoked, web sessions ended, the password removed.

    The user's row stays (their predictions and verdicts name them). Giving a credential back
    (`hindsight keys create`, `hindsight users create --password-stdin`) reactivates them.
    The last active admin cannot be deactivated: someone must be left to manage users.
    """
    if user.active and user.role == Role.admin:
        _not_the_last_admin(session, user, "deactivate")
    live = [key for key in list_keys(session=session, user=user) if key.revoked_at is None]
    for key in live:
        key.revoked_at = utc_now()
        session.add(key)
    ended = session.exec(delete(WebSession).where(col(WebSession.user_id) == user.id)).rowcount
    had_password = user.password_hash is not None
    user.password_hash = None
    user.active = False
    session.add(user)
    session.flush()
    return Deactivated(keys_revoked=len(live), sessions_ended=ended, had_password=had_password)


def issue_key(*, session: Session, user: User, name: str | None = None) -> IssuedKey:
    """A new key for the user; the returned secret is the only copy."""
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    assert user.id is not None
    user.active = True
    session.add(user)
    api_key = ApiKey(
        user_id=user.id,
        prefix=prefix,
        key_hash=hash_key(secret),
        name=name,
        created_at=utc_now(),
    )
    session.add(api_key)
    session.flush()
    return IssuedKey(api_key=api_key, secret=secret)


def revoke_key(*, session: Session, key: str) -> ApiKey:
    """Revoke by id, prefix or the full secret; revoking twice is harmless."""
    api_key = _find_key(session=session, key=key.strip())
    if api_key is None:
        raise NotFound(f"no API key matches '{key}': give its id or prefix", field="key")
    if api_key.revoked_at is None:
        api_key.revoked_at = utc_now()
        session.add(api_key)
        session.flush()
    return api_key


def _find_key(*, session: Session, key: str) -> ApiKey | None:
    if key.startswith(f"{KEY_PREFIX}_") and key.count("_") >= 2:
        return session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(key))).first()
    by_prefix = session.exec(select(ApiKey).where(ApiKey.prefix == key)).first()
    if by_prefix is None and key.isdigit() and int(key) < 2**31:
        return session.get(ApiKey, int(key))
    return by_prefix


@dataclass(frozen=True)
class KeyHolder:
    """A live key and the active user it belongs to."""

    key: ApiKey
    user: User


def authenticate_key(*, session: Session, secret: str) -> KeyHolder | None:
    """The live key and its active user, or None."""
    row = session.exec(
        select(ApiKey, User)
        .join(User, User.id == ApiKey.user_id)  # type: ignore[arg-type]
        .where(ApiKey.key_hash == hash_key(secret), ApiKey.revoked_at.is_(None))  # type: ignore[union-attr]
        .where(col(User.active))
    ).first()
    return None if row is None else KeyHolder(row[0], row[1])


def authenticate(*, session: Session, secret: str) -> User | None:
    """The active user a live key belongs to, or None."""
    found = authenticate_key(session=session, secret=secret)
    return None if found is None else found.user


KEY_USE_STEP = timedelta(hours=1)


def use_is_news(*, key: ApiKey, now: datetime) -> bool:
    """Whether the key's last use is unknown or older than KEY_USE_STEP."""
    return key.last_used_at is None or now - key.last_used_at >= KEY_USE_STEP


def stamp_use(*, session: Session, key: ApiKey, now: datetime) -> None:
    """Record that the key was used now, unless a parallel request just did."""
    recent = now - KEY_USE_STEP
    session.exec(
        update(ApiKey)
        .where(col(ApiKey.id) == key.id)
        .where(or_(col(ApiKey.last_used_at).is_(None), col(ApiKey.last_used_at) <= recent))
        .values(last_used_at=now)
    )


def list_keys(*, session: Session, user: User) -> list[ApiKey]:
    """The user's keys, newest first."""
    return list(
        session.exec(
            select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.id.desc())  # type: ignore[union-attr]
        )
    )


_hasher = PasswordHasher()
MIN_PASSWORD = 12


# Hashing costs ~100 ms of CPU: callers run it in the threadpool and outside any transaction,
# so no connection or write lock is held meanwhile (issue 10).
def hash_password(password: str) -> str:
    """An argon2 hash of an acceptable new password."""
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"the password needs at least {MIN_PASSWORD} characters", field="password")
    return _hasher.hash(password)


def password_matches(*, password_hash: str | None, password: str) -> bool:
    """Whether the password fits the stored hash; no hash costs the same time, revealing nothing."""
    if password_hash is None:
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except VerificationError:
        return False


def rehash_if_stale(*, password_hash: str, password: str) -> str | None:
    """A fresh hash when the stored one was made with older parameters, else None."""
    return _hasher.hash(password) if _hasher.check_needs_rehash(password_hash) else None


def store_password_hash(*, session: Session, user: User, password_hash: str) -> None:
    """Keep a hash made by `hash_password` (never the password)."""
    user.password_hash = password_hash
    session.add(user)
    session.flush()


def set_password(*, session: Session, user: User, password: str) -> None:
    """Hash and store a password, for callers without a request to keep short (the CLI).

    A password given back to a deactivated user reactivates them."""
    user.active = True
    store_password_hash(session=session, user=user, password_hash=hash_password(password))


def check_password(*, session: Session, email: str, password: str) -> User | None:
    """The user whose email and password match, else None (the same answer for both misses)."""
    user = get_user_by_email(session=session, email=email)
    stored = user.password_hash if user is not None and user.active else None
    if not password_matches(password_hash=stored, password=password):
        return None
    return user


def _not_the_last_admin(session: Session, user: User, action: str) -> None:
    """409 when `user` is the only active admin left."""
    # Lock the admins' rows so two admins cannot each demote the other at once.
    others = session.exec(
        select(User.id)
        .where(col(User.role) == Role.admin, col(User.active), col(User.id) != user.id)
        .with_for_update()
    ).all()
    if not others:
        raise Conflict(
            f"{user.email} is the only active admin: make another user an admin before you "
            f"{action} them",
            field="role",
        )


def change_role(*, session: Session, user: User, role: Role) -> User:
    """Give the user another role; the last active admin keeps theirs."""
    if user.role == Role.admin and role != Role.admin and user.active:
        _not_the_last_admin(session, user, "change the role of")
    user.role = role.value
    session.add(user)
    session.flush()
    return user


@dataclass(frozen=True)
class UserKeys:
    """A user and their API keys (newest first), as admins see them."""

    user: User
    keys: list[ApiKey]


def list_users(*, session: Session, limit: int, offset: int) -> tuple[list[UserKeys], int]:
    """Users by email with their keys; the total of users."""
    total = int(session.scalar(select(func.count()).select_from(User)) or 0)
    users = list(session.exec(select(User).order_by(col(User.email)).limit(limit).offset(offset)))
    keys = session.exec(
        select(ApiKey)
        .where(col(ApiKey.user_id).in_([u.id for u in users]))
        .order_by(col(ApiKey.id).desc())
    )
    by_user: dict[int, list[ApiKey]] = {}
    for key in keys:
        by_user.setdefault(key.user_id, []).append(key)
    return [UserKeys(u, by_user.get(u.id or 0, [])) for u in users], total


def get_user(*, session: Session, user_id: int) -> User:
    """The user with this id, or 404."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}", field="user_id")
    return user


@dataclass(frozen=True)
class IssuedInvitation:
    """An invitation as issued: the token exists only here, never in the database."""

    invitation: Invitation
    token: str


def invite(*, session: Session, user: User, by: User | None, now: datetime) -> IssuedInvitation:
    """A one-time link token for `user` to set their password, valid INVITATION_DAYS days.

    Earlier unused invitations of the user stop working: only the newest link counts."""
    assert user.id is not None
    session.exec(
        update(Invitation)
        .where(col(Invitation.user_id) == user.id, col(Invitation.used_at).is_(None))
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        user_id=user.id,
        token_hash=hash_key(token),
        created_by_id=by.id if by else None,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    session.add(invitation)
    session.flush()
    return IssuedInvitation(invitation, token)


def find_invitation(*, session: Session, token: str, now: datetime) -> tuple[Invitation, User]:
    """The live invitation the token names, with its user; 404 when used, expired or unknown."""
    row = session.exec(
        select(Invitation, User)
        .join(User, col(User.id) == col(Invitation.user_id))
        .where(col(Invitation.token_hash) == hash_key(token))
    ).first()
    if row is None or row[0].used_at is not None or row[0].expires_at <= now:
        raise NotFound(
            "this invitation link is unknown, used or expired: ask an admin for a new one",
            field="token",
        )
    return row[0], row[1]


def accept_invitation(
    *, session: Session, invitation: Invitation, user: User, password_hash: str, now: datetime
) -> User:
    """Use the invitation once: the user gets the password and is active."""
    used = session.exec(
        update(Invitation)
        .where(col(Invitation.id) == invitation.id, col(Invitation.used_at).is_(None))
        .values(used_at=now)
    )
    if used.rowcount != 1:  # a second tab or a copied link got there first
        raise Conflict("this invitation link was used already: sign in instead", field="token")
    user.active = True
    store_password_hash(session=session, user=user, password_hash=password_hash)
    return user


def staff(*, session: Session) -> list[User]:
    """Active users who can give verdicts (editors and admins), by email."""
    statement = (
        select(User)
        .where(col(User.active), col(User.role).in_([Role.editor.value, Role.admin.value]))
        .order_by(col(User.email))
    )
    return list(session.exec(statement))
