"""The gateway's notifications context with no keys: local senders, attempts recorded."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway import resources
from assistant.notifications.runtime import DISPATCHER, notifications
from assistant.settings import Settings
from scheduling.persistence.notification_tables import DeliveryAttemptRow
from tests.notifications.seeding import seed_messages, seed_salon

pytestmark = pytest.mark.db


async def test_without_keys_messages_are_recorded_as_local_attempts(
    database_url: str, session_factory: async_sessionmaker[AsyncSession], clean_tables: None,
) -> None:
    salon = await seed_salon(session_factory)
    [message] = await seed_messages(session_factory, salon, 1, datetime.now(UTC))
    app = web.Application()
    app[resources.SETTINGS] = Settings(_env_file=None, database_url=database_url)
    app.cleanup_ctx.extend([resources.database, notifications])
    runner = web.AppRunner(app)
    await runner.setup()  # starts the scheduler; its first run is immediate
    try:
        assert app[DISPATCHER].senders["email"].provider == "local"
        rows: list[DeliveryAttemptRow] = []
        for _ in range(100):
            async with session_factory() as session:
                rows = list(await session.scalars(select(DeliveryAttemptRow).where(
                    DeliveryAttemptRow.outbox_id == message)))
            if len(rows) == 2:
                break
            await asyncio.sleep(0.1)
    finally:
        await runner.cleanup()
    assert sorted((r.channel, r.provider, r.status) for r in rows) == [
        ("email", "local", "sent"), ("sms", "local", "sent")]
