"""What the gateway makes at start-up and shares across requests, stored under AppKeys."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.settings import Settings
from calendar_sync.service import CalendarServices
from scheduling.persistence.database import make_engine

SETTINGS = web.AppKey("settings", Settings)
ENGINE = web.AppKey("engine", AsyncEngine)
HTTP = web.AppKey("http", aiohttp.ClientSession)
CALENDAR = web.AppKey("calendar", CalendarServices)  # only when Google is configured


def database_url(settings: Settings) -> str:
    """The gateway always runs with a resolved URL (`assistant run` sets it for the embedded DB)."""
    if not settings.database_url:
        raise RuntimeError(
            "DATABASE_URL is unset: start the gateway through `python -m assistant run`"
        )
    return settings.database_url


async def database(app: web.Application) -> AsyncIterator[None]:
    engine = make_engine(database_url(app[SETTINGS]))
    app[ENGINE] = engine
    yield
    await engine.dispose()


async def http_client(app: web.Application) -> AsyncIterator[None]:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session:
        app[HTTP] = session
        yield
