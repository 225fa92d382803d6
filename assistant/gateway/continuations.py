"""Slow Twilio turns any gateway replica can collect: a parked turn is recorded as a receipt
(source `twilio-turn`, keyed by its continuation token) and its replies written there when
Rasa answers, so the continuation request Twilio sends next may reach another gateway behind
the balancer and still get the replies, once.

The gateway that parked the turn answers from memory; another polls the receipt until the
replies are there, giving up after Rasa's own limit on a turn (the parking gateway may have
died mid-turn).
"""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

from assistant.gateway.resources import ENGINE
from scheduling.persistence import receipts
from scheduling.persistence.database import make_session_factory

SOURCE = "twilio-turn"
KEEP = timedelta(minutes=5)
POLL_SECONDS = 0.2
GIVE_UP_SECONDS = 60.0
"""Rasa's limit on a turn (`conversation.TURN_TIMEOUT`): no replies by then, none will come."""


class TurnLost(aiohttp.ClientError):
    """The turn failed on the gateway that parked it, or never ended there; the channels answer
    as they do when Rasa is unreachable."""


async def record(app: web.Application, token: str) -> None:
    async with make_session_factory(app[ENGINE])() as session:
        await receipts.first(session, SOURCE, token, datetime.now(UTC), KEEP)
        await session.commit()


async def finish(app: web.Application, token: str, task: asyncio.Task[Any]) -> None:
    """Write the ended turn's replies (or that it failed) for whichever gateway collects it."""
    failed = task.cancelled() or task.exception() is not None
    answer = {"failed": True} if failed else {"replies": task.result()}
    async with make_session_factory(app[ENGINE])() as session:
        await receipts.answer(session, SOURCE, token, json.dumps(answer))
        await session.commit()


async def exists(app: web.Application, token: str) -> bool:
    async with app[ENGINE].connect() as connection:
        return await receipts.seen(connection, SOURCE, token)


async def forget(app: web.Application, token: str) -> bool:
    """Collected from memory: no other gateway may collect it again. False when another
    gateway collected it already."""
    async with make_session_factory(app[ENGINE])() as session:
        forgotten = await receipts.forget(session, SOURCE, token)
        await session.commit()
    return forgotten


async def collect(app: web.Application, token: str) -> list[dict[str, Any]]:
    """The replies of a turn another gateway parked, once they are written (taken once)."""
    factory = make_session_factory(app[ENGINE])
    loop = asyncio.get_running_loop()
    deadline = loop.time() + GIVE_UP_SECONDS
    while loop.time() < deadline:
        async with factory() as session:
            found = await receipts.take_answer(session, SOURCE, token)
            await session.commit()
        if found is not None:
            answer = json.loads(found)
            if answer.get("failed"):
                raise TurnLost("the turn failed on the gateway that took it")
            return list(answer["replies"])
        await asyncio.sleep(POLL_SECONDS)
    raise TurnLost("no replies from the gateway that took the turn")
