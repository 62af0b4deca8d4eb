"""create_app(): the lifespan builds the engine and shared client; routers; error handlers."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from anyio import to_thread
from fastapi import APIRouter, FastAPI
from fastapi.staticfiles import StaticFiles

from app import links, reactions
from app import scheduler as jobs
from app.auth.router import router as auth_router
from app.authors.router import router as authors_router
from app.client import trusted_networks
from app.clock import Clock, clock_for
from app.codebooks.router import router as codebooks_router
from app.config import Settings, get_settings
from app.db import make_engine
from app.errors import install_error_handlers
from app.extraction.fetch import make_client
from app.extraction.router import router as extraction_router
from app.headers import SecurityHeadersMiddleware
from app.ledger.keys import load_signer
from app.ledger.router import router as log_router
from app.limits import BodyLimitMiddleware
from app.notifications.email import smtp_configured
from app.notifications.router import router as notifications_router
from app.openapi import document_errors, install_docs
from app.outlets.router import router as outlets_router
from app.predictions.router import router as predictions_router
from app.ratelimit import make_limiter
from app.resolutions.router import router as proposals_router
from app.scoring.cache import ResponseCache
from app.scoring.fastpath import ScoreFastPath
from app.scoring.generation import follow_commits, generation_for
from app.scoring.router import router as scoring_router
from app.scoring.stored import reader_for as stored_reader_for
from app.sources.router import router as sources_router
from app.web.pages import error_page
from app.web.router import router as web_router

API_PREFIX = "/api/v1"
IMPORT_PATH = f"{API_PREFIX}/predictions/import"
HTTP_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
THREADS = 200
STATIC = Path(__file__).parent / "web" / "static"

log = logging.getLogger("hindsight")

DESCRIPTION = """
Hindsight keeps score of pundits' predictions: it records forecasts quoted from commentary,
tracks their deadlines, takes verdicts with evidence and scores authors over time.

Reads are public unless `HINDSIGHT_PUBLIC_READS=false`; every write needs an API key
(`Authorization: Bearer hs_...`, made with `hindsight keys create`). Errors answer
`{"detail": ..., "field": ...}`: the field at fault and how to fix it.
"""


def create_app(settings: Settings | None = None, *, clock: Clock | None = None) -> FastAPI:
    """The ASGI application."""
    settings = settings or get_settings()
    reactions.install()
    app = FastAPI(
        title="Hindsight",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=_lifespan,
        docs_url=None,  # served by install_docs, without a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    links.configure(settings.base_url)
    app.state.clock = clock or clock_for(settings)
    app.state.score_cache = ResponseCache()
    trusted_networks(settings.trusted_proxies)  # a bad HINDSIGHT_TRUSTED_PROXIES fails at start
    app.state.limiter = make_limiter(settings)
    app.add_middleware(
        BodyLimitMiddleware,
        limit=settings.max_body_bytes,
        larger={IMPORT_PATH: settings.max_import_bytes},
    )
    app.add_middleware(SecurityHeadersMiddleware)
    # Last: outermost, it replays what the others sent.
    app.add_middleware(ScoreFastPath, headers=SecurityHeadersMiddleware)
    install_error_handlers(app)
    document_errors(app)
    install_docs(app)
    _add_service_routes(app)  # first: /healthz is matched before every other route
    app.include_router(_api_router(), prefix=API_PREFIX)
    app.state.error_page = error_page
    app.mount("/static", StaticFiles(directory=STATIC, check_dir=True), name="static")
    app.include_router(web_router)
    return app


def _api_router() -> APIRouter:
    api = APIRouter()
    for router in (
        authors_router,
        outlets_router,
        sources_router,
        predictions_router,
        scoring_router,
        notifications_router,
        proposals_router,
        extraction_router,
        codebooks_router,
        log_router,
    ):
        api.include_router(router)
    api.include_router(auth_router)
    return api


def _add_service_routes(app: FastAPI) -> None:
    @app.get("/healthz", tags=["service"])
    async def healthz() -> dict[str, str]:
        """Liveness: the process answers (async, no database, no authentication)."""
        return {"status": "ok"}


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    app.state.engine = make_engine(settings)
    app.state.log_signer = load_signer(settings)  # creates the key file at first start
    # Sync routes wait on the database in threads, and FastAPI validates their answer in a
    # further thread before the commit: with too few threads, the request holding a lock
    # finds none free and every waiter queues behind it until the pool timeout (issue 10).
    to_thread.current_default_thread_limiter().total_tokens = THREADS
    app.state.http = make_client(timeout=HTTP_TIMEOUT)
    # Locals, not app.state, are closed at the end: a second lifespan of the same app (two test
    # clients) replaces the state's, and each must close its own.
    generation = app.state.score_generation = generation_for(settings)
    unfollow = follow_commits(app.state.engine, generation)
    reader = app.state.stored_reader = stored_reader_for(settings)
    log.warning("hindsight on %s", _safe_url(settings))
    log.warning("links point at %s (set HINDSIGHT_BASE_URL to change)", links.current().base)
    if not smtp_configured(settings):
        log.warning("no HINDSIGHT_SMTP_HOST: weekly digests are recorded, not mailed")
    embedded = None
    if settings.scheduler_embedded:
        ctx = jobs.Context(app.state.engine, settings, app.state.clock, app.state.http)
        embedded = jobs.start_embedded(ctx)
    try:
        yield
    finally:
        if embedded is not None:
            embedded[0].shutdown(wait=True)  # a running job finishes under the lease
            embedded[1].release()
        unfollow()
        await reader.close()
        generation.close()
        if app.state.score_generation is generation:
            app.state.score_generation = None
        app.state.http.close()
        app.state.engine.dispose()


def _safe_url(settings: Settings) -> str:
    url = settings.database_url
    return url.split("@")[-1] if "@" in url else url
