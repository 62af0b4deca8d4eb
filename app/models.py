"""Every table: the naming convention for constraints and a UTC-aware datetime type."""

import enum
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
    true,
)
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

MAX_ID = 2**31 - 1  # ids are INTEGER columns on every backend


def utc_now() -> datetime:
    """The current instant, UTC-aware."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC instants; refuses naive datetimes so local times never sneak in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Role(enum.StrEnum):
    viewer = "viewer"
    editor = "editor"
    admin = "admin"

    @property
    def rank(self) -> int:
        return list(Role).index(self)


class Status(enum.StrEnum):
    open = "open"
    due = "due"
    snoozed = "snoozed"
    resolved = "resolved"
    void = "void"
    withdrawn = "withdrawn"


class Outcome(enum.StrEnum):
    true = "true"
    false = "false"
    void = "void"


class Basis(enum.StrEnum):
    stated = "stated"
    codebook = "codebook"
    editor = "editor"


def _in(column: str, values: type[enum.StrEnum]) -> str:
    listed = ", ".join(f"'{v.value}'" for v in values)
    return f"{column} IN ({listed})"


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    __table_args__ = (CheckConstraint(_in("role", Role), name="role"),)

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(sa_column=Column(String(320), nullable=False, unique=True))
    display_name: str | None = Field(default=None, max_length=200)
    role: str = Field(sa_column=Column(String(16), nullable=False))
    password_hash: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    # Deactivated users keep their row (their predictions name them) but no credential works.
    active: bool = Field(
        default=True, sa_column=Column(Boolean, nullable=False, server_default=true())
    )
    last_seen_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Invitation(SQLModel, table=True):
    """A one-time link to set a first password: the link holds a token, the table its hash."""

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    created_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    prefix: str = Field(sa_column=Column(String(16), nullable=False, unique=True))
    key_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    name: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class Author(SQLModel, table=True):
    __tablename__ = "author"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    name: str = Field(max_length=200)
    bio: str | None = Field(default=None, sa_column=Column(Text))
    links: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    affiliations: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Outlet(SQLModel, table=True):
    __tablename__ = "outlet"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(sa_column=Column(String(120), nullable=False, unique=True))
    name: str = Field(max_length=200)
    domain: str | None = Field(default=None, max_length=253, index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Source(SQLModel, table=True):
    __tablename__ = "source"

    id: int | None = Field(default=None, primary_key=True)
    url: str | None = Field(default=None, sa_column=Column(String(2048), unique=True))
    title: str | None = Field(default=None, max_length=500)
    outlet_id: int | None = Field(default=None, foreign_key="outlet.id", index=True)
    published_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    text: str | None = Field(default=None, sa_column=Column(Text))
    text_sha256: str | None = Field(default=None, max_length=64)
    retrieved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class SourceAuthor(SQLModel, table=True):
    """An author the article names (issue 13: a source may have several)."""

    __tablename__ = "source_author"

    source_id: int = Field(
        sa_column=Column(Integer, ForeignKey("source.id", ondelete="CASCADE"), primary_key=True)
    )
    author_id: int = Field(
        sa_column=Column(Integer, ForeignKey("author.id"), primary_key=True, index=True)
    )


class Prediction(SQLModel, table=True):
    __tablename__ = "prediction"
    __table_args__ = (
        UniqueConstraint("source_id", "quote_sha256", name="uq_prediction_source_quote"),
        CheckConstraint("probability >= 0 AND probability <= 1", name="probability_range"),
        CheckConstraint(_in("probability_basis", Basis), name="probability_basis"),
        CheckConstraint(_in("status", Status), name="status"),
        Index("ix_prediction_status_resolve_by", "status", "resolve_by"),
        Index("ix_prediction_author_id_made_at", "author_id", "made_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    author_id: int = Field(foreign_key="author.id")
    source_id: int = Field(foreign_key="source.id")
    quote: str = Field(sa_column=Column(Text, nullable=False))
    quote_sha256: str = Field(max_length=64)
    claim: str = Field(sa_column=Column(Text, nullable=False))
    resolution_criteria: str | None = Field(default=None, sa_column=Column(Text))
    probability: float
    probability_basis: str = Field(max_length=16)
    hedge: str | None = Field(default=None, max_length=200)
    codebook_version: str | None = Field(default=None, max_length=64)
    # How the probability was read from the quote (issue 13): the claim's polarity against
    # the hedge ("same" or "negated"), who chose the hedge ("quote" or "editor"), in words.
    probability_note: str | None = Field(default=None, sa_column=Column(Text))
    polarity: str | None = Field(default=None, max_length=8)
    hedge_from: str | None = Field(default=None, max_length=8)
    made_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    resolve_by: date = Field(index=True)
    horizon_text: str | None = Field(default=None, max_length=200)
    conditional_on: str | None = Field(default=None, sa_column=Column(Text))
    # A shared key for forecasts by several authors on the same question (imported sets).
    question: str | None = Field(default=None, max_length=300, index=True)
    status: str = Field(max_length=16)
    # The verdict in force, copied from its Resolution so scores and lists need no join.
    outcome: str | None = Field(default=None, max_length=8)
    resolved_on: date | None = None
    snoozed_until: date | None = None
    logged_by_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    # Who is to give the verdict: the journalist who logged it unless reassigned.
    assignee_id: int | None = Field(default=None, foreign_key="app_user.id", index=True)
    # Who made the assignment (users are deactivated, never deleted). No foreign key: SQLite
    # can drop a column in one only by rebuilding prediction, which would cascade to its tags.
    assigned_by_id: int | None = None
    assigned_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    # An automated resolution check, e.g. {"kind": "manifold", "url": "..."}.
    resolution_check: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class PredictionTag(SQLModel, table=True):
    __tablename__ = "prediction_tag"
    __table_args__ = (Index("ix_prediction_tag_tag_prediction_id", "tag", "prediction_id"),)

    prediction_id: int = Field(
        sa_column=Column(Integer, ForeignKey("prediction.id", ondelete="CASCADE"), primary_key=True)
    )
    tag: str = Field(sa_column=Column(String(64), primary_key=True))


class PredictionRevision(SQLModel, table=True):
    __tablename__ = "prediction_revision"

    id: int | None = Field(default=None, primary_key=True)
    prediction_id: int = Field(foreign_key="prediction.id", index=True)
    action: str = Field(max_length=32)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    before: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    changed_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    changed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Resolution(SQLModel, table=True):
    __tablename__ = "resolution"
    __table_args__ = (
        CheckConstraint(_in("outcome", Outcome), name="outcome"),
        UniqueConstraint("supersedes_id", name="uq_resolution_supersedes_id"),
        # One first verdict per prediction; with unique supersedes_id, one verdict in force.
        Index(
            "uq_resolution_first_verdict",
            "prediction_id",
            unique=True,
            sqlite_where=text("supersedes_id IS NULL"),
            postgresql_where=text("supersedes_id IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    prediction_id: int = Field(foreign_key="prediction.id", index=True)
    outcome: str = Field(max_length=8)
    resolved_on: date
    evidence_urls: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    note: str | None = Field(default=None, sa_column=Column(Text))
    resolved_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    supersedes_id: int | None = Field(default=None, foreign_key="resolution.id")
    # Set on verdicts of conditional predictions only; False means the verdict is void.
    condition_met: bool | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AuthorScoreBin(SQLModel, table=True):
    """Running sums of an author's scored predictions, per basis and calibration bin.

    Kept in the same transaction as every verdict, supersession, withdrawal and correction,
    so track records and leaderboards read sums instead of every prediction; `hindsight
    scores verify` recomputes them from the predictions and reports any difference.
    """

    __tablename__ = "author_score_bin"
    __table_args__ = (
        CheckConstraint(_in("basis", Basis), name="basis"),
        CheckConstraint("bin >= 0 AND bin <= 9", name="bin_range"),
    )

    author_id: int = Field(
        sa_column=Column(Integer, ForeignKey("author.id"), primary_key=True, autoincrement=False)
    )
    basis: str = Field(sa_column=Column(String(16), primary_key=True))
    bin: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    n: int = 0
    sum_p: float = 0.0
    sum_y: float = 0.0
    sum_se: float = 0.0
    sum_se2: float = 0.0
    sum_log: float = 0.0


class ScoreState(SQLModel, table=True):
    """One row whose version changes only when a score moves (or a ranked author's name):
    the leaderboard's cache key. Writes that move no score leave it alone."""

    __tablename__ = "score_state"

    id: int = Field(default=1, primary_key=True)
    version: int = 0
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class AuthorVersion(SQLModel, table=True):
    """Per author, a version that changes with every write its track record can show
    (counts, scores, names, a shared question's crowd): that author's cache key."""

    __tablename__ = "author_version"

    author_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("author.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        )
    )
    version: int = 0


class AuthorTrackRecord(SQLModel, table=True):
    """An author's default track record (no filters) as the API renders it, and the author's
    version it was rendered at: served while that version stands (issue 16)."""

    __tablename__ = "author_track_record"

    author_id: int = Field(
        sa_column=Column(
            Integer,
            ForeignKey("author.id", ondelete="CASCADE"),
            primary_key=True,
            autoincrement=False,
        )
    )
    version: int
    body: str = Field(sa_column=Column(Text, nullable=False))
    rendered_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class Channel(enum.StrEnum):
    email = "email"
    webhook = "webhook"


class Subscription(SQLModel, table=True):
    """Who is reminded of what, and how: an email address or a signed webhook."""

    __tablename__ = "subscription"
    __table_args__ = (CheckConstraint(_in("channel", Channel), name="channel"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    channel: str = Field(max_length=16)
    address: str | None = Field(default=None, max_length=320)
    url: str | None = Field(default=None, max_length=2048)
    secret: str | None = Field(default=None, max_length=200)
    events: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    authors: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    tags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    timezone: str = Field(default="UTC", max_length=64)
    active: bool = True
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class DigestLog(SQLModel, table=True):
    """One weekly digest per recipient and ISO week: the row is the claim to send it."""

    __tablename__ = "digest_log"
    __table_args__ = (
        UniqueConstraint("recipient", "iso_week", name="uq_digest_log_recipient_week"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int | None = Field(default=None, foreign_key="subscription.id")
    recipient: str = Field(max_length=320)
    iso_week: str = Field(max_length=10)
    status: str = Field(max_length=16)
    claimed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    attempts: int = 0
    error: str | None = Field(default=None, sa_column=Column(Text))
    body_text: str | None = Field(default=None, sa_column=Column(Text))


class WebhookDelivery(SQLModel, table=True):
    """The outbox: an event for one webhook, written in the transaction that caused it."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index("ix_webhook_delivery_status_next_attempt_at", "status", "next_attempt_at"),
        UniqueConstraint("subscription_id", "event_id", name="uq_webhook_delivery_event"),
    )

    id: int | None = Field(default=None, primary_key=True)
    subscription_id: int = Field(foreign_key="subscription.id", index=True)
    event_id: str = Field(max_length=64)
    event_type: str = Field(max_length=64)
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: str = Field(max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    last_status_code: int | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class SchedulerLease(SQLModel, table=True):
    """Held by the one scheduler that runs jobs; others wait until it expires."""

    __tablename__ = "scheduler_lease"

    name: str = Field(primary_key=True, max_length=64)
    owner: str = Field(max_length=200)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    renewed_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class ProposedVerdict(SQLModel, table=True):
    """A verdict an automated check proposes; an editor confirms or rejects it."""

    __tablename__ = "proposed_verdict"

    id: int | None = Field(default=None, primary_key=True)
    prediction_id: int = Field(foreign_key="prediction.id", index=True)
    outcome: str = Field(max_length=8)
    resolved_on: date
    evidence_url: str = Field(max_length=2048)
    source: str = Field(max_length=32)
    status: str = Field(max_length=16)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))


class ExtractionCandidate(SQLModel, table=True):
    """A forecast the extractor found in a source, waiting for a journalist to accept or reject.

    Rejections and their reasons are kept: they are the data for improving the extractor.
    """

    __tablename__ = "extraction_candidate"
    __table_args__ = (UniqueConstraint("source_id", "n", name="uq_extraction_candidate_source_n"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    n: int
    data: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    author: str | None = Field(default=None, max_length=200)
    status: str = Field(max_length=16)
    reason: str | None = Field(default=None, sa_column=Column(Text))
    prediction_id: int | None = Field(default=None, foreign_key="prediction.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime()))
    decided_by_id: int | None = Field(default=None, foreign_key="app_user.id")


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds a random token, the table only its hash.

    Signing out deletes the row, so a copied cookie stops working at once.
    """

    __tablename__ = "web_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(sa_column=Column(String(64), nullable=False, unique=True))
    csrf_token: str = Field(sa_column=Column(String(64), nullable=False))
    user_id: int = Field(foreign_key="app_user.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class LogLeaf(SQLModel, table=True):
    """One record in the Merkle log (issue 17): the exact canonical JSON that was hashed."""

    __tablename__ = "log_leaf"
    __table_args__ = (
        UniqueConstraint("record_table", "record_id", name="uq_log_leaf_record"),
        CheckConstraint("idx >= 0", name="idx_range"),
    )

    idx: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    kind: str = Field(max_length=16)
    # The table and row the leaf records: prediction, prediction_revision or resolution.
    record_table: str = Field(max_length=32)
    record_id: int
    # No foreign key: the log outlives any edit of the records it vouches for.
    prediction_id: int = Field(index=True)
    leaf: str = Field(sa_column=Column(Text, nullable=False))
    leaf_hash: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class LogNode(SQLModel, table=True):
    """The hash of a complete subtree: leaves [position * 2**level, (position + 1) * 2**level)."""

    __tablename__ = "log_node"

    level: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    position: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    hash: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))


class LogHead(SQLModel, table=True):
    """The log's size: the one row appends lock, as their last statements before commit."""

    __tablename__ = "log_head"

    id: int = Field(default=1, primary_key=True)
    size: int = 0
    # The hashes of the complete subtrees [0, size) splits into, largest first, concatenated:
    # all an append needs to know of the tree, read with the lock.
    frontier: bytes = Field(default=b"", sa_column=Column(LargeBinary(), nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))


class LogCheckpoint(SQLModel, table=True):
    """A signed checkpoint (C2SP tlog-checkpoint in a signed note); every one is kept."""

    __tablename__ = "log_checkpoint"

    id: int | None = Field(default=None, primary_key=True)
    tree_size: int = Field(sa_column=Column(Integer, nullable=False, unique=True))
    root_hash: bytes = Field(sa_column=Column(LargeBinary(32), nullable=False))
    origin: str = Field(max_length=255)
    note: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime(), nullable=False))
