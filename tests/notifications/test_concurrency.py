"""Replicas racing over the outbox, and a dispatcher killed with SIGKILL mid-batch."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from assistant.notifications.dispatcher import DispatchConfig, Dispatcher
from assistant.notifications.render import Renderer
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.persistence.notification_tables import DeliveryAttemptRow
from scheduling.persistence.outbox import OutboxRow
from tests.booking.booking_builders import NOW
from tests.notifications.conftest import BASE_URL, SECRET, Fakes
from tests.notifications.seeding import seed_messages, seed_salon

pytestmark = [pytest.mark.db, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


async def statuses(factory: async_sessionmaker[AsyncSession]) -> dict[str, int]:
    async with factory() as session:
        rows = await session.execute(select(OutboxRow.status, func.count())
                                     .group_by(OutboxRow.status))
        return {status: count for status, count in rows.all()}


async def sent_attempts_per_channel(factory: async_sessionmaker[AsyncSession]) -> list[int]:
    async with factory() as session:
        counts = await session.scalars(
            select(func.count()).select_from(DeliveryAttemptRow)
            .where(DeliveryAttemptRow.status == "sent")
            .group_by(DeliveryAttemptRow.outbox_id, DeliveryAttemptRow.channel))
        return list(counts)


async def warm_up(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def test_two_dispatchers_send_each_of_1000_messages_exactly_once(
    database_url: str, session_factory: async_sessionmaker[AsyncSession], fakes: Fakes,
    clean_tables: None,
) -> None:
    salon = await seed_salon(session_factory)
    await seed_messages(session_factory, salon, 1000, NOW)
    engines = [make_engine(database_url, pool_size=5) for _ in range(2)]
    # Both replicas connect before the race, and each send takes a little time, so neither
    # can drain the whole outbox while the other is still opening its first connection.
    await asyncio.gather(*(warm_up(engine) for engine in engines))
    fakes.sendgrid.ledger.delay = fakes.twilio.ledger.delay = 0.002
    dispatchers = [
        Dispatcher(make_session_factory(engine), Renderer(SECRET, BASE_URL),
                   fakes.email_sender(), fakes.sms_sender(), lambda: NOW,
                   DispatchConfig(batch=25, concurrency=4))
        for engine in engines
    ]
    try:
        handled = await asyncio.gather(*(d.run_once() for d in dispatchers))
    finally:
        for engine in engines:
            await engine.dispose()
    assert sum(handled) == 1000 and all(handled)  # both took part, nothing twice
    for ledger in (fakes.sendgrid.ledger, fakes.twilio.ledger):
        assert len(ledger.delivered) == 1000
        assert set(ledger.requests.values()) == {1}
    assert await statuses(session_factory) == {"sent": 1000}
    assert sorted(set(await sent_attempts_per_channel(session_factory))) == [1]


@pytest.fixture
def child_env(database_url: str) -> Iterator[dict[str, str]]:
    yield {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}


async def test_sigkill_mid_batch_loses_nothing_and_duplicates_only_in_flight_sends(
    session_factory: async_sessionmaker[AsyncSession], fakes: Fakes, clean_tables: None,
    child_env: dict[str, str],
) -> None:
    salon = await seed_salon(session_factory)
    count, batch, lease = 300, 20, 3
    await seed_messages(session_factory, salon, count, datetime.now(UTC) - timedelta(minutes=1))
    fakes.sendgrid.ledger.delay = fakes.twilio.ledger.delay = 0.01
    command = [sys.executable, "-m", "tests.notifications.dispatch_child",
               fakes.sendgrid_url, fakes.twilio_url, str(batch), str(lease)]
    child = subprocess.Popen(command, env=child_env, cwd=ROOT)
    try:
        while len(fakes.sendgrid.ledger.delivered) < count // 3:
            assert child.poll() is None, "the dispatcher exited before it was killed"
            await asyncio.sleep(0.05)
    finally:
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    before = len(fakes.sendgrid.ledger.delivered)
    assert before < count  # killed mid-way
    restarted = subprocess.Popen(command + ["--until-empty"], env=child_env, cwd=ROOT)
    while restarted.poll() is None:
        await asyncio.sleep(0.1)
    assert restarted.returncode == 0
    assert await statuses(session_factory) == {"sent": count}
    for ledger in (fakes.sendgrid.ledger, fakes.twilio.ledger):
        assert len(ledger.delivered) == count  # nothing lost
        assert ledger.duplicates <= batch  # re-sent only what was in flight at the kill
    assert sorted(set(await sent_attempts_per_channel(session_factory))) == [1]
