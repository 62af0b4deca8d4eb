"""Migration 0011 backfills the log of a database that already holds records, in the order
they were made, and `hindsight verify` then passes."""

import json

from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Engine

from app.cli import alembic_config
from tests.conftest import MovableClock, reset_schema

ROWS = [
    "INSERT INTO author (id, slug, name, links, affiliations, created_at, updated_at) VALUES "
    "(1, 'ines-roth', 'Ines Roth', '[]', '[]', '2026-01-01 09:00:00', '2026-01-01 09:00:00')",
    "INSERT INTO source (id, url, created_at) "
    "VALUES (1, 'https://p.example/1', '2026-01-01 09:00:00')",
    "INSERT INTO prediction (id, author_id, source_id, quote, quote_sha256, claim, probability, "
    "probability_basis, made_at, resolve_by, status, outcome, resolved_on, created_at, "
    "updated_at) VALUES (1, 1, 1, 'rates will fall', 'x', 'The Fed cuts by June 2025, clearly.', "
    "0.7, 'stated', "
    "'2025-01-10 00:00:00', '2025-06-30', 'resolved', 'true', '2025-06-18', "
    "'2026-01-01 09:00:01', '2026-01-03 09:00:00')",
    "INSERT INTO prediction_tag (prediction_id, tag) VALUES (1, 'economy')",
    "INSERT INTO prediction_revision (id, prediction_id, action, reason, before, after, "
    "changed_at) "
    "VALUES (1, 1, 'update', 'wording', '{\"claim\": \"The Fed cuts by June 2025.\"}', "
    "'{\"claim\": \"The Fed cuts by June 2025, clearly.\"}', '2026-01-02 09:00:00')",
    "INSERT INTO resolution (id, prediction_id, outcome, resolved_on, evidence_urls, created_at) "
    "VALUES (1, 1, 'true', '2025-06-18', '[]', '2026-01-03 09:00:00')",
    "INSERT INTO prediction_revision (id, prediction_id, action, reason, before, after, "
    "changed_at) "
    "VALUES (2, 1, 'resolve', 'verdict true', '{\"status\": \"due\", \"outcome\": null}', "
    '\'{"status": "resolved", "outcome": "true"}\', \'2026-01-03 09:00:00\')',
]


def test_0011_backfills_existing_records_in_the_order_they_were_made(
    engine: Engine,
    database_url: str,
    clock: MovableClock,
) -> None:
    config = alembic_config(database_url)
    reset_schema(engine)
    command.upgrade(config, "0010")
    with engine.begin() as connection:
        for row in ROWS:
            connection.execute(text(row))
    command.upgrade(config, "0011")
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT leaf FROM log_leaf ORDER BY idx")).scalars()
        leaves = [json.loads(leaf) for leaf in stored]
        size = connection.execute(text("SELECT size FROM log_head")).scalar()
    # Back to head for the other tests (later migrations rebuild tables: empty them first).
    with engine.begin() as connection:
        for table in ("log_leaf", "log_node", "log_head", "resolution", "prediction_revision"):
            connection.execute(text(f"DELETE FROM {table}"))
        for table in ("prediction_tag", "prediction", "source", "author"):
            connection.execute(text(f"DELETE FROM {table}"))
    command.upgrade(config, "head")
    assert [(leaf["kind"], leaf["record"]["id"]) for leaf in leaves] == [
        ("prediction", 1),
        ("revision", 1),
        ("verdict", 1),
        ("revision", 2),
    ]
    assert (size, leaves[0]["record"]["claim"]) == (4, "The Fed cuts by June 2025.")
    assert leaves[0]["record"]["tags"] == ["economy"]
    assert [leaf["seq"] for leaf in leaves] == [0, 1, 2, 3]
