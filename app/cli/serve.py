"""`hindsight serve`: the API under uvicorn."""

import os
from typing import Annotated

import typer
import uvicorn

from app.config import get_settings
from app.links import derived_base_url


def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="uvicorn worker processes.")] = 1,
) -> None:
    """Serve the API (OpenAPI docs at /docs)."""
    settings = get_settings()
    if not settings.base_url:
        # The workers read their settings afresh: the environment carries the derived URL.
        os.environ["HINDSIGHT_BASE_URL"] = derived_base_url(host, port)
        get_settings.cache_clear()
        typer.echo(f"HINDSIGHT_BASE_URL unset: links point at {os.environ['HINDSIGHT_BASE_URL']}")
    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=settings.log_level,
        proxy_headers=False,  # forwarded headers count only from HINDSIGHT_TRUSTED_PROXIES
    )
