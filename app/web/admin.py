"""Pages: users for admins (invite, change a role, deactivate, see keys) and the invitee's
page that sets a first password from a one-time link."""

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from sqlmodel import Session

from app.auth import service as auth
from app.auth.schemas import UserCreate
from app.deps import IdPath
from app.errors import Conflict, HindsightError
from app.models import Role, User
from app.web.forms import FormProblem, errors_of, reshown_on_error
from app.web.pages import (
    FormDep,
    PageRoute,
    PageSession,
    Visitor,
    VisitorDep,
    error_page,
    redirect,
    render,
    require,
)

router = APIRouter(route_class=PageRoute, include_in_schema=False)

Token = Annotated[str, Path(min_length=20, max_length=100)]
SHOWN_USERS = 500
ROLES = [(role.value, role.value.capitalize()) for role in Role]


@router.get("/admin/users")
def users(request: Request, visitor: VisitorDep, session: PageSession) -> Response:
    """Every user with their role, state, last sign-in and keys; the invitation form."""
    require(visitor, Role.admin)
    return _users_page(request, visitor, session, {"role": "editor", "method": "link"}, {})


def _users_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    status: int = 200,
) -> Response:
    rows, total = auth.list_users(session=session, limit=SHOWN_USERS, offset=0)
    context = {"rows": rows, "total": total, "roles": ROLES, "values": values, "errors": errors}
    return render(request, visitor, "admin/users.html", context, status=status)


@router.post("/admin/users")
def invite(request: Request, visitor: VisitorDep, form: FormDep, session: PageSession) -> Response:
    """Add a user: with a one-time link shown once, or with a password the admin sets."""
    admin = require(visitor, Role.admin)
    method = form.get("method", "")

    def reshow(session: Session, errors: dict[str, str]) -> Response:
        return _users_page(request, visitor, session, form, errors, status=422)

    with reshown_on_error(reshow):
        data = _new_user(form)
        # The argon2 work runs before the session's first statement (issue 10).
        password_hash = _admin_password(form) if method == "password" else None
        user = auth.create_user(
            session=session, email=data.email, role=data.role, display_name=data.display_name
        )
    if password_hash is not None:
        auth.store_password_hash(session=session, user=user, password_hash=password_hash)
        notice = f"{user.email} added as {user.role}, with the password you set."
        return redirect(request, f"/admin/users/{user.id}", notice=notice)
    return _link_page(request, visitor, session, user, admin)


def _new_user(form: dict[str, str]) -> UserCreate:
    if form.get("method") not in ("link", "password"):
        raise FormProblem({"method": "choose a one-time link or a password you set"})
    body = {
        "email": form.get("email", ""),
        "role": form.get("role", ""),
        "display_name": form.get("display_name") or None,
    }
    return UserCreate.model_validate(body)


def _admin_password(form: dict[str, str]) -> str:
    try:
        return auth.hash_password(form.get("password", ""))
    except HindsightError as exc:
        raise FormProblem({"password": exc.detail}) from None


def _link_page(
    request: Request, visitor: Visitor, session: Session, user: User, admin: User
) -> Response:
    """The one-time link, shown this once (only its hash is stored)."""
    issued = auth.invite(session=session, user=user, by=admin, now=request.app.state.clock.now())
    link = str(request.base_url).rstrip("/") + f"/invitations/{issued.token}"
    context = {"user": user, "link": link, "invitation": issued.invitation}
    response = render(request, visitor, "admin/invited.html", context)
    response.headers["Cache-Control"] = "no-store"
    return response


@router.get("/admin/users/{user_id}")
def user_page(
    user_id: IdPath, request: Request, visitor: VisitorDep, session: PageSession
) -> Response:
    """One user: their keys, and the forms to change the role, deactivate or invite again."""
    require(visitor, Role.admin)
    user = auth.get_user(session=session, user_id=user_id)
    return _user_page(request, visitor, session, user)


def _user_page(
    request: Request,
    visitor: Visitor,
    session: Session,
    user: User,
    errors: dict[str, str] | None = None,
    *,
    status: int = 200,
) -> Response:
    context = {
        "user": user,
        "keys": auth.list_keys(session=session, user=user),
        "roles": ROLES,
        "errors": errors or {},
    }
    return render(request, visitor, "admin/user.html", context, status=status)


@router.post("/admin/users/{user_id}/role")
def change_role(
    user_id: IdPath, request: Request, visitor: VisitorDep, form: FormDep, session: PageSession
) -> Response:
    """Change a role: the first post asks for confirmation, the confirmed one changes it."""
    require(visitor, Role.admin)
    user = auth.get_user(session=session, user_id=user_id)

    status = [422]

    def reshow(session: Session, errors: dict[str, str]) -> Response:
        fresh = auth.get_user(session=session, user_id=user_id)
        return _user_page(request, visitor, session, fresh, errors, status=status[0])

    def placed(exc: Exception) -> dict[str, str]:
        status[0] = 409 if isinstance(exc, Conflict) else 422
        return errors_of(exc)

    with reshown_on_error(reshow, errors=placed):
        role = auth.parse_role(form.get("role", ""))
        if role.value == user.role:
            raise FormProblem({"role": f"{user.email} is already {role.value}: choose another"})
        if form.get("confirmed") != "yes":
            context = {"user": user, "role": role.value, "action": "role"}
            return render(request, visitor, "admin/confirm.html", context)
        auth.change_role(session=session, user=user, role=role)
    notice = f"{user.email} is now {role.value}."
    return redirect(request, f"/admin/users/{user_id}", notice=notice)


@router.post("/admin/users/{user_id}/deactivate")
def deactivate(
    user_id: IdPath, request: Request, visitor: VisitorDep, form: FormDep, session: PageSession
) -> Response:
    """Deactivate after confirmation: keys revoked, sessions ended, password removed, at once."""
    admin = require(visitor, Role.admin)
    user = auth.get_user(session=session, user_id=user_id)

    def reshow(session: Session, errors: dict[str, str]) -> Response:
        fresh = auth.get_user(session=session, user_id=user_id)
        return _user_page(request, visitor, session, fresh, errors, status=409)

    with reshown_on_error(reshow):
        if user.id == admin.id:
            raise FormProblem({"deactivate": "you cannot deactivate yourself: ask another admin"})
        if not user.active:
            raise FormProblem({"deactivate": f"{user.email} is already deactivated"})
        if form.get("confirmed") != "yes":
            context = {"user": user, "action": "deactivate"}
            return render(request, visitor, "admin/confirm.html", context)
        done = auth.deactivate_user(session=session, user=user)
    notice = (
        f"{user.email} deactivated: {done.keys_revoked} API keys revoked, "
        f"{done.sessions_ended} sessions ended."
    )
    return redirect(request, f"/admin/users/{user_id}", notice=notice)


@router.post("/admin/users/{user_id}/invitation")
def invite_again(
    user_id: IdPath, request: Request, visitor: VisitorDep, _form: FormDep, session: PageSession
) -> Response:
    """A new one-time link for an existing user (earlier links stop working)."""
    admin = require(visitor, Role.admin)
    user = auth.get_user(session=session, user_id=user_id)
    return _link_page(request, visitor, session, user, admin)


@router.get("/invitations/{token}")
def invitation(
    token: Token, request: Request, visitor: VisitorDep, session: PageSession
) -> Response:
    """The invitee's page: choose a password."""
    now = request.app.state.clock.now()
    _invitation, user = auth.find_invitation(session=session, token=token, now=now)
    return _invitation_page(request, visitor, user, token, {})


def _invitation_page(
    request: Request,
    visitor: Visitor,
    user: User,
    token: str,
    errors: dict[str, str],
    *,
    status: int = 200,
) -> Response:
    context = {"user": user, "token": token, "errors": errors}
    response = render(request, visitor, "admin/invitation.html", context, status=status)
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the address
    return response


@router.post("/invitations/{token}")
def accept(
    token: Token, request: Request, visitor: VisitorDep, form: FormDep, session: PageSession
) -> Response:
    """Set the password; the link is used up and the invitee signs in with it."""
    now = request.app.state.clock.now()
    with reshown_on_error(lambda s, e: _reshow_invitation(request, visitor, s, token, e)):
        new_hash = _chosen_password(form)  # argon2 before the first statement (issue 10)
    found, user = auth.find_invitation(session=session, token=token, now=now)
    auth.accept_invitation(
        session=session, invitation=found, user=user, password_hash=new_hash, now=now
    )
    notice = "Your password is set: sign in with it."
    return redirect(request, "/sign-in", notice=notice)


def _reshow_invitation(
    request: Request, visitor: Visitor, session: Session, token: str, errors: dict[str, str]
) -> Response:
    now = request.app.state.clock.now()
    try:
        _found, user = auth.find_invitation(session=session, token=token, now=now)
    except HindsightError as exc:
        return error_page(request, exc.status_code, exc.detail)
    return _invitation_page(request, visitor, user, token, errors, status=422)


def _chosen_password(form: dict[str, str]) -> str:
    new = form.get("new_password", "")
    if new != form.get("new_password_again", ""):
        raise FormProblem({"new_password_again": "the two passwords differ: type the same twice"})
    try:
        return auth.hash_password(new)
    except HindsightError as exc:
        raise FormProblem({"new_password": exc.detail}) from None
