"""Each periodic job's tick runs once across processes (issue 21): two replicas' timers firing
in the same interval, each with its own engine, run the job once between them; the next
interval runs it again; a failure is recorded and counted."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.ticks import run_claimed
from scheduling.persistence.database import make_engine, make_session_factory
from scheduling.persistence.replica_tables import JobTickRow

pytestmark = pytest.mark.db
NOW = datetime(2026, 12, 2, 14, 0, 10, tzinfo=UTC)


async def test_two_replicas_in_one_tick_run_the_job_once(
        database_url: str, session_factory: async_sessionmaker[AsyncSession],
        clean_tables: None) -> None:
    engines = [make_engine(database_url) for _ in range(2)]
    runs: list[str] = []

    def job(replica: str):  # type: ignore[no-untyped-def]
        async def run() -> None:
            runs.append(replica)
            await asyncio.sleep(0.05)
        return run

    try:
        factories = [make_session_factory(e) for e in engines]
        first = await asyncio.gather(*(
            run_claimed(f, "test job", 60, job(f"r{i}"), NOW + timedelta(seconds=i * 20))
            for i, f in enumerate(factories)))
        assert sorted(first, key=str) == [False, None] and len(runs) == 1
        later = await asyncio.gather(*(
            run_claimed(f, "test job", 60, job(f"r{i}"), NOW + timedelta(seconds=60 + i))
            for i, f in enumerate(factories)))
        assert sorted(later, key=str) == [False, None] and len(runs) == 2
    finally:
        for engine in engines:
            await engine.dispose()
    async with session_factory() as session:
        rows = list(await session.scalars(  # only ours: a gateway of another test ticks too
            select(JobTickRow).where(JobTickRow.job == "test job").order_by(JobTickRow.tick)))
    assert [(r.tick.minute, r.failed) for r in rows] == [(0, False), (1, False)]


async def test_a_failed_run_is_recorded_and_counted(
        session_factory: async_sessionmaker[AsyncSession], clean_tables: None) -> None:
    def failures() -> float:
        return REGISTRY.get_sample_value(
            "job_runs_total", {"job": "broken job", "outcome": "failed"}) or 0.0

    before = failures()

    async def broken() -> None:
        raise RuntimeError("database hiccup")

    assert await run_claimed(session_factory, "broken job", 60, broken, NOW) is True
    assert failures() == before + 1
    async with session_factory() as session:
        row = await session.scalar(select(JobTickRow).where(JobTickRow.job == "broken job"))
    assert row is not None and row.failed is True and row.finished_at is not None
