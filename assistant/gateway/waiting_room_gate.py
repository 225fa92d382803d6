"""The gate booking passes while a waiting room is in force for the service and day.

In force (before a release, with a queue, or with the threshold of choosers reached), a booking
needs the customer's admitted place, and uses it up: the place is marked "booking" for the
attempt (a second booking of the same customer at the same moment finds no admission), then
"booked", or back to "admitted" when the time was taken so they can pick another before their
hold ends. The owner is never gated. A quiet room lets everyone book as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from uuid import UUID

from aiohttp import web

from assistant.gateway import waiting_room
from assistant.gateway.api import context
from assistant.gateway.errors import ApiError
from assistant.gateway.resources import ENGINE
from scheduling.desk.customers import Proof
from scheduling.persistence import waiting_room_store as store


@asynccontextmanager
async def admitted(request: web.Request, service_id: UUID, start: datetime, who: Proof
                   ) -> AsyncIterator[None]:
    """Book inside this block; 403 `waiting_room` when the room is in force and the caller
    holds no admission to it."""
    if who.owner:
        yield
        return
    app, now = request.app, context.now()
    day = start.astimezone((await context.catalog(request)).business.zone).date()
    async with app[ENGINE].begin() as db:
        place = (await store.start_booking(db, service_id, day, who.customer_id, now)
                 if who.customer_id else None)
        if place is None and await store.busy_room(
                db, service_id, day, await waiting_room.rules(app, service_id), now):
            raise ApiError(403, "waiting_room", "this day is busy: take a place in the waiting"
                           " room (POST /api/v1/waiting-room/places) and book once admitted")
    if place is None:
        yield
        return
    booked = False
    try:
        yield
        booked = True
    finally:
        async with app[ENGINE].begin() as db:
            await store.finish_booking(db, place, booked, context.now())
