"""A coroutine run on an interval inside the gateway, stopped without cutting a run short.

APScheduler's asyncio scheduler cannot wait for a job on shutdown: it cancels the task of a
run in flight, mid-transaction, while the database engine is being disposed (once such a run
held a lock a test's TRUNCATE then deadlocked on). `every` remembers the run in flight, pauses
the scheduler and awaits that run before shutting the scheduler down.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler


@asynccontextmanager
async def every(seconds: float, job: Callable[[], Awaitable[object]],
                name: str) -> AsyncIterator[None]:
    """Run `job` now and then every `seconds` (never two at once; a late run still runs)
    while the block is open; on leaving, wait for a run in flight to finish."""
    in_flight: set[asyncio.Task[object]] = set()

    async def tracked() -> None:
        task = asyncio.current_task()
        assert task is not None
        in_flight.add(task)
        try:
            await job()
        finally:
            in_flight.discard(task)

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(tracked, "interval", seconds=seconds, id=name, max_instances=1,
                      coalesce=True, misfire_grace_time=None, next_run_time=datetime.now(UTC))
    scheduler.start()
    try:
        yield
    finally:
        scheduler.pause()  # no new runs; shutting down would cancel the one in flight
        await asyncio.gather(*in_flight, return_exceptions=True)
        scheduler.shutdown(wait=False)
