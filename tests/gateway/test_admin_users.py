"""Admin accounts in the database: passwords checked by hash, the legacy file taken over once,
the configured admin kept up to date, and `python -m assistant admin` for the command line;
setting a password signs the admin's sessions out."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from assistant.gateway.admin.users import DEV_EMAIL, AdminUsers, ensure_admin, hash_password
from assistant.settings import PROJECT_ROOT, Settings
from scheduling.persistence.admin_sessions import SessionStore
from tests.gateway.admin_login import login_as

pytestmark = pytest.mark.db


@pytest.fixture
def users(session_factory: async_sessionmaker[AsyncSession], clean_tables: None) -> AdminUsers:
    return AdminUsers(session_factory)


async def test_a_password_is_checked_against_its_hash(users: AdminUsers) -> None:
    await users.set_password(" Owner@Example.com", "correct horse")
    assert await users.check("owner@example.com ", "correct horse")
    assert not await users.check("owner@example.com", "wrong horse")
    assert not await users.check("nobody@example.com", "correct horse")
    await users.set_password("owner@example.com", "battery staple")  # an update, not a second
    assert await users.emails() == ["owner@example.com"]
    assert await users.check("owner@example.com", "battery staple")


async def test_the_legacy_file_is_imported_once(users: AdminUsers, tmp_path: Path) -> None:
    legacy = tmp_path / "admin_users.json"
    legacy.write_text(json.dumps({"old@example.com": hash_password("from the file")}))
    settings = Settings(data_dir=tmp_path, admin_email=None, admin_password=None)
    await ensure_admin(settings, users)
    assert await users.check("old@example.com", "from the file")
    assert not legacy.exists() and (tmp_path / "admin_users.json.imported").exists()
    assert await users.emails() == ["old@example.com"]  # no dev admin beside a real one


async def test_a_dev_admin_is_made_only_when_there_is_none(
    users: AdminUsers, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(data_dir=tmp_path, admin_email=None, admin_password=None)
    await ensure_admin(settings, users)
    await ensure_admin(settings, users)
    assert await users.emails() == [DEV_EMAIL]
    assert sum("dev admin created" in r.message for r in caplog.records) == 1


async def test_start_up_signs_the_admin_out_only_when_its_password_changed(
    users: AdminUsers, session_factory: async_sessionmaker[AsyncSession], tmp_path: Path,
) -> None:
    """ADMIN_PASSWORD is applied at every start; applying the same one again must not end
    everyone's sessions, a new one must (it is how a leaked password is replaced)."""
    def configured(password: str) -> Settings:
        return Settings(data_dir=tmp_path, admin_email="owner@example.com",
                        admin_password=password)

    await ensure_admin(configured("correct horse"), users)
    before = await login_as(session_factory, "owner@example.com")
    store = SessionStore(session_factory)
    await ensure_admin(configured("correct horse"), users)
    assert await store.resolve(before[session.COOKIE], session.now()) is not None
    await ensure_admin(configured("battery staple"), users)
    assert await store.resolve(before[session.COOKIE], session.now()) is None
    assert await users.check("owner@example.com", "battery staple")


def admin_command(database_url: str, email: str, typed: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "-m", "assistant", "admin", email], input=typed,
                          cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


async def test_the_command_line_sets_a_password(
    users: AdminUsers, database_url: str, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    done = admin_command(database_url, "Night@Example.com", "a long enough password\n")
    assert done.returncode == 0, done.stderr
    assert await users.check("night@example.com", "a long enough password")
    signed_in = await login_as(session_factory, "night@example.com")
    again = admin_command(database_url, "night@example.com", "another long password\n")
    assert "1 open session(s) signed out" in again.stdout
    store = SessionStore(session_factory)
    assert await store.resolve(signed_in[session.COOKIE], session.now()) is None
    short = admin_command(database_url, "night@example.com", "short\n")
    assert short.returncode == 2 and "at least 10 characters" in short.stderr
    assert await users.check("night@example.com", "another long password")
