"""`hindsight db`: the database schema, through Alembic."""

from pathlib import Path

import typer
from alembic import command
from alembic.config import Config

from app.config import get_settings

db_app = typer.Typer(help="The database schema.", no_args_is_help=True)

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    """Alembic's configuration, pointed at the shipped migrations and the configured database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", database_url or get_settings().database_url)
    config.attributes["configure_logger"] = False
    return config


@db_app.command("upgrade")
def db_upgrade(revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations (to the newest by default)."""
    settings = get_settings()
    path = settings.sqlite_path()
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(), revision)
    typer.echo(f"database at {revision}")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base.")) -> None:
    """Revert migrations."""
    command.downgrade(alembic_config(), revision)


@db_app.command("current")
def db_current() -> None:
    """Show the database's revision."""
    command.current(alembic_config())
