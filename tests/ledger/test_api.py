"""The log through the API: log_index in responses, entries, proofs and checkpoints, each
checked with hashlib, the `cryptography` key and the independent reference in rfc6962.py."""

import base64
import hashlib
import json

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.models import LogCheckpoint, LogLeaf, Subscription, User, WebhookDelivery, utc_now
from app.predictions import imports
from app.predictions.columns import Format
from tests.conftest import MovableClock
from tests.ledger import rfc6962
from tests.predictions.conftest import prediction_body

LOG = "/api/v1/log"
URL = "/api/v1/predictions"


def _logged_and_resolved(client: TestClient, headers: dict[str, str]) -> tuple[dict, dict]:
    made = client.post(URL, json=prediction_body(), headers=headers)
    assert made.status_code == 201, made.text
    verdict = {"outcome": "true", "resolved_on": "2026-01-02", "evidence_urls": ["https://e.org"]}
    resolved = client.post(f"{URL}/{made.json()['id']}/resolution", json=verdict, headers=headers)
    assert resolved.status_code == 201, resolved.text
    return made.json(), resolved.json()


def _entries(client: TestClient, size: int) -> list[dict]:
    response = client.get(f"{LOG}/entries", params={"start": 0, "end": size})
    assert response.status_code == 200, response.text
    return list(response.json()["entries"])


def test_every_prediction_and_verdict_answer_carries_its_log_index(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    made, resolved = _logged_and_resolved(client, editor_headers)
    assert made["log_index"] == 0
    assert resolved["resolution"]["log_index"] == 1  # then its revision, leaf 2
    detail = client.get(f"{URL}/{made['id']}").json()
    assert (detail["log_index"], detail["resolutions"][0]["log_index"]) == (0, 1)
    assert client.get(URL).json()["items"][0]["log_index"] == 0
    kinds = [json.loads(e["leaf"])["kind"] for e in _entries(client, 3)]
    assert kinds == ["prediction", "verdict", "revision"]


def test_entries_give_the_exact_text_that_was_hashed(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    made, _ = _logged_and_resolved(client, editor_headers)
    for index, entry in enumerate(_entries(client, 10)):
        digest = hashlib.sha256(b"\x00" + entry["leaf"].encode()).digest()
        assert (entry["index"], base64.b64decode(entry["leaf_hash"])) == (index, digest)
        leaf = json.loads(entry["leaf"])
        assert (leaf["seq"], leaf["format"]) == (index, "hindsight-leaf-v1")
        # RFC 8785: keys sorted, no whitespace
        assert entry["leaf"] == json.dumps(
            leaf, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
    first = json.loads(_entries(client, 1)[0]["leaf"])["record"]
    assert (first["quote"], first["probability"]) == (made["quote"], made["probability"])


def test_the_checkpoint_is_signed_and_its_root_is_the_rfc_root_of_the_entries(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    _logged_and_resolved(client, editor_headers)
    checkpoint = client.get(f"{LOG}/checkpoint").json()
    assert checkpoint["tree_size"] == 3
    leaves = [e["leaf"].encode() for e in _entries(client, 3)]
    assert base64.b64decode(checkpoint["root_hash"]) == rfc6962.mth(leaves)
    key = client.get(f"{LOG}/key").json()
    name, key_hash, encoded = key["verifier_key"].split("+", 2)
    public = base64.b64decode(encoded)[1:]
    assert public == base64.b64decode(key["public_key"])
    body, _, line = checkpoint["note"].partition("\n\n")
    assert body.split("\n")[:2] == [name, "3"]
    blob = base64.b64decode(line.split(" ")[2])
    assert blob[:4].hex() == key_hash
    Ed25519PublicKey.from_public_bytes(public).verify(blob[4:], (body + "\n").encode())


def test_a_new_checkpoint_is_signed_only_when_the_log_has_grown_and_all_are_kept(
    client: TestClient, editor_headers: dict[str, str], engine: Engine
) -> None:
    first = client.get(f"{LOG}/checkpoint").json()
    assert first["tree_size"] == 0
    _logged_and_resolved(client, editor_headers)
    second = client.get(f"{LOG}/checkpoint").json()
    assert client.get(f"{LOG}/checkpoint").json() == second
    proof = client.get(f"{LOG}/proof/consistency", params={"first": 1, "second": 3}).json()
    one = rfc6962.mth([e["leaf"].encode() for e in _entries(client, 1)])
    hashes = [base64.b64decode(h) for h in proof["hashes"]]
    assert rfc6962.verify_consistency(1, 3, hashes, one, base64.b64decode(second["root_hash"]))
    with Session(engine) as session:
        sizes = session.scalars(select(LogCheckpoint.tree_size).order_by(LogCheckpoint.tree_size))
        assert list(sizes) == [0, 3]


def test_an_inclusion_proof_by_prediction_id_verifies_against_the_checkpoint(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    made, _ = _logged_and_resolved(client, editor_headers)
    second = client.post(
        URL, json=prediction_body(quote="Another forecast."), headers=editor_headers
    )
    assert second.status_code == 201, second.text
    root = base64.b64decode(client.get(f"{LOG}/checkpoint").json()["root_hash"])
    entries = _entries(client, 4)
    for params in ({"prediction_id": second.json()["id"]}, {"index": 0}):
        proof = client.get(f"{LOG}/proof/inclusion", params={**params, "tree_size": 4}).json()
        index = proof["leaf_index"]
        leaf = rfc6962.leaf(entries[index]["leaf"].encode())
        hashes = [base64.b64decode(h) for h in proof["hashes"]]
        assert (proof["tree_size"], rfc6962.verify_inclusion(index, 4, leaf, hashes, root)) == (
            4,
            True,
        )
    assert second.json()["log_index"] == 3
    assert made["log_index"] == 0


def test_bad_ranges_are_refused_naming_the_field(
    client: TestClient, editor_headers: dict[str, str]
) -> None:
    _logged_and_resolved(client, editor_headers)
    cases = [
        ("/entries", {"start": 3, "end": 5}, "start"),
        ("/entries", {"start": 1, "end": 1}, "end"),
        ("/entries", {"start": -1, "end": 2}, "start"),
        ("/proof/inclusion", {"index": 0, "tree_size": 4}, "tree_size"),
        ("/proof/inclusion", {"index": 3, "tree_size": 3}, "index"),
        ("/proof/inclusion", {"tree_size": 3}, "index"),
        ("/proof/inclusion", {"index": 0, "prediction_id": 1, "tree_size": 3}, "index"),
        ("/proof/consistency", {"first": 2, "second": 1}, "first"),
        ("/proof/consistency", {"first": 1, "second": 9}, "second"),
    ]
    for path, params, field in cases:
        response = client.get(f"{LOG}{path}", params=params)
        assert response.status_code == 422, (path, params, response.text)
        assert field in json.dumps(response.json()), (path, params, response.text)
    missing = client.get(f"{LOG}/proof/inclusion", params={"prediction_id": 999, "tree_size": 3})
    assert (missing.status_code, missing.json()["field"]) == (404, "prediction_id")


def test_an_import_appends_a_leaf_per_prediction_and_verdict(
    engine: Engine, clock: MovableClock
) -> None:
    rows = "\n".join(
        json.dumps(
            {
                "author": f"Writer {i}",
                "source_url": f"https://p.example/{i}",
                "published_at": "2025-01-10",
                "quote": f"rates will fall {i}",
                "claim": "The Fed cuts by June 2025.",
                "probability": 0.7,
                "resolve_by": "2025-06-30",
                **({"outcome": "true", "resolved_on": "2025-06-18"} if i % 2 else {}),
            }
        )
        for i in range(150)
    )
    with Session(engine) as session:
        imports.import_predictions(
            session=session,
            data=rows.encode(),
            fmt=Format.jsonl,
            user_id=None,
            today=clock.now().date(),
        )
        session.commit()
        kinds = dict(
            session.execute(select(LogLeaf.kind, func.count()).group_by(LogLeaf.kind)).all()
        )
    assert kinds == {"prediction": 150, "verdict": 75}


def test_new_checkpoints_are_announced_to_log_checkpoint_webhooks(
    client: TestClient, editor_headers: dict[str, str], engine: Engine
) -> None:
    with Session(engine) as session:
        user = session.scalars(select(User)).one()  # the editor's
        hook = Subscription(
            user_id=user.id or 0,
            channel="webhook",
            url="https://hooks.example/h",
            secret="s",
            events=["log.checkpoint"],
            created_at=utc_now(),
        )
        session.add(hook)
        session.commit()
    _logged_and_resolved(client, editor_headers)
    note = client.get(f"{LOG}/checkpoint").json()["note"]
    client.get(f"{LOG}/checkpoint")  # no growth: no new checkpoint, no new event
    with Session(engine) as session:
        sent = session.scalars(select(WebhookDelivery)).all()
    assert [(d.event_type, d.payload) for d in sent] == [
        ("log.checkpoint", {"tree_size": 3, "note": note})
    ]
