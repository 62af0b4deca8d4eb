"""Fixtures of the score tests."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.config import Settings
from app.main import create_app
from tests.conftest import MovableClock


@pytest.fixture
def other(engine: Engine, settings: Settings, clock: MovableClock) -> Iterator[TestClient]:
    """A second app on the same database: its own engine, as another worker would have."""
    with TestClient(create_app(settings, clock=clock)) as test_client:
        yield test_client
