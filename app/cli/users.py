"""`hindsight users`: the people who sign in to the web pages."""

import sys
from typing import Annotated

import typer

from app import links
from app.auth import service as auth
from app.cli.support import RoleName, fail
from app.clock import clock_for
from app.config import get_settings
from app.db import make_engine, session_scope
from app.errors import HindsightError

users_app = typer.Typer(help="Users who sign in to the web pages.", no_args_is_help=True)


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="The user's email; created when missing.")],
    role: Annotated[RoleName, typer.Option(help="viewer, editor or admin.")] = RoleName.editor,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create a user (or change their role), with a password read from standard input."""
    password = sys.stdin.readline().rstrip("\n") if password_stdin else None
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            user = auth.ensure_user(session=session, email=email, role=auth.parse_role(role))
            if password is not None:
                auth.set_password(session=session, user=user, password=password)
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
    with_password = " with a password" if password is not None else ""
    typer.echo(f"user {email.lower()} ({role.value}){with_password}")


@users_app.command("invite")
def users_invite(
    email: Annotated[str, typer.Argument(help="The user's email; created when missing.")],
    role: Annotated[
        RoleName | None,
        typer.Option(help="viewer, editor or admin (a new user: editor unless given)."),
    ] = None,
    set_role: Annotated[
        bool, typer.Option("--set-role", help="Change an existing user's role to --role.")
    ] = False,
) -> None:
    """Print a one-time link (valid 7 days) where the user sets their own password.

    Only the link's hash is stored, so it is shown this once; a newer link cancels older ones.
    """
    settings = get_settings()
    engine = make_engine(settings)
    try:
        with session_scope(engine) as session:
            chosen = None if role is None else auth.parse_role(role)
            user = auth.key_holder(session=session, email=email, role=chosen, set_role=set_role)
            now = clock_for(settings).now()
            issued = auth.invite(session=session, user=user, by=None, now=now)
            held, expires = user.role, issued.invitation.expires_at
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
    links.configure(settings.base_url)
    typer.echo(
        f"invitation for {email.lower()} ({held}), valid until {expires:%Y-%m-%d %H:%M} UTC:"
    )
    typer.echo(links.current().invitation(issued.token))


@users_app.command("deactivate")
def users_deactivate(
    email: Annotated[str, typer.Argument(help="The user's email.")],
) -> None:
    """Take every credential away from a user: API keys, web sessions and the password."""
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            user = auth.get_user_by_email(session=session, email=email)
            if user is None:
                raise fail(f"no user with email '{email}'")
            done = auth.deactivate_user(session=session, user=user)
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
    password = "password removed" if done.had_password else "no password"
    typer.echo(
        f"user {email.lower()} deactivated: {done.keys_revoked} API keys revoked, "
        f"{done.sessions_ended} web sessions ended, {password}"
    )
