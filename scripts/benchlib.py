"""Pieces the benchmark scripts share."""

import socket
import subprocess
import time

import httpx
from alembic import command
from sqlalchemy import text
from sqlmodel import SQLModel

from app.cli import alembic_config
from app.config import Settings
from app.db import make_engine


def fresh(url: str) -> None:
    """Drop everything in the database and migrate it to head (benchmark databases only)."""
    engine = make_engine(Settings(database_url=url))
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        else:
            SQLModel.metadata.drop_all(connection)
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    engine.dispose()
    command.upgrade(alembic_config(url), "head")


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody is listening on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until_up(base: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    """Return once the server at `base` answers /healthz; exit if it dies or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"uvicorn exited with status {process.returncode}")
        try:
            if httpx.get(f"{base}/healthz", timeout=2.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"uvicorn did not answer within {timeout:.0f} s")
