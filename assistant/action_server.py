"""`python -m assistant actions`: the Rasa action server, composed like the gateway.

`python -m rasa_sdk` would import `actions` and serve with no way to pass anything in, so the
actions could not see the owner's Google busy time. This is the composition root for that
process: it configures the actions' runtime (database URL, and with Google configured the
busy-time source booking must respect), then starts rasa-sdk's server on ACTION_SERVER_HOST.
"""

from __future__ import annotations

import os
import time
from typing import Any

from rasa_sdk.endpoint import run
from rasa_sdk.executor import ActionExecutor, ActionExecutorRunResult
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.runtime import BusySourceFactory, runtime
from assistant import action_metrics, heap, logcontext
from assistant.gateway.google_oauth import google_config, token_key
from assistant.gateway.resources import database_url
from assistant.instruments import ACTIONS
from assistant.settings import Settings
from calendar_sync.busy import GoogleBusyTimes
from calendar_sync.connections import ConnectionStore
from calendar_sync.crypto import TokenCipher
from calendar_sync.store import SqlCalendarStore
from scheduling.occupancy import BusyTimeSource


def busy_source(settings: Settings) -> BusySourceFactory | None:
    """Google's busy-time source on the runtime's sessions, or None without Google."""
    config = google_config(settings)
    if config is None:
        return None
    cipher = TokenCipher(token_key(settings))

    def build(factory: async_sessionmaker[AsyncSession]) -> BusyTimeSource:
        return GoogleBusyTimes(ConnectionStore(SqlCalendarStore(factory), cipher, config))

    return build


class ConversationExecutor(ActionExecutor):
    """rasa-sdk's executor, with the conversation id (the sender) on every log line of a call,
    and each call's latency by action and outcome (`/metrics`)."""

    async def run(self, action_call: dict[str, Any]) -> ActionExecutorRunResult | None:
        sender = (action_call.get("tracker") or {}).get("sender_id")
        reset = logcontext.current.set(f"conv={str(sender)[:80]}" if sender else logcontext.NONE)
        name = str(action_call.get("next_action"))
        started, outcome = time.perf_counter(), "error"
        try:
            result = await super().run(action_call)
            outcome = "ok"
            return result
        finally:
            # a name Rasa did not register is one label, not one per name a caller invents
            ACTIONS.labels(name if name in self.actions else "unknown", outcome).observe(
                time.perf_counter() - started)
            logcontext.current.reset(reset)


def serve(settings: Settings) -> None:
    runtime.configure(database_url(settings), busy_source(settings),
                      settings.catalog_cache_seconds, listen=True)
    # rasa-sdk binds 0.0.0.0 unless told otherwise; it has no authentication, so loopback
    os.environ["SANIC_HOST"] = settings.action_server_host
    executor = ConversationExecutor()
    executor.register_package("actions")
    action_metrics.install(settings.metrics_token)
    heap.freeze_startup()  # the loaded actions and SQLAlchemy stay out of full collections
    run(executor, port=settings.action_server_port)
