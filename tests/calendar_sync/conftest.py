"""Calendar fixtures: the fake Google on 127.0.0.1, a connection store pointed at it, and a
salon saved for real whose staff can connect their calendars."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from assistant.embedded_db import free_port
from assistant.gateway.admin import session
from assistant.gateway.google_oauth import routes
from assistant.gateway.resources import CALENDAR, ENGINE, SETTINGS
from assistant.settings import Settings
from calendar_sync.config import GoogleConfig
from calendar_sync.connections import Connection, ConnectionStore
from calendar_sync.crypto import TokenCipher
from calendar_sync.oauth import connect
from calendar_sync.service import CalendarServices
from calendar_sync.store import SqlCalendarStore, build_on
from scheduling.persistence.admin_sessions import SessionStore
from tests.booking.booking_builders import NOW, Salon, build_salon, save_salon
from tests.fakes.google_calendar import FakeGoogle, running_fake
from tests.gateway.admin_login import login_as

CONNECTED_AT = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
ADMIN_KEY = "calendar test secret"


@pytest.fixture
async def admin_cookie(session_factory: async_sessionmaker[AsyncSession], clean_tables: None
                       ) -> dict[str, str]:
    """An admin session in the database, as the login page would open it."""
    return await login_as(session_factory, "owner@salon.example")


@pytest.fixture(autouse=True)
def insecure_oauth_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """oauthlib refuses plain http; the fake speaks http on loopback only."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


@pytest.fixture
async def google() -> AsyncIterator[FakeGoogle]:
    async with running_fake() as fake:
        yield fake


@pytest.fixture
def config(google: FakeGoogle) -> GoogleConfig:
    return GoogleConfig("client-id", "client-secret", api_url=google.api_url,
                        oauth_url=google.oauth_url, retries=3, backoff=0.0)


@pytest.fixture
def cipher() -> TokenCipher:
    return TokenCipher("test secret key")


@pytest.fixture
def store(
    session_factory: async_sessionmaker[AsyncSession], cipher: TokenCipher, config: GoogleConfig
) -> ConnectionStore:
    return ConnectionStore(SqlCalendarStore(session_factory), cipher, config)


@pytest.fixture
async def salon(
    session_factory: async_sessionmaker[AsyncSession], clean_tables: None
) -> AsyncIterator[Salon]:
    built = build_salon()
    await save_salon(session_factory, built)
    yield built


@pytest.fixture
async def calendar(
    session_factory: async_sessionmaker[AsyncSession], config: GoogleConfig, engine: AsyncEngine
) -> AsyncIterator[CalendarServices]:
    """The calendar services behind the gateway's Google routes, listening on 127.0.0.1."""
    port = free_port()
    services = build_on(session_factory, config, "test secret key",
                        f"http://127.0.0.1:{port}", clock=lambda: NOW)
    app = web.Application(middlewares=[session.middleware])  # resolves the admin cookie
    app[CALENDAR] = services
    app[ENGINE] = engine  # push receipts (a repeated message number is not synced again)
    app[session.STORE] = SessionStore(session_factory)
    app[SETTINGS] = Settings(secret_key=ADMIN_KEY)
    app.add_routes(routes)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    yield services
    await runner.cleanup()


async def connect_staff(
    google: FakeGoogle, store: ConnectionStore, salon: Salon, name: str, account: str
) -> Connection:
    """Connect `name` as if the owner had consented: a real code exchange at the fake."""
    from google_auth_oauthlib.flow import Flow

    code = google.state.grant_code(account)
    flow = Flow.from_client_config(store.config.client_config("web", ["http://x/cb"]),
                                   scopes=["https://www.googleapis.com/auth/calendar"],
                                   redirect_uri="http://x/cb")
    await asyncio.to_thread(flow.fetch_token, code=code)
    return await connect(store, salon.staff(name).id, flow.credentials, CONNECTED_AT)
