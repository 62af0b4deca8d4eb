"""The weekly digest: what became due, what is overdue, what was resolved and how scores moved."""

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, StrictUndefined
from sqlalchemy import func, or_, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased
from sqlmodel import Session, col

from app.config import Settings
from app.db import session_scope
from app.errors import Invalid
from app.ledger import service as ledger
from app.links import Links
from app.models import (
    Author,
    AuthorScoreBin,
    DigestLog,
    Prediction,
    PredictionTag,
    Resolution,
    Role,
    Status,
    Subscription,
    User,
)
from app.notifications.email import Mail, Mailer, smtp_configured
from app.scoring import rules
from app.scoring.rows import OUTCOME_VALUE

_LOADER = PackageLoader("app.notifications", "templates")
_TEXT = Environment(loader=_LOADER, autoescape=False, undefined=StrictUndefined)
_HTML = Environment(loader=_LOADER, autoescape=True, undefined=StrictUndefined)

DIGEST_EVENT = "digest.weekly"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def iso_week(day: date) -> str:
    """'2026-W48' for any day of that ISO week."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(week: str) -> tuple[date, date]:
    """The Monday and Sunday of an ISO week written like '2026-W48'."""
    match = _WEEK.match(week)
    try:
        assert match is not None
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except (AssertionError, ValueError):
        raise Invalid(
            f"'{week}' is not an ISO week: write it like 2026-W48", field="week"
        ) from None
    return monday, monday + timedelta(days=6)


def send_time(settings: Settings, week: str) -> datetime:
    """When this week's digest is due to go out, as an aware datetime."""
    monday, _ = week_bounds(week)
    day = monday + timedelta(days=WEEKDAYS.index(settings.digest_weekday))
    hour, minute = (int(part) for part in settings.digest_time.split(":"))
    return datetime(
        day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(settings.digest_timezone)
    )


def current_week(settings: Settings, now: datetime) -> str:
    """The ISO week it is now in the digest's time zone."""
    return iso_week(now.astimezone(ZoneInfo(settings.digest_timezone)).date())


@dataclass(frozen=True)
class Item:
    """One prediction in a digest."""

    id: int
    author: str
    claim: str
    resolve_by: date
    status: str
    outcome: str | None = None
    age_days: int = 0
    resolved_on: date | None = None


@dataclass(frozen=True)
class Move:
    """How an author's Brier score moved with this week's verdicts."""

    author: str
    before: float | None
    after: float
    verdicts: int


@dataclass
class Digest:
    """Everything one recipient is told about one week."""

    recipient: str
    week: str
    became_due: list[Item] = field(default_factory=list)
    overdue: list[Item] = field(default_factory=list)
    resolved: list[Item] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    # The Merkle log's latest signed checkpoint, so readers keep copies (issue 17).
    checkpoint: str | None = None

    @property
    def empty(self) -> bool:
        """Nothing to say this week."""
        return not (self.became_due or self.overdue or self.resolved)


def digest_subscriptions(session: Session) -> list[Subscription]:
    """Active email subscriptions to the weekly digest, one per address (the oldest)."""
    found = session.exec(
        select(Subscription)  # type: ignore[call-overload]
        .where(col(Subscription.active), col(Subscription.channel) == "email")
        .order_by(col(Subscription.id))
    )
    chosen: dict[str, Subscription] = {}
    for (subscription,) in found:
        if DIGEST_EVENT in subscription.events and subscription.address:
            chosen.setdefault(subscription.address.lower(), subscription)
    return list(chosen.values())


def week_span(week: str, timezone: str) -> tuple[datetime, datetime]:
    """The instants the ISO week starts and ends (exclusive) in the digest's time zone."""
    monday, _ = week_bounds(week)
    zone = ZoneInfo(timezone)
    start = datetime(monday.year, monday.month, monday.day, tzinfo=zone)
    end = start + timedelta(days=7)
    return start.astimezone(UTC), end.astimezone(UTC)


def build_digest(
    session: Session, subscription: Subscription, week: str, today: date, *, settings: Settings
) -> Digest:
    """The digest for one subscription and week, with the settings' escalation and time zone.

    "Resolved this week" goes by when the verdict in force was recorded (imported ones
    included), not by the date its outcome became known, which is shown beside it.
    """
    _, sunday = week_bounds(week)
    escalated_before = min(today, sunday) - timedelta(weeks=settings.escalation_weeks)
    rows = _scope(session, subscription, escalated_before)
    latest = ledger.latest_checkpoint(session=session)
    memo = _Memo(session, latest.note if latest else None)
    return _assemble(memo, subscription, rows, week, today, settings.digest_timezone)


def _assemble(
    memo: "_Memo",
    subscription: Subscription,
    rows: list[Any],
    week: str,
    today: date,
    timezone: str,
) -> Digest:
    """One subscription's digest from its rows (ordered by deadline, then id)."""
    monday, sunday = week_bounds(week)
    start, end = week_span(week, timezone)
    digest = Digest(recipient=subscription.address or "", week=week)
    verdicts: dict[int, tuple[Any, ...]] = {}
    for row in rows:
        item = Item(
            row.id, row.author, row.claim, row.resolve_by, row.status, row.outcome,
            resolved_on=row.resolved_on,
        )  # fmt: skip
        if row.status == Status.due and monday <= row.resolve_by <= sunday:
            digest.became_due.append(item)
        elif row.status == Status.due and row.resolve_by < monday:
            age = (min(today, sunday) - row.resolve_by).days
            digest.overdue.append(Item(**{**vars(item), "age_days": age}))
        elif row.recorded_at is not None and start <= row.recorded_at < end:
            digest.resolved.append(item)
            verdicts[row.id] = (row.author_id, row.probability)
    digest.overdue.sort(key=lambda i: -i.age_days)
    digest.moves = _moves(memo, digest.resolved, verdicts)
    digest.checkpoint = memo.checkpoint
    return digest


class _Memo:
    """What every digest of a run shares: the log's checkpoint, each author's score totals and
    each prediction's superseded outcome, read once per run instead of once per recipient."""

    def __init__(self, session: Session, checkpoint: str | None) -> None:
        self.session = session
        self.checkpoint = checkpoint
        self._totals: dict[int, tuple[int, float | None]] = {}
        self._earlier: dict[int, str | None] = {}

    def totals(self, author_id: int) -> tuple[int, float | None]:
        """The author's scored count and Σ squared error, from the score rows."""
        if author_id not in self._totals:
            n, sum_se = self.session.execute(
                select(
                    func.coalesce(func.sum(AuthorScoreBin.n), 0),
                    func.sum(AuthorScoreBin.sum_se),
                ).where(col(AuthorScoreBin.author_id) == author_id)
            ).one()
            self._totals[author_id] = (int(n), None if sum_se is None else float(sum_se))
        return self._totals[author_id]

    def earlier(self, prediction_id: int) -> str | None:
        """The outcome in force before this week's verdict on the prediction, if any."""
        if prediction_id not in self._earlier:
            self._earlier[prediction_id] = _superseded_outcome(self.session, prediction_id)
        return self._earlier[prediction_id]


def build_digests(
    session: Session,
    subscriptions: list[Subscription],
    week: str,
    today: date,
    *,
    settings: Settings,
) -> dict[int, Digest]:
    """build_digest for many subscriptions at once (subscription id → digest), in a few
    queries: every personal queue's rows come from one query, split here by user."""
    _, sunday = week_bounds(week)
    timezone = settings.digest_timezone
    start, end = week_span(week, timezone)
    escalated_before = min(today, sunday) - timedelta(weeks=settings.escalation_weeks)
    latest = ledger.latest_checkpoint(session=session)
    memo = _Memo(session, latest.note if latest else None)
    queues = [s for s in subscriptions if not s.authors and not s.tags]
    rows = _queue_rows(session, queues, escalated_before, start, end)
    found = {}
    for subscription in subscriptions:
        mine = rows.get(subscription.id or 0)
        if mine is None:
            mine = _scope(session, subscription, escalated_before)
        found[subscription.id or 0] = _assemble(memo, subscription, mine, week, today, timezone)
    return found


def _queue_rows(
    session: Session,
    queues: list[Subscription],
    escalated_before: date,
    start: datetime,
    end: datetime,
) -> dict[int, list[Any]]:
    """Each personal-queue subscription's rows, as _scope would find them, from two queries.

    Only rows a digest can show are read: due ones, and ones whose verdict in force was
    recorded this week.
    """
    if not queues:
        return {}
    by_user: dict[int, list[int]] = {}
    for subscription in queues:
        by_user.setdefault(subscription.user_id, []).append(subscription.id or 0)
    admins = set(session.scalars(select(col(User.id)).where(col(User.role) == Role.admin)))
    found: dict[int, dict[int, Any]] = {s.id or 0: {} for s in queues}
    statement = _queue_statement()
    recent = select(col(Resolution.prediction_id)).where(
        col(Resolution.created_at) >= start, col(Resolution.created_at) < end
    )
    shown = or_(col(Prediction.status) == Status.due, col(Prediction.id).in_(recent))
    slugs = dict(session.execute(select(col(Author.id), col(Author.slug))).all())
    for row in _queue(session, statement.where(shown), slugs):
        for user in {row.assignee_id, row.logged_by_id} - {None}:
            for subscription_id in by_user.get(user or 0, ()):
                found[subscription_id][row.id] = row
    escalated_to = [s for s in queues if s.user_id in admins]
    if escalated_to:
        late = (col(Prediction.status) == Status.due) & (
            col(Prediction.resolve_by) <= escalated_before
        )
        for row in _queue(session, statement.where(late), slugs):
            for subscription in escalated_to:
                found[subscription.id or 0].setdefault(row.id, row)
    return {
        key: sorted(rows.values(), key=lambda r: (r.resolve_by, r.id))
        for key, rows in found.items()
    }


def _queue_statement() -> Any:
    """_scope's columns with the verdict in force looked up per row found (an index read),
    not joined from every verdict: over a million predictions the join took most of a run."""
    later = aliased(Resolution)
    recorded_at = (
        select(col(Resolution.created_at))
        .where(
            col(Resolution.prediction_id) == col(Prediction.id),
            ~select(col(later.id)).where(col(later.supersedes_id) == col(Resolution.id)).exists(),
        )
        .limit(1)
        .scalar_subquery()
    )
    return select(
        col(Prediction.id),
        col(Prediction.author_id),
        col(Prediction.claim),
        col(Prediction.resolve_by),
        col(Prediction.status),
        col(Prediction.outcome),
        col(Prediction.resolved_on),
        col(Prediction.probability),
        recorded_at.label("recorded_at"),
        col(Prediction.assignee_id),
        col(Prediction.logged_by_id),
    ).where(col(Prediction.status) != Status.withdrawn)


def _queue(session: Session, statement: Any, slugs: dict[int, str]) -> Iterator["_QueueRow"]:
    for found in session.execute(statement.execution_options(yield_per=20_000)):
        pid, author_id, *rest = found
        yield _QueueRow(pid, author_id, slugs[author_id], *rest)


class _QueueRow(NamedTuple):
    """A row of _queue_statement with its author's slug (looked up here, not joined:
    SQLite's plan for the join read the predictions author by author)."""

    id: int
    author_id: int
    author: str
    claim: str
    resolve_by: date
    status: str
    outcome: str | None
    resolved_on: date | None
    probability: float
    recorded_at: datetime | None
    assignee_id: int | None
    logged_by_id: int | None


def _in_force() -> Any:
    """Each prediction's verdict in force: the one no later verdict supersedes."""
    later = aliased(Resolution)
    superseded = select(col(later.id)).where(col(later.supersedes_id) == col(Resolution.id))
    return (
        select(col(Resolution.prediction_id), col(Resolution.created_at).label("recorded_at"))
        .where(~superseded.exists())
        .subquery()
    )


def _scope_statement() -> tuple[Any, Any]:
    """The columns a digest reads of a prediction, with its verdict in force."""
    verdict = _in_force()
    statement: Any = (
        select(
            col(Prediction.id),
            col(Prediction.author_id),
            col(Author.slug).label("author"),
            col(Prediction.claim),
            col(Prediction.resolve_by),
            col(Prediction.status),
            col(Prediction.outcome),
            col(Prediction.resolved_on),
            col(Prediction.probability),
            verdict.c.recorded_at,
        )
        .join(Author, col(Author.id) == col(Prediction.author_id))
        .outerjoin(verdict, verdict.c.prediction_id == col(Prediction.id))
        .where(col(Prediction.status) != Status.withdrawn)
        .order_by(col(Prediction.resolve_by), col(Prediction.id))
    )
    return statement, verdict


def _scope(session: Session, subscription: Subscription, escalated_before: date) -> list[Any]:
    statement, _ = _scope_statement()
    if subscription.authors:
        statement = statement.where(col(Author.slug).in_(subscription.authors))
    if subscription.tags:
        tagged = select(col(PredictionTag.prediction_id)).where(
            col(PredictionTag.tag).in_(subscription.tags)
        )
        statement = statement.where(col(Prediction.id).in_(tagged))
    if not subscription.authors and not subscription.tags:
        # Your own queue; admins also hear of anyone's prediction overdue past the escalation.
        mine = or_(
            col(Prediction.assignee_id) == subscription.user_id,
            col(Prediction.logged_by_id) == subscription.user_id,
        )
        user = session.get(User, subscription.user_id)
        if user is not None and user.role == Role.admin:
            escalated = (col(Prediction.status) == Status.due) & (
                col(Prediction.resolve_by) <= escalated_before
            )
            mine = or_(mine, escalated)
        statement = statement.where(mine)
    return list(session.execute(statement))


def _moves(memo: _Memo, resolved: list[Item], verdicts: dict[int, tuple[Any, ...]]) -> list[Move]:
    """Brier now, from the score rows, and before this week's verdicts, by taking them out.

    A verdict this week that superseded a scored one puts the earlier outcome back.
    """
    by_author: dict[str, list[Item]] = {}
    for item in resolved:
        by_author.setdefault(item.author, []).append(item)
    moves = []
    for author, items in sorted(by_author.items()):
        n, sum_se = memo.totals(verdicts[items[0].id][0])
        if not n or sum_se is None:
            continue
        before_n, before_se, counted = n, sum_se, 0
        for item in items:
            p = verdicts[item.id][1]
            if item.status == Status.resolved and item.outcome in OUTCOME_VALUE:
                before_n, before_se = (
                    before_n - 1,
                    before_se - rules.squared_error(p, OUTCOME_VALUE[item.outcome]),
                )
                counted += 1
            earlier = memo.earlier(item.id)
            if earlier in OUTCOME_VALUE:
                before_n, before_se = (
                    before_n + 1,
                    before_se + rules.squared_error(p, OUTCOME_VALUE[earlier]),
                )
        before = before_se / before_n if before_n > 0 else None
        moves.append(Move(author, before, sum_se / n, counted))
    return moves


def _superseded_outcome(session: Session, prediction_id: int) -> str | None:
    """The outcome of the verdict that was in force before this week's, if one was."""
    later = aliased(Resolution)
    current = select(col(Resolution.supersedes_id)).where(
        col(Resolution.prediction_id) == prediction_id,
        ~select(col(later.id)).where(col(later.supersedes_id) == col(Resolution.id)).exists(),
    )
    supersedes = session.execute(current).scalar()
    if supersedes is None:
        return None
    return session.execute(
        select(col(Resolution.outcome)).where(col(Resolution.id) == supersedes)
    ).scalar()


@dataclass(frozen=True)
class Line:
    """One line of a digest section: its words and the page it links to."""

    text: str
    url: str | None = None


def _sections(digest: Digest, base_url: str | None) -> list[tuple[str, list[Line]]]:
    pages = Links(base_url)

    def brier(value: float | None) -> str:
        return "none yet" if value is None else f"{value:.3f}"

    def line(i: Item, tail: str) -> Line:
        return Line(f"#{i.id} {i.author}: {i.claim} {tail}", pages.prediction_page(i.id))

    return [
        (
            "Became due this week",
            [line(i, f"(by {i.resolve_by})") for i in digest.became_due],
        ),
        (
            "Overdue",
            [line(i, f"({i.age_days} days overdue)") for i in digest.overdue],
        ),
        (
            "Resolved this week",
            [line(i, f"→ {i.outcome} (resolved on {i.resolved_on})") for i in digest.resolved],
        ),
        (
            "How scores moved",
            [
                Line(
                    f"{m.author}: Brier {brier(m.before)} → {m.after:.3f} after {m.verdicts} "
                    f"verdict{'' if m.verdicts == 1 else 's'}",
                    pages.author_page(m.author),
                )
                for m in digest.moves
            ],
        ),
    ]


def render_text(digest: Digest, base_url: str | None) -> str:
    """The plain-text body: every line ends with the full address of its page."""
    return _TEXT.get_template("digest.txt").render(
        week=digest.week, sections=_sections(digest, base_url), checkpoint=digest.checkpoint
    )


def render_html(digest: Digest, base_url: str | None) -> str:
    """The HTML body (the same content), each line a link to its page."""
    return _HTML.get_template("digest.html").render(
        week=digest.week, sections=_sections(digest, base_url), checkpoint=digest.checkpoint
    )


def mail_for(digest: Digest, settings: Settings) -> Mail:
    """The digest as a message whose Message-ID is stable per recipient and week."""
    counts = f"{len(digest.became_due)} due, {len(digest.overdue)} overdue"
    domain = settings.smtp_from.rsplit("@", 1)[-1].strip(">") or "localhost"
    return Mail(
        to=digest.recipient,
        subject=f"Hindsight {digest.week}: {counts}, {len(digest.resolved)} resolved",
        text=render_text(digest, settings.base_url),
        html=render_html(digest, settings.base_url),
        message_id=f"<digest-{digest.week}-{_token(digest.recipient)}@{domain}>",
    )


def _token(address: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", address.lower()).strip(".")


@dataclass
class DigestRun:
    """What a digest run did."""

    week: str
    sent: int = 0
    recorded: int = 0
    skipped: int = 0
    failed: int = 0


def send_digests(
    *, engine: Engine, settings: Settings, now: datetime, week: str | None = None
) -> DigestRun:
    """Send the week's digest to every subscriber who has not had it.

    Every recipient is claimed first by a DigestLog row (unique per recipient and week),
    committed before any mail goes out; each row is marked sent right after the SMTP server
    accepts that recipient's message. A later run resends only rows still claimed, so only a
    crash between the server's acceptance and that mark can send one digest twice.
    """
    week = week or current_week(settings, now)
    week_bounds(week)
    run = DigestRun(week=week)
    with session_scope(engine) as session:
        pending = _claim_all(session, week, now, run)
    mailers: list[Mailer] = []
    local = threading.local()

    def send(log_id: int, built: Digest) -> str:
        if not hasattr(local, "mailer"):
            local.mailer = Mailer(settings)
            mailers.append(local.mailer)
        return _send_one(engine, settings, log_id, built, now, local.mailer)

    try:
        with ThreadPoolExecutor(settings.digest_senders) as pool:
            for start in range(0, len(pending), BATCH):
                batch = pending[start : start + BATCH]
                built = _build_batch(engine, settings, [s for _, s in batch], week, now)
                digests = [built[subscription_id] for _, subscription_id in batch]
                for outcome in pool.map(send, [log_id for log_id, _ in batch], digests):
                    setattr(run, outcome, getattr(run, outcome) + 1)
    finally:
        for mailer in mailers:
            mailer.close()
    return run


BATCH = 20_000  # digests built per read: a few queries for all of them (issue 16)


def _build_batch(
    engine: Engine, settings: Settings, ids: list[int], week: str, now: datetime
) -> dict[int, Digest]:
    with Session(engine) as session:
        subscriptions = list(
            session.scalars(select(Subscription).where(col(Subscription.id).in_(ids)))
        )
        return build_digests(session, subscriptions, week, now.date(), settings=settings)


def _claim_all(session: Session, week: str, now: datetime, run: DigestRun) -> list[tuple[int, int]]:
    """(log id, subscription id) for every recipient still owed this week's digest."""
    logged = session.exec(select(DigestLog).where(col(DigestLog.iso_week) == week))  # type: ignore[call-overload]
    existing = {row.recipient: row for (row,) in logged}
    claimed: list[tuple[DigestLog, int]] = []
    for subscription in digest_subscriptions(session):
        address = (subscription.address or "").lower()
        row = existing.get(address)
        if row is not None and row.status in ("sent", "recorded"):
            run.skipped += 1
            continue
        if row is None:
            row = DigestLog(
                subscription_id=subscription.id,
                recipient=address,
                iso_week=week,
                status="claimed",
                claimed_at=now,
            )
            session.add(row)
        claimed.append((row, subscription.id or 0))
    session.flush()
    return [(row.id or 0, subscription_id) for row, subscription_id in claimed]


def _send_one(
    engine: Engine,
    settings: Settings,
    log_id: int,
    built: Digest,
    now: datetime,
    mailer: Mailer,
) -> str:
    """Send one digest and mark it; returns what happened (a DigestRun counter's name)."""
    mail = mail_for(built, settings)
    if not smtp_configured(settings):
        _finish(engine, log_id, "recorded", mail.text, None, now)
        return "recorded"
    try:
        mailer.send(mail)
    except OSError as exc:  # smtplib's errors are OSErrors: the claim stays for the next run
        _finish(engine, log_id, "claimed", mail.text, f"{type(exc).__name__}: {exc}", now)
        return "failed"
    _finish(engine, log_id, "sent", mail.text, None, now)
    return "sent"


def _finish(
    engine: Engine, log_id: int, status: str, body: str, error: str | None, now: datetime
) -> None:
    """One short UPDATE, right after the SMTP server's answer."""
    done = status in ("sent", "recorded")
    with engine.begin() as connection:
        connection.execute(
            update(DigestLog)
            .where(col(DigestLog.id) == log_id)
            .values(
                status=status,
                body_text=body,
                error=error,
                sent_at=now if done else None,
                attempts=col(DigestLog.attempts) + 1,
            )
        )


def digest_due(settings: Settings, now: datetime) -> str | None:
    """This week, if its send time has passed (catch-up after downtime included), else None."""
    week = current_week(settings, now)
    return week if now >= send_time(settings, week) else None
