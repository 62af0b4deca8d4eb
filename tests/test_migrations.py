"""The migrations build exactly the schema the models describe, up and down, on each backend,
and a round trip over a database holding rows in every table keeps those rows."""

from datetime import date, timedelta

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from app import demo
from app.auth import service as auth
from app.cli import alembic_config
from app.models import (
    Author,
    DigestLog,
    ExtractionCandidate,
    Invitation,
    LogCheckpoint,
    Prediction,
    ProposedVerdict,
    Role,
    SchedulerLease,
    Source,
    SourceAuthor,
    Subscription,
    WebhookDelivery,
    WebSession,
)
from app.predictions import imports
from app.predictions.columns import Format
from app.predictions.schemas import PredictionUpdate
from app.predictions.service import update_prediction
from app.scoring import stored
from tests.conftest import MovableClock

# The oldest revision a downgrade can reach without dropping a table that holds rows
# (0006 creates web_session): the round trip goes down to it and back.
KEEPS_EVERY_TABLE = "0006"
IMPORT = (
    "author,outlet,source_url,source_title,published_at,quote,claim,probability,resolve_by,"
    "tags,outcome,resolved_on,question\n"
    "Ines Roth,Daily Planet,https://p.example/1,Rates,2025-01-10,rates will fall,The Fed cuts "
    "by June 2025.,0.7,by June 2025,economy,true,2025-06-18,fed-cut-h1\n"
    "Bo Lee,,https://p.example/2,Rates too,2025-01-12,no cut before July,The Fed cuts by June "
    "2025.,0.2,by June 2025,economy,,,fed-cut-h1\n"
)


def _differences(engine: Engine) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_upgrade_downgrade_upgrade_matches_the_models(engine: Engine, database_url: str) -> None:
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    command.upgrade(config, "head")
    assert _differences(engine) == []
    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())


def test_constraints_carry_their_names(engine: Engine) -> None:
    inspector = inspect(engine)
    uniques = {u["name"] for u in inspector.get_unique_constraints("prediction")}
    assert "uq_prediction_source_quote" in uniques
    checks = {c["name"] for c in inspector.get_check_constraints("prediction")}
    assert {"ck_prediction_probability_range", "ck_prediction_status"} <= checks


def _fill(engine: Engine, today: date) -> None:
    """The demo, an import, and a row in each table those leave empty."""
    with Session(engine) as session:
        demo.load(session=session, today=today)
        imports.import_predictions(
            session=session,
            data=IMPORT.encode(),
            fmt=Format.csv,
            user_id=None,
            today=today,
        )
        user = auth.ensure_user(session=session, email="ed@example.org", role=Role.editor)
        auth.issue_key(session=session, user=user)
        assert user.id is not None
        prediction = session.exec(select(Prediction).order_by(Prediction.id)).first()[0]
        correction = PredictionUpdate(claim="A clearer claim.", reason="wording")
        update_prediction(
            session=session, prediction=prediction, data=correction, user=user, today=today
        )
        _fill_the_rest(session, user.id, prediction, today)
        session.commit()
    stored.refresh(engine)  # as `hindsight scores refresh` after an import


def _fill_the_rest(session: Session, user_id: int, prediction: Prediction, today: date) -> None:
    now = prediction.created_at
    assert prediction.id is not None
    source_id = session.exec(select(Source.id)).first()[0]
    author = session.get(Author, prediction.author_id)
    assert author is not None
    hook = Subscription(
        user_id=user_id,
        channel="webhook",
        url="https://hooks.example/h",
        secret="s",
        created_at=now,
    )
    session.add(hook)
    session.flush()
    assert hook.id is not None
    session.add_all(
        [
            WebSession(
                token_hash="a" * 64,
                csrf_token="b" * 64,
                user_id=user_id,
                created_at=now,
                expires_at=now + timedelta(days=14),
            ),
            DigestLog(
                subscription_id=hook.id,
                recipient="ed@example.org",
                iso_week="2026-W48",
                status="sent",
                claimed_at=now,
            ),
            WebhookDelivery(
                subscription_id=hook.id,
                event_id="e1",
                event_type="prediction.due",
                payload={"id": prediction.id},
                status="pending",
                next_attempt_at=now,
                created_at=now,
            ),
            SchedulerLease(name="jobs", owner="host:1", expires_at=now, renewed_at=now),
            ProposedVerdict(
                prediction_id=prediction.id,
                outcome="true",
                resolved_on=today,
                evidence_url="https://e.example/x",
                source="check",
                status="proposed",
                created_at=now,
            ),
            ExtractionCandidate(
                source_id=source_id,
                n=1,
                data={"quote": "q"},
                author=author.name.upper(),
                status="pending",
                created_at=now,
            ),
            # Dropped below 0010, and refilled from the candidate's author on the way up.
            SourceAuthor(source_id=source_id, author_id=prediction.author_id),
            LogCheckpoint(tree_size=1, root_hash=b"\0" * 32, origin="o", note="n", created_at=now),
            Invitation(
                user_id=user_id,
                token_hash="c" * 64,
                created_at=now,
                expires_at=now + timedelta(days=7),
            ),
        ]
    )


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table.name: int(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
            )
            for table in SQLModel.metadata.sorted_tables
        }


def _scalar(engine: Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text(sql)).scalar_one())


def test_a_round_trip_over_rows_in_every_table_keeps_them(
    engine: Engine, database_url: str, clock: MovableClock
) -> None:
    _fill(engine, clock.now().date())
    before = _counts(engine)
    assert [name for name, n in before.items() if n == 0] == []
    highest = _scalar(engine, "SELECT MAX(version) FROM author_version")
    config = alembic_config(database_url)

    command.downgrade(config, KEEPS_EVERY_TABLE)
    assert "author_version" not in inspect(engine).get_table_names()
    folded = _scalar(engine, "SELECT version FROM score_state WHERE id = 1")
    assert folded >= highest
    command.upgrade(config, "head")

    # Below 0011 the log is gone: its leaves come back from the records (checkpoints do not);
    # below 0013 the one-time invitations are gone (an admin invites again); below 0014 the
    # stored track records (the scheduler or `hindsight scores refresh` fill them again).
    gone = {"log_checkpoint": 0, "invitation": 0, "author_track_record": 0}
    assert _counts(engine) == before | {"author_version": before["author"]} | gone
    versions = _scalar(engine, "SELECT COUNT(DISTINCT version) FROM author_version")
    assert (versions, _scalar(engine, "SELECT MIN(version) FROM author_version")) == (1, folded + 1)
    assert _differences(engine) == []
    _second_first_verdict_is_refused(engine)


def _second_first_verdict_is_refused(engine: Engine) -> None:
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO resolution (prediction_id, outcome, resolved_on, evidence_urls, "
                "created_at) SELECT prediction_id, outcome, resolved_on, evidence_urls, "
                "created_at FROM resolution WHERE supersedes_id IS NULL ORDER BY id LIMIT 1"
            )
        )
