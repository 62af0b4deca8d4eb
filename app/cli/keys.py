"""`hindsight keys`: API keys."""

from typing import Annotated

import typer

from app.auth import service as auth
from app.cli.support import RoleName, fail
from app.config import get_settings
from app.db import make_engine, session_scope
from app.errors import HindsightError

keys_app = typer.Typer(help="API keys.", no_args_is_help=True)


@keys_app.command("create")
def keys_create(
    email: Annotated[str, typer.Option(help="The key's user; created when missing.")],
    role: Annotated[
        RoleName | None,
        typer.Option(help="viewer, editor or admin; a new user's role (editor if left out)."),
    ] = None,
    set_role: Annotated[
        bool, typer.Option("--set-role", help="Change an existing user's role to --role.")
    ] = False,
    name: Annotated[str | None, typer.Option(help="A label for the key.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the key.")] = False,
) -> None:
    """Create an API key; it is printed once and cannot be shown again."""
    if set_role and role is None:
        raise fail("--set-role needs --role: give the role to set")
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            chosen = None if role is None else auth.parse_role(role)
            user = auth.key_holder(session=session, email=email, role=chosen, set_role=set_role)
            issued = auth.issue_key(session=session, user=user, name=name)
            key_id, held = issued.api_key.id, user.role
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
    if quiet:
        typer.echo(issued.secret)
        return
    typer.echo(f"API key {key_id} for {email.lower()} ({held}); it will not be shown again:")
    typer.echo(issued.secret)


@keys_app.command("revoke")
def keys_revoke(
    key: Annotated[str, typer.Argument(help="The key's id, prefix or secret.")],
) -> None:
    """Revoke an API key; it stops working at once."""
    engine = make_engine(get_settings())
    try:
        with session_scope(engine) as session:
            revoked = auth.revoke_key(session=session, key=key)
            typer.echo(f"revoked API key {revoked.id} ({revoked.prefix})")
    except HindsightError as exc:
        raise fail(exc.detail) from None
    finally:
        engine.dispose()
