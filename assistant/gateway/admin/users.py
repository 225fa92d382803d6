"""Admin users: an e-mail and an scrypt hash (stdlib), in the database's `admin_users` table.

In the database rather than a file under DATA_DIR, every gateway replica sees the same
accounts and backups include them. A file left by an earlier version
(DATA_DIR/admin_users.json) is imported once at start and renamed. The user named by
ADMIN_EMAIL/ADMIN_PASSWORD is created or updated at start; with none configured and no user
yet, a dev admin is created and its password logged once. `python -m assistant admin EMAIL`
sets a password from the command line. Setting a password signs the admin out everywhere
(its sessions are revoked in the same transaction), so start-up only sets ADMIN_PASSWORD when
it differs from the stored one. scrypt is slow on purpose, so it runs off the event loop.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import secrets
from datetime import UTC, datetime
from pathlib import Path

from assistant.settings import Settings
from scheduling.persistence import admin_accounts
from scheduling.persistence.database import SessionFactory

log = logging.getLogger(__name__)
SCRYPT = {"n": 2**14, "r": 8, "p": 1}
DEV_EMAIL = "admin@localhost"
LEGACY_FILE = "admin_users.json"


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
    def __init__(self, sessions: SessionFactory) -> None:
        self.sessions = sessions

    async def set_password(self, email: str, password: str) -> int:
        """Create or update the admin; returns how many of its sessions were signed out."""
        hashed = await asyncio.to_thread(hash_password, password)
        return await self._store({email.strip().lower(): hashed})

    async def _store(self, hashes: dict[str, str]) -> int:
        return await admin_accounts.save_hashes(self.sessions, hashes, datetime.now(UTC))

    async def check(self, email: str, password: str) -> bool:
        stored = await admin_accounts.password_hash(self.sessions, email.strip().lower())
        if stored is None:  # the same work either way: no timing hint that the user exists
            await asyncio.to_thread(hash_password, password)
            return False
        return await asyncio.to_thread(password_matches, password, stored)

    async def emails(self) -> list[str]:
        return await admin_accounts.emails(self.sessions)

    async def import_file(self, path: Path) -> int:
        """Take over the accounts of a legacy JSON file (already hashed), then rename it so
        it is read only once; returns how many were imported."""
        if not path.exists():
            return 0
        hashes: dict[str, str] = json.loads(path.read_text())
        if hashes:
            await self._store({email.lower(): hashed for email, hashed in hashes.items()})
        path.rename(path.with_suffix(".json.imported"))
        log.info("imported %d admin user(s) from %s into the database", len(hashes), path)
        return len(hashes)


async def ensure_admin(settings: Settings, users: AdminUsers) -> None:
    """At start: legacy file, then the configured admin, else a dev admin when there is none."""
    await users.import_file(settings.data_dir / LEGACY_FILE)
    if settings.admin_email and settings.admin_password:
        password = settings.admin_password.get_secret_value()
        if not await users.check(settings.admin_email, password):
            ended = await users.set_password(settings.admin_email, password)
            log.info("admin %s: password set from ADMIN_PASSWORD, %d session(s) signed out",
                     settings.admin_email, ended)
    elif not await users.emails():
        password = secrets.token_urlsafe(12)
        await users.set_password(DEV_EMAIL, password)
        log.warning("dev admin created (shown once): %s / %s — set ADMIN_EMAIL and "
                    "ADMIN_PASSWORD for a real one", DEV_EMAIL, password)
