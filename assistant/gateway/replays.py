"""Webhook deliveries acted on once: Twilio retries a message or a voice step it got no answer
to in time, and Google may deliver a push notification twice. Each delivery has an id from the
provider (MessageSid; CallSid and our turn number; channel id and X-Goog-Message-Number); the
first delivery of an id is recorded in `receipts` and handled, and a repeat gets the answer the
first one gave without reaching Rasa or the calendar sync again.

Call `once` only after the request's signature or token was checked: an unverified request
must not be able to record an id and so suppress the genuine delivery.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from aiohttp import web

from assistant.gateway.resources import ENGINE
from scheduling.persistence import receipts
from scheduling.persistence.database import make_session_factory

KEEP = timedelta(days=2)
"""Longer than either provider goes on retrying one delivery."""
WAIT_SECONDS, POLL_SECONDS = 10.0, 0.25
"""A repeat that arrives while the first delivery is still being handled waits this long for
its answer (Twilio gives a webhook 15 s), then gets the `repeat` answer instead."""

Respond = Callable[[], Awaitable[web.Response]]


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    content_type: str


async def once(request: web.Request, source: Source, key: str, handle: Respond,
               repeat: Respond) -> web.Response:
    """`handle()` on the first delivery of `key`; on a repeat, the first answer again, or
    `repeat()` when the first has none in time. A `handle()` that raises forgets the key, so
    the provider's next try is handled afresh. An empty key (no id sent) is always handled."""
    if not key:
        return await handle()
    factory = make_session_factory(request.app[ENGINE])
    async with factory() as session:
        first = await receipts.first(session, source.name, key, datetime.now(UTC), KEEP)
        await session.commit()
    if not first:
        stored = await _first_answer(request, source, key)
        if stored is None:
            return await repeat()
        return web.Response(text=stored, content_type=source.content_type)
    try:
        response = await handle()
    except BaseException:
        async with factory() as session:
            await receipts.forget(session, source.name, key)
            await session.commit()
        raise
    async with factory() as session:
        await receipts.answer(session, source.name, key, response.text or "")
        await session.commit()
    return response


async def _first_answer(request: web.Request, source: Source, key: str) -> str | None:
    factory = make_session_factory(request.app[ENGINE])
    for _ in range(int(WAIT_SECONDS / POLL_SECONDS)):
        async with factory() as session:
            stored = await receipts.reply_of(session, source.name, key)
        if stored is not None:
            return stored
        await asyncio.sleep(POLL_SECONDS)
    return None
