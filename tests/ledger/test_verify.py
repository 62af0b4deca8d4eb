"""`hindsight verify` on a database edited behind the log's back, and the migration's backfill."""

import json
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text
from sqlalchemy.engine import Engine
from sqlmodel import Session
from typer.testing import CliRunner

from app.auth import service as auth
from app.cli import app
from app.config import get_settings
from app.ledger import backfill, keys, notes
from app.ledger import service as ledger
from app.models import LogCheckpoint, LogHead, LogLeaf, LogNode, Prediction, Role
from app.predictions.schemas import PredictionUpdate
from app.predictions.service import update_prediction
from tests.conftest import MovableClock

runner = CliRunner()


@pytest.fixture
def demo(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, clock: MovableClock
) -> None:
    monkeypatch.setenv("HINDSIGHT_DATABASE_URL", database_url)
    monkeypatch.setenv("HINDSIGHT_CLOCK_START", clock.now().isoformat())
    get_settings.cache_clear()
    loaded = runner.invoke(app, ["demo"])
    assert loaded.exit_code == 0, loaded.output


def _verify(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["verify", *args])
    return result.exit_code, result.output


def test_the_demo_verifies(demo: None) -> None:
    code, output = _verify()
    assert (code, output.strip().splitlines()[-1]) == (
        0,
        "the log verifies: 16 leaves, 16 records, 0 checkpoints",
    )


@pytest.mark.parametrize(
    ("column", "sql_value", "shown"),
    [
        ("quote", "'X' || substr(quote, 2)", '"Xhe central bank'),
        ("probability", "0.5", "probability is 0.5 in the database but 0.9"),
        ("resolve_by", "'2031-01-01'", 'resolve_by is "2031-01-01"'),
        ("outcome", "CASE outcome WHEN 'true' THEN 'false' ELSE 'true' END", "outcome is"),
    ],
)
def test_a_direct_edit_is_reported_with_its_record_and_leaf(
    demo: None, engine: Engine, column: str, sql_value: str, shown: str
) -> None:
    with engine.begin() as connection:
        pid = connection.execute(
            text("SELECT MIN(id) FROM prediction WHERE outcome IS NOT NULL")
        ).scalar()
        connection.execute(
            text(f"UPDATE prediction SET {column} = {sql_value} WHERE id = :id"), {"id": pid}
        )
    code, output = _verify()
    assert code == 1
    assert f"prediction {pid} (leaf " in output, output
    assert f"{column} is" in output, output
    assert shown in output, output
    assert '{"format":"hindsight-leaf-v1","kind":"prediction"' in output
    assert "the log does not verify: 1 problems" in output


def test_an_edited_verdict_row_and_an_edited_leaf_are_reported(demo: None, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE resolution SET note = 'rewritten' WHERE id = 1"))
        connection.execute(
            text("UPDATE log_leaf SET leaf = replace(leaf, 'cut', 'cot') WHERE idx = 0")
        )
    code, output = _verify()
    assert code == 1
    assert "resolution 1 (leaf " in output
    assert "note is" in output
    assert "leaf 0: its stored hash is not SHA-256(0x00 ‖ leaf)" in output


def test_a_saved_checkpoint_must_be_a_prefix_of_todays_log(
    demo: None, engine: Engine, tmp_path: Path
) -> None:
    signer = keys.load_signer(get_settings())
    with Session(engine) as session:
        saved = ledger.checkpoint(session=session, signer=signer)
        session.commit()
        good = tmp_path / "good.txt"
        good.write_text(saved.note)
        forged_body = notes.checkpoint_body(signer.name, saved.tree_size, b"\x07" * 32)
        forged = tmp_path / "forged.txt"
        forged.write_text(notes.sign(forged_body, signer.name, signer.key))
    assert _verify("--checkpoint", str(good))[0] == 0
    code, output = _verify("--checkpoint", str(forged))
    assert code == 1
    assert f"checkpoint of {saved.tree_size} leaves: its root is not the log's" in output


def test_the_backfill_rebuilds_the_same_leaves_in_the_order_records_were_made(
    demo: None, engine: Engine, clock: MovableClock
) -> None:
    with Session(engine) as session:
        prediction = session.scalars(select(Prediction).order_by(Prediction.id)).first()
        assert prediction is not None
        change = PredictionUpdate(claim="A clearer claim.", reason="wording")
        user = auth.ensure_user(session=session, email="ed@example.org", role=Role.editor)
        update_prediction(
            session=session, prediction=prediction, data=change, user=user, today=clock.now().date()
        )
        session.commit()
        before = list(session.scalars(select(LogLeaf.leaf).order_by(LogLeaf.idx)))
        for table in (LogLeaf, LogNode, LogHead, LogCheckpoint):
            session.execute(delete(table))
        session.commit()
    with engine.begin() as connection:
        assert backfill.backfill(connection) == len(before)
    with Session(engine) as session:
        after = list(session.scalars(select(LogLeaf.leaf).order_by(LogLeaf.idx)))
    assert after == before
    assert json.loads(after[0])["record"]["claim"] != "A clearer claim."  # as first logged
    assert _verify()[0] == 0
