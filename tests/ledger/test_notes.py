"""Signed checkpoints: C2SP signed-note text, checked against the `cryptography` public key
and the key ID rule written out here (SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key), first 4 bytes)."""

import base64
import hashlib
import os
import stat
from pathlib import Path

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from app.config import Settings
from app.ledger import keys, notes

NAME = "news.example/hindsight/log"
ROOT = hashlib.sha256(b"root").digest()


def test_a_signed_checkpoint_verifies_with_the_raw_public_key() -> None:
    key = Ed25519PrivateKey.generate()
    note = notes.sign(notes.checkpoint_body(NAME, 42, ROOT), NAME, key)
    body, _, signature_line = note.partition("\n\n")
    assert body.split("\n") == [NAME, "42", base64.b64encode(ROOT).decode()]
    dash, name, blob = signature_line.rstrip("\n").split(" ")
    assert (dash, name) == ("\u2014", NAME)
    raw = base64.b64decode(blob)
    public = key.public_key().public_bytes_raw()
    assert raw[:4] == hashlib.sha256(NAME.encode() + b"\n\x01" + public).digest()[:4]
    Ed25519PublicKey.from_public_bytes(public).verify(raw[4:], (body + "\n").encode())
    with pytest.raises(InvalidSignature):
        Ed25519PublicKey.from_public_bytes(public).verify(
            raw[4:], body.replace("42", "43").encode()
        )


def test_the_verifier_key_opens_the_note_and_refuses_an_edit_or_another_key() -> None:
    key = Ed25519PrivateKey.generate()
    verifier = notes.verifier_key(NAME, key.public_key().public_bytes_raw())
    name, hash_hex, encoded = verifier.split("+", 2)
    assert (name, len(hash_hex), base64.b64decode(encoded)[:1]) == (NAME, 8, b"\x01")
    note = notes.sign(notes.checkpoint_body(NAME, 7, ROOT), NAME, key)
    assert notes.open_checkpoint(note, verifier) == notes.Checkpoint(NAME, 7, ROOT)
    with pytest.raises(notes.NoteError, match="does not verify"):
        notes.open_checkpoint(note.replace("\n7\n", "\n8\n"), verifier)
    other = notes.verifier_key(NAME, Ed25519PrivateKey.generate().public_key().public_bytes_raw())
    with pytest.raises(notes.NoteError, match="no signature"):
        notes.open_checkpoint(note, other)


def test_a_key_file_is_made_once_with_mode_0600_and_read_again(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'h.db'}", log_origin=NAME)
    first = keys.load_signer(settings)
    path = tmp_path / "log-key"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.read_text().startswith(f"PRIVATE+KEY+{NAME}+")
    assert keys.load_signer(settings).verifier == first.verifier


def test_two_processes_making_the_key_at_once_both_sign_with_the_one_that_won(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'h.db'}", log_origin=NAME)
    path = tmp_path / "log-key"
    winner = notes.signer_key(NAME, Ed25519PrivateKey.generate()) + "\n"
    link = os.link

    def other_process_first(source: str, target: Path) -> None:
        target.write_text(winner)  # the other process linked its key between our check and link
        link(source, target)

    monkeypatch.setattr(keys.os, "link", other_process_first)
    signer = keys.load_signer(settings)
    assert path.read_text() == winner
    assert signer.verifier == keys.Signer(NAME, notes.read_signer_key(winner)[1]).verifier
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".log-key-")] == []


def test_the_key_setting_is_read_and_a_name_that_is_not_the_origin_refused() -> None:
    line = notes.signer_key(NAME, Ed25519PrivateKey.generate())
    signer = keys.load_signer(Settings(log_key=line, log_origin=NAME))
    assert signer.name == NAME
    with pytest.raises(notes.NoteError, match="HINDSIGHT_LOG_ORIGIN"):
        keys.load_signer(Settings(log_key=line, log_origin="elsewhere.example/log"))


def test_the_default_origin_is_the_base_url_host() -> None:
    assert keys.origin(Settings(base_url="https://hindsight.example:8443/x")) == (
        "hindsight.example/hindsight/log"
    )


def test_the_key_file_keeps_its_name_whatever_base_url_a_process_derives(tmp_path: Path) -> None:
    database = f"sqlite:///{tmp_path / 'h.db'}"
    server = keys.load_signer(Settings(database_url=database, base_url="http://127.0.0.1:8765"))
    command_line = keys.load_signer(Settings(database_url=database))
    assert (server.name, command_line.verifier) == ("127.0.0.1/hindsight/log", server.verifier)
