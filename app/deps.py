"""Annotated dependencies shared by the routers."""

import logging
from collections.abc import Awaitable, Callable, Iterator
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session

from app.auth import service as auth_service
from app.clock import Clock
from app.config import Settings
from app.db import write_session
from app.errors import Forbidden, Unauthorized
from app.models import MAX_ID, ApiKey, Role, User

_READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_bearer = HTTPBearer(auto_error=False, description="An API key: `Authorization: Bearer hs_...`")


# Plain dependencies are `async def`: a sync one would cost each request a threadpool hop.
async def get_settings_dep(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


async def get_engine(request: Request) -> Engine:
    """The engine made in the lifespan."""
    engine: Engine = request.app.state.engine
    return engine


def get_session(request: Request) -> Iterator[Session]:
    """One session per request; the request boundary commits or rolls back.

    Sync, so FastAPI runs it in the threadpool. A writer's session takes its connection (and
    SQLite's write lock) at its first statement, not here: see `write_session`.
    """
    engine: Engine = request.app.state.engine
    reading = request.method in _READ_METHODS
    with Session(engine) if reading else write_session(engine) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": commit before the response is sent, so a client that reads right after
# a 201 sees its row (the default "request" scope would commit after sending).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
EngineDep = Annotated[Engine, Depends(get_engine)]
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]

log = logging.getLogger("hindsight")


async def get_optional_user(request: Request, credentials: Credentials) -> User | None:
    """The caller named by the bearer key, None without one; a bad key is always 401."""
    if credentials is None:
        return None
    # The lookup waits for a pooled connection: in the threadpool, never on the event loop.
    clock: Clock = request.app.state.clock
    user = await run_in_threadpool(
        _user_of_key, request.app.state.engine, credentials.credentials, clock.now()
    )
    if user is None:
        raise Unauthorized(
            "the API key is unknown or revoked: create one with `hindsight keys create`"
        )
    return user


def _user_of_key(engine: Engine, secret: str, now: datetime) -> User | None:
    with Session(engine, expire_on_commit=False) as session:
        found = auth_service.authenticate_key(session=session, secret=secret)
    if found is None:
        return None
    if auth_service.use_is_news(key=found.key, now=now):
        _stamp_use(engine, found.key, now)
    return found.user


def _stamp_use(engine: Engine, key: ApiKey, now: datetime) -> None:
    # At most one short write an hour per key, so admins see when a key was last used. In a
    # writer's own transaction: a read one upgraded to a write fails at once on SQLite when
    # another writer got in first. Best effort: a busy database never fails the request.
    try:
        with write_session(engine) as session:
            auth_service.stamp_use(session=session, key=key, now=now)
            session.commit()
    except (OperationalError, PoolTimeout):
        log.warning("key %s: last use not recorded (database busy)", key.prefix)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def require_role(role: Role) -> Callable[[OptionalUser], Awaitable[User]]:
    """A dependency that admits users holding at least `role`."""

    async def check(user: OptionalUser) -> User:
        if user is None:
            raise Unauthorized(
                f"this needs an API key with role {role.value} or higher: "
                "send `Authorization: Bearer <key>`"
            )
        if Role(user.role).rank < role.rank:
            raise Forbidden(
                f"this needs role {role.value}; your key's user '{user.email}' has role {user.role}"
            )
        return user

    return check


async def get_reader(settings: SettingsDep, user: OptionalUser) -> User | None:
    """Reads are open when public reads are on; otherwise they need a viewer key."""
    if settings.public_reads:
        return user
    return await require_role(Role.viewer)(user)


Reader = Annotated[User | None, Depends(get_reader)]
ViewerUser = Annotated[User, Depends(require_role(Role.viewer))]
EditorUser = Annotated[User, Depends(require_role(Role.editor))]
AdminUser = Annotated[User, Depends(require_role(Role.admin))]

IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="A numeric id.")]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size (1..500).")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]


async def get_today(request: Request) -> date:
    """Today in UTC, by the app's clock."""
    clock: Clock = request.app.state.clock
    return clock.now().date()


Today = Annotated[date, Depends(get_today)]


async def get_now(request: Request) -> datetime:
    """Now, by the app's clock: the instant a request's records are stamped with."""
    clock: Clock = request.app.state.clock
    return clock.now()


Now = Annotated[datetime, Depends(get_now)]
