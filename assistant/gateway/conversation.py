"""One conversation turn on Rasa's REST channel, shared by every channel, and the replies still
on their way when a channel had to answer first.

Twilio wants an answer within seconds; Rasa plus the action server can take longer under load.
`Pending` keeps such a turn running after the channel gave up waiting, under a random token the
channel's continuation URL carries, so the reply is picked up instead of lost or repeated, by
this gateway or any other replica (`continuations`).
"""

from __future__ import annotations

import asyncio
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from assistant.gateway import continuations
from assistant.gateway.metrics import METRICS
from assistant.gateway.resources import HTTP, SETTINGS

Reply = dict[str, Any]
TURN_TIMEOUT = aiohttp.ClientTimeout(total=60)
"""Rasa's own limit on a turn; the channels answer sooner and pick the reply up later."""


async def forward(
    app: web.Application, sender: str, message: str, metadata: dict[str, Any] | None = None,
    channel: str = "web",
) -> list[Reply]:
    """One turn; raises ClientError when Rasa is down or answers badly."""
    url = f"{app[SETTINGS].rasa_url}/webhooks/rest/webhook"
    body: dict[str, Any] = {"sender": sender, "message": message}
    if metadata:
        body["metadata"] = metadata
    started = time.perf_counter()
    async with app[HTTP].post(url, json=body, timeout=TURN_TIMEOUT) as response:
        response.raise_for_status()
        replies: list[Reply] = await response.json()
    app[METRICS].turns.observe(time.perf_counter() - started, channel=channel)
    return replies


@dataclass(frozen=True, slots=True)
class Timeouts:
    """How long a Twilio webhook waits for Rasa before answering "one moment"."""

    voice: float = 8.0
    sms: float = 10.0


@dataclass
class Pending:
    """Turns that outlived their webhook, by token; each is collected once, here or on another
    gateway (the token and, when the turn ends, its replies are in the database)."""

    app: web.Application
    tasks: dict[str, asyncio.Task[list[Reply]]] = field(default_factory=dict)
    writes: set[asyncio.Task[None]] = field(default_factory=set)

    async def park(self, task: asyncio.Task[list[Reply]]) -> str:
        token = secrets.token_urlsafe(16)
        self.tasks[token] = task
        await continuations.record(self.app, token)
        task.add_done_callback(lambda done: self._ended(token, done))
        return token

    def _ended(self, token: str, task: asyncio.Task[list[Reply]]) -> None:
        write = asyncio.ensure_future(continuations.finish(self.app, token, task))
        self.writes.add(write)
        write.add_done_callback(self.writes.discard)
        asyncio.get_running_loop().call_later(300, self.tasks.pop, token, None)

    async def take(self, token: str) -> asyncio.Task[list[Reply]] | None:
        """The turn from memory, or one polling the replies another gateway will write; None
        for a token no gateway issued (or one already collected)."""
        task = self.tasks.pop(token, None)
        if task is not None:
            return task if await continuations.forget(self.app, token) else None
        if token and await continuations.exists(self.app, token):
            return asyncio.ensure_future(continuations.collect(self.app, token))
        return None

    async def cancel_all(self) -> None:
        for task in self.tasks.values():
            task.cancel()
        self.tasks.clear()
        await asyncio.sleep(0)  # the cancelled turns' callbacks start their writes
        await asyncio.gather(*self.writes, return_exceptions=True)


TIMEOUTS = web.AppKey("twilio_timeouts", Timeouts)
PENDING = web.AppKey("pending_turns", Pending)


async def within(
    app: web.Application, task: asyncio.Task[list[Reply]], seconds: float
) -> tuple[list[Reply] | None, str | None]:
    """The replies if `task` finishes in time, else None and the token to collect them by."""
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if done:
        return task.result(), None
    return None, await app[PENDING].park(task)


def setup(app: web.Application) -> None:
    """Made with the app (tests may replace the timeouts before starting it)."""
    app[PENDING] = Pending(app)
    app[TIMEOUTS] = Timeouts()
    app.on_cleanup.append(_cancel_pending)


async def _cancel_pending(app: web.Application) -> None:
    await app[PENDING].cancel_all()
