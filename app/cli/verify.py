"""`hindsight verify`: the Merkle log against the records, the key and saved checkpoints."""

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from sqlmodel import Session

from app.cli.support import fail
from app.config import get_settings
from app.db import make_engine
from app.ledger import hashing
from app.ledger.keys import load_signer
from app.ledger.verify import Leaf, Report, check_leaves, check_notes, verify_database

TIMEOUT = httpx.Timeout(30.0, connect=5.0)


def verify(
    url: Annotated[
        str | None,
        typer.Option(help="Check a server's log (its base URL) instead of this database."),
    ] = None,
    checkpoint: Annotated[
        list[Path] | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="A saved checkpoint note: must be today's log's prefix.",
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="The verifier key (name+keyhash+base64); else this service's or the server's."
        ),
    ] = None,
) -> None:
    """Rebuild the log and check every leaf, record, checkpoint and saved checkpoint."""
    saved = [path.read_text() for path in checkpoint or []]
    report = _from_server(url.rstrip("/"), saved, key) if url else _from_database(saved, key)
    for problem in report.problems[:200]:
        typer.echo(problem)
    if report.problems:
        raise fail(f"the log does not verify: {len(report.problems)} problems")
    records = f" from {url}" if url else f", {report.records} records"
    typer.echo(
        f"the log verifies: {report.leaves} leaves{records}, {report.checkpoints} checkpoints"
    )


def _from_database(saved: list[str], key: str | None) -> Report:
    settings = get_settings()
    verifier = key or load_signer(settings).verifier
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            return verify_database(session=session, verifier=verifier, saved=saved)
    finally:
        engine.dispose()


def _from_server(base: str, saved: list[str], key: str | None) -> Report:
    report = Report()
    with httpx.Client(base_url=f"{base}/api/v1/log", timeout=TIMEOUT) as client:
        verifier = key or _get(client, "/key")["verifier_key"]
        latest = _get(client, "/checkpoint")
        hashes = check_leaves(_entries(client, latest["tree_size"]), report)
    check_notes([latest["note"], *saved], verifier, hashing.in_memory(hashes), len(hashes), report)
    return report


def _get(client: httpx.Client, path: str, **params: int) -> Any:
    response = client.get(path, params=params)
    if response.status_code != 200:
        raise fail(
            f"{client.base_url}{path} answered {response.status_code}: {response.text[:200]}"
        )
    return response.json()


def _entries(client: httpx.Client, size: int) -> Iterator[Leaf]:
    start = 0
    while start < size:
        page = _get(client, "/entries", start=start, end=size)["entries"]
        if not page:
            return
        for entry in page:
            yield Leaf(entry["index"], entry["leaf"], base64.b64decode(entry["leaf_hash"]))
        start = page[-1]["index"] + 1
