"""The request boundary owns the transaction: it commits before the client hears back."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.main import create_app
from tests.conftest import MovableClock
from tests.predictions.conftest import prediction_body


def test_a_write_is_committed_before_the_response_starts(
    engine: Any,
    settings: Settings,
    clock: MovableClock,
    editor_headers: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    order: list[str] = []
    real_commit = Session.commit

    def commit(self: Session) -> None:
        real_commit(self)
        order.append("commit")

    monkeypatch.setattr(Session, "commit", commit)
    app = create_app(settings, clock=clock)

    async def recording(scope: Any, receive: Any, send: Any) -> None:
        async def watched(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                order.append("response")
            await send(message)

        await app(scope, receive, watched)

    with TestClient(recording) as client:  # type: ignore[arg-type]
        order.clear()
        response = client.post(
            "/api/v1/predictions", json=prediction_body(), headers=editor_headers
        )
    assert response.status_code == 201
    assert order.index("commit") < order.index("response")
