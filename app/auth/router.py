"""/api/v1/me, /api/v1/users and /api/v1/keys"""

from fastapi import APIRouter, Request, status
from sqlmodel import col, select

from app.auth import service
from app.auth.schemas import (
    Deactivation,
    InvitationIssued,
    KeyCreate,
    KeyIssued,
    KeyPublic,
    RoleChange,
    UserCreate,
    UserPublic,
    UsersPage,
)
from app.db import fetch_page
from app.deps import AdminUser, IdPath, Limit, Offset, SessionDep, ViewerUser
from app.errors import Conflict, NotFound
from app.models import ApiKey, User

router = APIRouter(tags=["users and keys"])


@router.get("/me", response_model=UserPublic)
def whoami(user: ViewerUser) -> UserPublic:
    """The user your key belongs to."""
    return UserPublic.model_validate(user)


@router.post("/users", status_code=status.HTTP_201_CREATED, response_model=UserPublic)
def create_user(body: UserCreate, session: SessionDep, _admin: AdminUser) -> UserPublic:
    """Add a user (admin)."""
    user = service.create_user(
        session=session, email=body.email, role=body.role, display_name=body.display_name
    )
    return UserPublic.model_validate(user)


@router.get("/users", response_model=UsersPage)
def list_users(
    session: SessionDep, _admin: AdminUser, limit: Limit = 50, offset: Offset = 0
) -> UsersPage:
    """Every user (admin)."""
    statement = select(User).order_by(col(User.id))
    rows, total = fetch_page(session, statement, limit=limit, offset=offset)
    items = [UserPublic.model_validate(u) for u in rows]
    return UsersPage(items=items, total=total, limit=limit, offset=offset)


@router.post("/users/{user_id}/keys", status_code=status.HTTP_201_CREATED, response_model=KeyIssued)
def create_key(
    user_id: IdPath, body: KeyCreate, session: SessionDep, _admin: AdminUser
) -> KeyIssued:
    """Issue a key for a user (admin); the secret is shown once."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}", field="user_id")
    issued = service.issue_key(session=session, user=user, name=body.name)
    return KeyIssued(**KeyPublic.model_validate(issued.api_key).model_dump(), key=issued.secret)


@router.get("/users/{user_id}/keys", response_model=list[KeyPublic])
def list_keys(user_id: IdPath, session: SessionDep, _admin: AdminUser) -> list[KeyPublic]:
    """A user's keys (admin)."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"no user with id {user_id}", field="user_id")
    return [KeyPublic.model_validate(k) for k in service.list_keys(session=session, user=user)]


@router.delete("/keys/{key_id}", response_model=KeyPublic)
def revoke_key(key_id: IdPath, session: SessionDep, _admin: AdminUser) -> KeyPublic:
    """Revoke a key (admin); it stops working at once."""
    if session.get(ApiKey, key_id) is None:
        raise NotFound(f"no API key with id {key_id}", field="key_id")
    return KeyPublic.model_validate(service.revoke_key(session=session, key=str(key_id)))


@router.patch(
    "/users/{user_id}",
    response_model=UserPublic,
    responses={409: {"description": "The last active admin keeps the role."}},
)
def change_role(
    user_id: IdPath, body: RoleChange, session: SessionDep, _admin: AdminUser
) -> UserPublic:
    """Change a user's role (admin); it applies to their keys and sessions at once."""
    user = service.get_user(session=session, user_id=user_id)
    return UserPublic.model_validate(
        service.change_role(session=session, user=user, role=body.role)
    )


@router.post(
    "/users/{user_id}/deactivate",
    response_model=Deactivation,
    responses={409: {"description": "The last active admin cannot be deactivated."}},
)
def deactivate(user_id: IdPath, session: SessionDep, admin: AdminUser) -> Deactivation:
    """Deactivate a user (admin): their keys and web sessions stop working at once and their
    password is removed; their predictions and verdicts stay. An invitation reactivates them."""
    user = service.get_user(session=session, user_id=user_id)
    if user.id == admin.id:
        raise Conflict("you cannot deactivate yourself: ask another admin", field="user_id")
    done = service.deactivate_user(session=session, user=user)
    return Deactivation(
        user=UserPublic.model_validate(user),
        keys_revoked=done.keys_revoked,
        sessions_ended=done.sessions_ended,
    )


@router.post(
    "/users/{user_id}/invitation",
    status_code=status.HTTP_201_CREATED,
    response_model=InvitationIssued,
)
def invite(
    user_id: IdPath, session: SessionDep, admin: AdminUser, request: Request
) -> InvitationIssued:
    """A one-time link for the user to choose a password (admin), valid 7 days and shown once;
    earlier unused links stop working."""
    user = service.get_user(session=session, user_id=user_id)
    issued = service.invite(session=session, user=user, by=admin, now=request.app.state.clock.now())
    link = str(request.base_url).rstrip("/") + f"/invitations/{issued.token}"
    return InvitationIssued(user_id=user_id, link=link, expires_at=issued.invitation.expires_at)
