"""Wires the packages that react to events (scoring, notifications) to the dispatcher.

Called by every boundary that runs domain services: the app, the CLI and the test suite.
"""

from app import events
from app.notifications import reactions as notifications
from app.scoring import reactions as scoring


def install() -> None:
    """Subscribe every reaction once (idempotent)."""
    scoring.install()
    notifications.install()
    events.mark_installed()
