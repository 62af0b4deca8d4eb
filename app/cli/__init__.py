"""The `hindsight` command, assembled from one module per command group."""

import typer

from app import reactions
from app.cli.data import demo, export, import_app
from app.cli.db import alembic_config, db_app
from app.cli.digest import digest_app
from app.cli.extract import extract_command
from app.cli.keys import keys_app
from app.cli.report import report_app
from app.cli.scheduler import scheduler
from app.cli.scores import scores_app
from app.cli.serve import serve
from app.cli.users import users_app
from app.cli.verify import verify

__all__ = ["alembic_config", "app", "main"]

reactions.install()  # every command's services announce their changes to scoring and webhooks
app = typer.Typer(help="Hindsight: keeps score of pundits' predictions.", no_args_is_help=True)
app.command("serve")(serve)
app.command("export")(export)
app.command("demo")(demo)
app.command("scheduler")(scheduler)
app.command("extract")(extract_command)
app.command("verify")(verify)
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.add_typer(scores_app, name="scores")
app.add_typer(import_app, name="import")
app.add_typer(report_app, name="report")
app.add_typer(digest_app, name="digest")


def main() -> None:
    """Entry point for `python -m app.cli`."""
    app(prog_name="hindsight")
