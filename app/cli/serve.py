"""`hindsight serve`: the API under uvicorn."""

from typing import Annotated

import typer
import uvicorn

from app.config import get_settings


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve the API (OpenAPI docs at /docs)."""
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=get_settings().log_level,
        proxy_headers=False,  # forwarded headers count only from HINDSIGHT_TRUSTED_PROXIES
    )
