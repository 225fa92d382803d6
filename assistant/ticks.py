"""Once per tick across every process: a periodic job wrapped so that, of all the replicas
whose timers fire within the same interval, only the one whose claim lands first runs it.

Timers in different processes fire at different phases; the claim is keyed on the interval's
start (`job_ticks.tick_of`), not on when a timer fired, so two replicas never both run a tick
and a tick is not lost while one replica is alive.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from aiohttp import web

from assistant.gateway.resources import SETTINGS
from assistant.instruments import JOB_RUNS, JOB_SKIPS
from scheduling.persistence import job_ticks
from scheduling.persistence.database import SessionFactory

log = logging.getLogger(__name__)
KEEP = timedelta(days=2)
"""How long claims are kept (the job `prune rate limits...` deletes older ones)."""
RUNS_JOBS = web.AppKey("runs_jobs", bool)
"""Whether this app runs the interval workers (jobs, dispatcher, payment workers): a gateway
as GATEWAY_RUNS_JOBS says, `assistant worker` always."""


def runs_jobs(app: web.Application) -> bool:
    return app.get(RUNS_JOBS, app[SETTINGS].gateway_runs_jobs)


def process_name() -> str:
    """Who claimed a tick, for an operator reading `job_ticks`: host and pid."""
    return f"{socket.gethostname()}:{os.getpid()}"


async def run_claimed(factory: SessionFactory, name: str, seconds: float,
                      job: Callable[[], Awaitable[object]], now: datetime) -> bool | None:
    """Run `job` if this process claims `name`'s tick for `now`: None when another process had
    it, else whether it failed (logged with its traceback; the next tick runs again)."""
    tick = job_ticks.tick_of(now, seconds)
    if not await job_ticks.claim(factory, name, tick, process_name(), now):
        JOB_SKIPS.labels(name).inc()
        return None
    failed = False
    try:
        await job()
    except Exception:  # reported here and counted; the other jobs and the next tick still run
        log.exception("periodic job %r failed", name)
        failed = True
    JOB_RUNS.labels(name, "failed" if failed else "ok").inc()
    await job_ticks.finish(factory, name, tick, datetime.now(UTC), failed)
    return failed


def once_per_tick(factory: SessionFactory, name: str, seconds: float,
                  job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    """`job` for `assistant.interval.every`, claimed per tick of `seconds`."""
    async def claimed() -> None:
        await run_claimed(factory, name, seconds, job, datetime.now(UTC))

    return claimed
