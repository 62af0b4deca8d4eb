"""User and key bodies."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from app.models import Role
from app.schemas import Input, Name, Page

Email = Annotated[
    str, StringConstraints(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
]


class UserCreate(Input):
    """A new user."""

    email: Email
    role: Role = Role.viewer
    display_name: Name | None = None


class UserPublic(BaseModel):
    """A user as admins see them."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    email: str
    display_name: str | None
    role: Role
    created_at: datetime
    active: bool = Field(description="False once deactivated: no key, session or password works.")
    last_seen_at: datetime | None = Field(description="The last web sign-in, if any.")


class KeyCreate(Input):
    """A label for a new key."""

    name: Name | None = None


class KeyPublic(BaseModel):
    """A key's record; the secret itself is never shown again."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    user_id: int
    prefix: str
    name: str | None
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class KeyIssued(KeyPublic):
    """A new key, with its secret shown this once."""

    key: str


UsersPage = Page[UserPublic]


class RoleChange(Input):
    """A user's new role."""

    role: Role


class Deactivation(BaseModel):
    """A deactivated user and what it took away."""

    user: UserPublic
    keys_revoked: int
    sessions_ended: int


class InvitationIssued(BaseModel):
    """A one-time link to set a password, shown this once (only its hash is stored)."""

    user_id: int
    link: str = Field(description="Open it in a browser to choose a password; it works once.")
    expires_at: datetime
