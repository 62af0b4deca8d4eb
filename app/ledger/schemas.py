"""The Merkle log's API shapes; hashes are base64, as Certificate Transparency's API gives them."""

import base64
from datetime import datetime

from pydantic import BaseModel, Field


def b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


class CheckpointOut(BaseModel):
    """A signed checkpoint: the C2SP tlog-checkpoint note and what it says."""

    origin: str = Field(description="The note's first line, also the signing key's name.")
    tree_size: int
    root_hash: str = Field(description="RFC 6962 Merkle tree hash of the first tree_size leaves.")
    note: str = Field(
        description="The signed note (C2SP signed-note, Ed25519): origin, tree size and root "
        "hash lines, a blank line, the signature line. Save it to check it later with "
        "`hindsight verify --checkpoint FILE`."
    )
    created_at: datetime


class KeyOut(BaseModel):
    """The key that signs checkpoints."""

    verifier_key: str = Field(
        description="name+keyhash+base64(0x01 ‖ Ed25519 public key), the note verifier-key "
        "format (keyhash: the first 4 bytes of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key), in hex)."
    )
    name: str
    public_key: str = Field(description="The raw 32-byte Ed25519 public key, base64.")


class EntryOut(BaseModel):
    index: int
    leaf: str = Field(description="The exact RFC 8785 canonical JSON text that was hashed.")
    leaf_hash: str = Field(description="SHA-256(0x00 ‖ leaf), base64.")
    kind: str
    prediction_id: int


class EntriesOut(BaseModel):
    entries: list[EntryOut]
    tree_size: int


class InclusionOut(BaseModel):
    """The audit path of one leaf (RFC 6962 §2.1.1), leaf side first."""

    tree_size: int
    leaf_index: int
    hashes: list[str]


class ConsistencyOut(BaseModel):
    """The consistency proof between two tree sizes (RFC 6962 §2.1.2)."""

    first: int
    second: int
    hashes: list[str]
