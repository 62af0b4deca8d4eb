"""C2SP signed notes (Ed25519) carrying C2SP tlog-checkpoint bodies, as pure functions.

Key ID = the first 4 bytes of SHA-256(name ‖ "\\n" ‖ 0x01 ‖ public key); a signature line is
"— name base64(key ID ‖ signature)"; the verifier key is "name+hex(key ID)+base64(0x01 ‖
public key)"; the private key, as Go's sumdb/note writes it, "PRIVATE+KEY+name+hex(key
ID)+base64(0x01 ‖ seed)".
"""

import base64
import hashlib
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

ED25519 = b"\x01"
DASH = "\u2014 "


class NoteError(ValueError):
    """A note, key or checkpoint that does not parse or verify."""


def key_id(name: str, public: bytes) -> bytes:
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public).digest()[:4]


def public_bytes(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def verifier_key(name: str, public: bytes) -> str:
    """name+hex8(key ID)+base64(0x01 ‖ public key)."""
    encoded = base64.b64encode(ED25519 + public).decode()
    return f"{name}+{key_id(name, public).hex()}+{encoded}"


def signer_key(name: str, key: Ed25519PrivateKey) -> str:
    """PRIVATE+KEY+name+hex8(key ID)+base64(0x01 ‖ seed): the key file's one line."""
    seed = key.private_bytes_raw()
    encoded = base64.b64encode(ED25519 + seed).decode()
    return f"PRIVATE+KEY+{name}+{key_id(name, public_bytes(key)).hex()}+{encoded}"


def read_signer_key(text: str) -> tuple[str, Ed25519PrivateKey]:
    """The name and key of a PRIVATE+KEY+… line."""
    parts = text.strip().split("+", 4)
    if len(parts) != 5 or parts[:2] != ["PRIVATE", "KEY"]:
        raise NoteError("a signer key reads PRIVATE+KEY+name+keyhash+base64(0x01 ‖ seed)")
    name, _, encoded = parts[2:]
    try:
        raw = base64.b64decode(encoded, validate=True)
    except ValueError as exc:
        raise NoteError("the signer key's last part is not base64") from exc
    if len(raw) != 33 or raw[:1] != ED25519:
        raise NoteError("the signer key's last part must be 0x01 and a 32-byte Ed25519 seed")
    key = Ed25519PrivateKey.from_private_bytes(raw[1:])
    if key_id(name, public_bytes(key)).hex() != parts[3]:
        raise NoteError("the signer key's hash does not match its name and key")
    return name, key


def read_verifier_key(text: str) -> tuple[str, Ed25519PublicKey, bytes]:
    """The name, key and key ID of a name+keyhash+base64 verifier key."""
    parts = text.strip().split("+", 2)
    if len(parts) != 3:
        raise NoteError("a verifier key reads name+keyhash+base64(0x01 ‖ public key)")
    name, hex_id, encoded = parts
    raw = base64.b64decode(encoded)
    if len(raw) != 33 or raw[:1] != ED25519 or key_id(name, raw[1:]).hex() != hex_id:
        raise NoteError("the verifier key's hash does not match its name and Ed25519 key")
    return name, Ed25519PublicKey.from_public_bytes(raw[1:]), bytes.fromhex(hex_id)


def checkpoint_body(origin: str, size: int, root: bytes) -> str:
    """The tlog-checkpoint text: origin, tree size, base64 root hash, each on its line."""
    return f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"


def sign(body: str, name: str, key: Ed25519PrivateKey) -> str:
    """The signed note: the text, a blank line, one signature line."""
    signature = key.sign(body.encode())
    blob = base64.b64encode(key_id(name, public_bytes(key)) + signature).decode()
    return f"{body}\n{DASH}{name} {blob}\n"


@dataclass(frozen=True)
class Checkpoint:
    origin: str
    size: int
    root: bytes


def open_checkpoint(note: str, verifier: str) -> Checkpoint:
    """The checkpoint of a note signed by the verifier key's holder, or NoteError."""
    name, public, wanted = read_verifier_key(verifier)
    body, sep, signatures = note.rpartition("\n\n")
    if not sep:
        raise NoteError("a signed note is its text, a blank line and its signature lines")
    body += "\n"
    for line in signatures.splitlines():
        if not line.startswith(DASH) or line[len(DASH) :].rpartition(" ")[0] != name:
            continue
        blob = base64.b64decode(line.rpartition(" ")[2])
        if blob[:4] != wanted:
            continue
        try:
            public.verify(blob[4:], body.encode())
        except InvalidSignature as exc:
            raise NoteError(f"the signature by {name} does not verify") from exc
        return _parse(body)
    raise NoteError(f"the note carries no signature by {name}")


def _parse(body: str) -> Checkpoint:
    lines = body.split("\n")
    if len(lines) < 4 or not lines[1].isdigit():
        raise NoteError("a checkpoint reads origin, tree size and base64 root hash, one a line")
    root = base64.b64decode(lines[2])
    if len(root) != 32:
        raise NoteError("a checkpoint's root hash is 32 bytes")
    return Checkpoint(origin=lines[0], size=int(lines[1]), root=root)
