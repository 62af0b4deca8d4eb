"""Appends the records an existing database holds, in the order they were made."""

from sqlalchemy import text
from sqlalchemy.engine import Connection

from app.models import utc_now


def backfill(connection: Connection) -> None:
    """Append every prediction, revision and verdict not yet in the log (placeholder)."""
    connection.execute(
        text("INSERT INTO log_head (id, size, updated_at) VALUES (1, 0, :now)"),
        {"now": utc_now()},
    )
