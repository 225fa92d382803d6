"""Secrets kept in files under DATA_DIR (the signing key, Rasa's API token) when not configured.

Every process of one installation (the supervisor, the gateway, the action server, a CLI
command) must agree on the value without being told it, so the first process to need it writes
it and everyone else reads that file. The file appears atomically with its whole content: it
is written under a temporary name and hard-linked into place, which fails when the name
already exists (like O_CREAT|O_EXCL), so a process that loses the race reads the winner's
value and never sees a half-written file.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path


class SecretFileError(RuntimeError):
    """The secret file exists but holds nothing usable."""


def read_or_create(path: Path) -> tuple[str, bool]:
    """The secret in `path`, made (48 random bytes, URL-safe, mode 0600) when there is none;
    and whether this call made it."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        if _create(path, secrets.token_urlsafe(48)):
            return path.read_text().strip(), True
    value = path.read_text().strip()
    if not value:
        raise SecretFileError(f"{path} is empty: delete it to have a new secret made")
    return value, False


def _create(path: Path, value: str) -> bool:
    """Publish `value` at `path` unless another process did first; True when this one did."""
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as file:  # mkstemp creates it with mode 0600
            file.write(value + "\n")
            file.flush()
            os.fsync(file.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
        return True
    finally:
        os.unlink(temporary)
