"""`python -m assistant worker`: the periodic jobs, the outbox dispatcher and the payment
workers without the HTTP gateway, for deployments that set GATEWAY_RUNS_JOBS=false and scale
gateways and workers apart. Any number may run: each tick is claimed once (`assistant.ticks`).
"""

from __future__ import annotations

import asyncio
import logging
import signal

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


async def run_until_signalled(app: web.Application) -> None:
    """Start `app`'s contexts, wait for SIGINT or SIGTERM, then stop them (a run in flight is
    finished first: `assistant.interval`)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    runner = web.AppRunner(app, handle_signals=False)
    await runner.setup()
    log.info("worker running: periodic jobs, outbox dispatcher, payment workers")
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
    log.info("worker stopped")


def serve(settings: Settings) -> None:
    asyncio.run(run_until_signalled(create_worker(settings)))
