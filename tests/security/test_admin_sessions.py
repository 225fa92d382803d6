"""Admin sessions against the gateway on a real database: what used to let someone in (a cookie
forged with the public default key, a cookie for a non-admin, a cookie kept after logout or a
password change, a session left open for days, unlimited password guessing) no longer does.

Each check asks both doors an admin cookie opens: a dashboard page (signed out means a
redirect to the login form) and the REST API (signed out means 401).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from assistant.gateway.admin.users import AdminUsers
from assistant.gateway.resources import SETTINGS
from scheduling.persistence.admin_tables import AdminSessionRow
from tests.gateway.admin_login import sign_in

pytestmark = pytest.mark.db
OWNER, PASSWORD = "owner@example.com", "correct horse"  # what tests/gateway configures
SIGNED_IN, SIGNED_OUT = (200, 200), (303, 401)
Client = TestClient  # type: ignore[type-arg]


async def doors(client: Client, cookie: str) -> tuple[int, int]:
    """(dashboard page, REST API) statuses for a request carrying only this session cookie."""
    client.session.cookie_jar.clear()
    headers = {"Cookie": f"{session.COOKIE}={cookie}"}
    page = await client.get("/admin/appointments", headers=headers, allow_redirects=False)
    if page.status == 303:
        assert page.headers["Location"].startswith("/admin/login")
    api = await client.get("/api/v1/appointments", headers=headers)
    return page.status, api.status


async def signed_in(client: Client, email: str = OWNER, password: str = PASSWORD) -> str:
    """Log in through the form; returns the session cookie the browser was given."""
    assert (await sign_in(client, email, password)).status == 303
    return client.session.cookie_jar.filter_cookies(client.make_url("/"))[session.COOKIE].value


def old_format(key: str, email: str) -> str:
    """The stateless cookie the gateway used to accept: base64 JSON signed over SECRET_KEY."""
    payload = {"e": email, "s": "forged", "x": int(time.time()) + 3600}
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()
    return f"{body}.{hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()}"


class Clock:
    """The sessions' clock, moved by the test instead of sleeping."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.at = datetime.now(UTC)
        monkeypatch.setattr(session, "now", lambda: self.at)

    def advance(self, **delta: float) -> None:
        self.at += timedelta(**delta)


async def test_the_cookie_is_a_random_token_the_database_keeps_only_hashed(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],  # noqa: F811
) -> None:
    answer = await sign_in(gateway, OWNER, PASSWORD)
    [set_cookie] = [c for c in answer.set_cookie if c.startswith(f"{session.COOKIE}=")]
    token = set_cookie.split(";")[0].split("=", 1)[1]
    assert len(token) == 43 and OWNER not in token
    flags = {part.strip().split("=")[0].lower(): part for part in set_cookie.split(";")[1:]}
    assert {"httponly", "samesite", "path", "max-age"} <= flags.keys() and "secure" not in flags
    assert "Lax" in flags["samesite"] and flags["path"].strip() == "Path=/"
    async with session_factory() as db:
        [row] = (await db.scalars(select(AdminSessionRow))).all()
    assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert row.email == OWNER and row.client_address == "127.0.0.1"
    assert row.expires_at - row.created_at == timedelta(hours=12)


async def test_a_cookie_forged_with_the_old_default_key_is_refused(gateway: Client) -> None:  # noqa: F811
    assert await doors(gateway, old_format("dev-only-change-me", OWNER)) == SIGNED_OUT


async def test_a_session_is_refused_once_its_email_is_no_longer_an_admin(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],  # noqa: F811
) -> None:
    key = gateway.app[SETTINGS].secret_key.get_secret_value()  # type: ignore[index]
    assert await doors(gateway, old_format(key, "stranger@example.com")) == SIGNED_OUT
    cookie = await signed_in(gateway)
    assert await doors(gateway, cookie) == SIGNED_IN
    async with session_factory() as db, db.begin():
        await db.execute(text("DELETE FROM admin_users WHERE email = :e"), {"e": OWNER})
    assert await doors(gateway, cookie) == SIGNED_OUT
    async with session_factory() as db:  # the account's sessions went with it
        assert (await db.scalars(select(AdminSessionRow))).all() == []


async def test_a_cookie_replayed_after_logout_is_refused(gateway: Client) -> None:  # noqa: F811
    cookie = await signed_in(gateway)
    dashboard = await (await gateway.get("/admin")).text()
    csrf = dashboard.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    out = await gateway.post("/admin/logout", data={"csrf": csrf}, allow_redirects=False)
    assert out.status == 303
    assert await doors(gateway, cookie) == SIGNED_OUT


async def test_a_password_change_signs_out_existing_sessions(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],  # noqa: F811
) -> None:
    cookie = await signed_in(gateway)
    assert await AdminUsers(session_factory).set_password(OWNER, "a new long password") == 1
    assert await doors(gateway, cookie) == SIGNED_OUT
    fresh = await signed_in(gateway, password="a new long password")
    assert await doors(gateway, fresh) == SIGNED_IN


async def test_a_session_idle_for_30_minutes_is_refused(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    clock = Clock(monkeypatch)
    cookie = await signed_in(gateway)
    opened = clock.at
    clock.advance(seconds=30)
    assert await doors(gateway, cookie) == SIGNED_IN
    async with session_factory() as db:  # used within the minute: last_seen_at not rewritten
        assert await db.scalar(select(AdminSessionRow.last_seen_at)) == opened
    clock.advance(minutes=29)
    assert await doors(gateway, cookie) == SIGNED_IN  # 29.5 min idle, and now seen again
    clock.advance(minutes=29)
    assert await doors(gateway, cookie) == SIGNED_IN
    clock.advance(minutes=30, seconds=1)
    assert await doors(gateway, cookie) == SIGNED_OUT


async def test_a_session_ends_12_hours_after_login_however_busy(
    gateway: Client, monkeypatch: pytest.MonkeyPatch,  # noqa: F811
) -> None:
    clock = Clock(monkeypatch)
    cookie = await signed_in(gateway)
    for _ in range(35):  # a request every 20 minutes: never idle
        clock.advance(minutes=20)
        assert await doors(gateway, cookie) == SIGNED_IN
    clock.advance(minutes=20)  # 12 h since login
    assert await doors(gateway, cookie) == SIGNED_OUT


async def test_login_is_limited_per_account_across_many_addresses(
    gateway: Client, caplog: pytest.LogCaptureFixture,  # noqa: F811
) -> None:
    caplog.set_level(logging.WARNING)
    answers = [await sign_in(gateway, OWNER, f"guess {n}", source=f"127.0.0.{n}")
               for n in range(2, 13)]
    assert [answer.status for answer in answers] == [401] * 10 + [429]
    assert "Too many login attempts" in answers[-1].text
    right = await sign_in(gateway, OWNER, PASSWORD, source="127.0.0.20")
    assert right.status == 429 and "Too many login attempts" in right.text
    other = await sign_in(gateway, "other@example.com", "guess", source="127.0.0.21")
    assert other.status == 401  # another account is not locked with this one
    logged = [r.getMessage() for r in caplog.records if "admin login" in r.getMessage()]
    assert any("failed" in m and "127.0.0.2" in m for m in logged)
    assert not any("guess" in m or PASSWORD in m for m in logged)


async def test_login_is_limited_per_client_across_many_accounts(gateway: Client) -> None:  # noqa: F811
    answers = [await sign_in(gateway, f"admin{n}@example.com", "guess") for n in range(6)]
    assert [answer.status for answer in answers] == [401] * 5 + [429]
    assert "Too many login attempts" in answers[-1].text
    elsewhere = await sign_in(gateway, OWNER, PASSWORD, source="127.0.0.30")
    assert elsewhere.status == 303  # the same account from another address is let in


@pytest.mark.parametrize("email", ["owner@example.com\x00", "x" * 5000, "ünï@exämple.com"])
async def test_an_odd_email_on_the_login_form_is_refused_not_a_500(
    gateway: Client, email: str,  # noqa: F811
) -> None:
    assert (await sign_in(gateway, email, PASSWORD)).status == 401


@pytest.mark.parametrize(("target", "location"), [
    ("/admin/appointments?status=confirmed", "/admin/appointments?status=confirmed"),
    ("//evil.example/admin", "/admin"), ("/administrator", "/admin"),
    ("/admin/" + "a" * 5000, "/admin"),
])
async def test_login_returns_only_to_a_dashboard_page(
    gateway: Client, target: str, location: str,  # noqa: F811
) -> None:
    answer = await sign_in(gateway, OWNER, PASSWORD, target=target)
    assert (answer.status, answer.location) == (303, location)
