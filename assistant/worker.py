"""`python -m assistant worker`: the periodic jobs, the outbox dispatcher and the payment
workers without the HTTP gateway, for deployments that set GATEWAY_RUNS_JOBS=false and scale
gateways and workers apart. Any number may run: each tick is claimed once (`assistant.ticks`).
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from assistant import payments
from assistant.gateway import resources
from assistant.jobs import periodic_jobs
from assistant.notifications.runtime import notifications
from assistant.settings import Settings
from assistant.ticks import RUNS_JOBS

log = logging.getLogger(__name__)


def create_worker(settings: Settings) -> web.Application:
    """An app with no routes: only the start-up contexts that run the interval workers."""
    app = web.Application()
    app[resources.SETTINGS] = settings
    app[RUNS_JOBS] = True
    app.cleanup_ctx.extend([resources.database, resources.http_client, notifications,
                            periodic_jobs, payments.payments])
    return app


@asynccontextmanager
async def running(app: web.Application) -> AsyncIterator[None]:
    """`app`'s contexts started for the block, stopped after it (a run in flight is finished
    first: `assistant.interval`)."""
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    try:
        yield
    finally:
        await runner.cleanup()


async def run_until_signalled(app: web.Application) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with running(app):
        log.info("worker running: periodic jobs, outbox dispatcher, payment workers")
        await stop.wait()
    log.info("worker stopped")


def serve(settings: Settings) -> None:
    asyncio.run(run_until_signalled(create_worker(settings)))
