"""Admin users: e-mail and an scrypt hash (stdlib), kept in DATA_DIR/admin_users.json.

A file, not a table: the schema belongs to `scheduling`'s migrations and an admin login is
gateway business. The user named by ADMIN_EMAIL/ADMIN_PASSWORD is created or updated at start;
with none configured and no user yet, a dev admin is created and its password logged once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import os
import secrets
from pathlib import Path

from assistant.settings import Settings

log = logging.getLogger(__name__)
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
DEV_EMAIL = "admin@localhost"


def hash_password(password: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        scheme, salt, _ = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    return hmac.compare_digest(hash_password(password, base64.b64decode(salt)), stored)


class AdminUsers:
    def __init__(self, path: Path) -> None:
        self.path = path

    def _load(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        found: dict[str, str] = json.loads(self.path.read_text())
        return found

    def set_password(self, email: str, password: str) -> None:
        users = self._load() | {email.lower(): hash_password(password)}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(users, indent=1))
        os.chmod(temporary, 0o600)
        temporary.replace(self.path)

    def check(self, email: str, password: str) -> bool:
        stored = self._load().get(email.strip().lower())
        if stored is None:
            hash_password(password)  # same work either way: no timing hint that the user exists
            return False
        return password_matches(password, stored)

    def emails(self) -> list[str]:
        return sorted(self._load())


def ensure_admin(settings: Settings) -> AdminUsers:
    users = AdminUsers(settings.data_dir / "admin_users.json")
    if settings.admin_email and settings.admin_password:
        users.set_password(settings.admin_email, settings.admin_password.get_secret_value())
    elif not users.emails():
        password = secrets.token_urlsafe(12)
        users.set_password(DEV_EMAIL, password)
        log.warning("dev admin created (shown once): %s / %s — set ADMIN_EMAIL and "
                    "ADMIN_PASSWORD for a real one", DEV_EMAIL, password)
    return users
