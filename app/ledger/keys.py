"""The log's Ed25519 signing key: from HINDSIGHT_LOG_KEY, or a key file made at first start."""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from app.config import Settings
from app.ledger import notes

DEFAULT_KEY_FILE = Path("var/log-key")


@dataclass(frozen=True)
class Signer:
    """The checkpoints' origin line (also the key's name) and the key."""

    name: str
    key: Ed25519PrivateKey

    @property
    def verifier(self) -> str:
        return notes.verifier_key(self.name, notes.public_bytes(self.key))


def origin(settings: Settings) -> str:
    """HINDSIGHT_LOG_ORIGIN, else the base URL's host and /hindsight/log (a schema-less URL)."""
    if settings.log_origin:
        return settings.log_origin
    host = urlsplit(settings.base_url or "http://localhost").hostname or "localhost"
    return f"{host}/hindsight/log"


def key_file(settings: Settings) -> Path:
    """HINDSIGHT_LOG_KEY_FILE, else var/log-key beside the SQLite database."""
    if settings.log_key_file:
        return Path(settings.log_key_file)
    database = settings.sqlite_path()
    return database.parent / "log-key" if database else DEFAULT_KEY_FILE


def load_signer(settings: Settings) -> Signer:
    """The key from HINDSIGHT_LOG_KEY or the key file; the file is created (0600) if missing."""
    name = origin(settings)
    if not settings.log_key:
        # The file keeps the name it was made with, so the API and the CLI sign and check as
        # one log whatever base URL each derives; HINDSIGHT_LOG_ORIGIN renames it.
        made_as, key = notes.read_signer_key(_read_or_create(key_file(settings), name))
        return Signer(settings.log_origin or made_as, key)
    key_name, key = notes.read_signer_key(settings.log_key)
    if key_name != name:
        raise notes.NoteError(
            f"the log key is named {key_name!r} but the origin is {name!r}: set "
            "HINDSIGHT_LOG_ORIGIN to the key's name, or make a key for this origin"
        )
    return Signer(name, key)


def _read_or_create(path: Path, name: str) -> str:
    if path.exists():
        return path.read_text()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = notes.signer_key(name, Ed25519PrivateKey.generate()) + "\n"
    descriptor, written = tempfile.mkstemp(dir=path.parent, prefix=".log-key-")  # mode 0600
    try:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(line)
        # Two processes starting at once (an API worker and the CLI) each make a key: the link
        # is atomic and refuses an existing name, so one key wins, whole, and both sign with it.
        os.link(written, path)
    except FileExistsError:
        return path.read_text()
    finally:
        os.unlink(written)
    return line
