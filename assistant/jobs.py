"""The booking lifecycle's periodic jobs, run every minute by each gateway (or by `assistant
worker` when GATEWAY_RUNS_JOBS is false).

Each job is a plain service call in `scheduling` taking `now`. Every process runs the timer, and
each minute's tick is claimed once across all of them (`assistant.ticks`), so the jobs run
once per minute however many replicas there are; each job on its own would also be safe twice
(rows are taken with SKIP LOCKED, or deduplicated by outbox key).
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime

from aiohttp import web

from assistant.gateway import resources
from assistant.instruments import JOB_RUNS
from assistant.interval import every
from assistant.payments import PROVIDER
from assistant.payments.pending_window import settle_paid_checkouts
from assistant.ticks import KEEP, once_per_tick, runs_jobs
from scheduling.booking import attendance, waitlist
from scheduling.booking.agenda import queue_daily_agendas
from scheduling.persistence import job_ticks
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.database import SessionFactory, make_session_factory
from scheduling.persistence.housekeeping import prune_expired

log = logging.getLogger(__name__)

INTERVAL_SECONDS = 60
TICK = "booking jobs"
Factory = SessionFactory
Job = Callable[[Factory, datetime], Awaitable[object]]


def _in_unit_of_work(service: Callable[[BookingUnitOfWork, datetime], Awaitable[object]]) -> Job:
    async def run(factory: Factory, now: datetime) -> None:
        await service(BookingUnitOfWork(factory), now)

    return run


async def _queue_agendas(factory: Factory, now: datetime) -> None:
    async with BookingUnitOfWork(factory) as uow:
        businesses = await uow.catalog.business_ids()
    for business_id in businesses:
        await queue_daily_agendas(BookingUnitOfWork(factory), business_id, now)


async def _prune_limits(factory: Factory, now: datetime) -> None:
    """Rate-limit buckets that are full again, receipts past their keep, dead short links,
    old job claims."""
    await prune_expired(factory, now)
    await job_ticks.prune(factory, now, KEEP)


class JobsFailed(RuntimeError):
    """Some job of the tick failed (each is logged by name): the tick is recorded as failed."""


JOBS: dict[str, Job] = {
    "release expired holds": _in_unit_of_work(attendance.release_expired_holds),
    "close past appointments": _in_unit_of_work(attendance.close_past),
    "expire unpaid bookings": _in_unit_of_work(attendance.expire_unpaid),
    "expire waitlist offers": _in_unit_of_work(waitlist.expire_offers),
    "daily agendas": _queue_agendas,
    "prune rate limits, receipts and short links": _prune_limits,
}


async def run_periodic(factory: Factory, now: datetime) -> list[str]:
    """Run every job once; returns the names of those that failed. A failure is logged with
    its traceback and does not stop the other jobs (each has its own transaction)."""
    failed = []
    for name, job in JOBS.items():
        try:
            await job(factory, now)
        except Exception:  # reported here, with the traceback; the next job still runs
            log.exception("periodic job %r failed", name)
            failed.append(name)
        JOB_RUNS.labels(name, "failed" if name in failed else "ok").inc()
    return failed


async def periodic_jobs(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx: needs `resources.database` before it (the engine)."""
    if not runs_jobs(app):
        yield
        return
    factory = make_session_factory(app[resources.ENGINE])

    async def jobs() -> None:
        now = datetime.now(UTC)
        provider = app.get(PROVIDER)  # set by the payments context, after this one starts
        if provider is not None:
            try:  # a paid checkout whose webhook has not come is not released as unpaid
                await settle_paid_checkouts(factory, provider, now)
            except Exception:  # logged; the release still runs, a late payment is refunded
                log.exception("reading back checkouts before the release failed")
        if await run_periodic(factory, now):
            raise JobsFailed

    async with every(INTERVAL_SECONDS, once_per_tick(factory, TICK, INTERVAL_SECONDS, jobs),
                     "booking-jobs"):
        yield
