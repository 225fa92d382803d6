"""The waiting room at the gateway: take a place, check it, leave it, for every channel.

A place needs a verified contact: the customer token a one-time code gives (or, by SMS, the
number Twilio proved), so one person behind many senders or cookies is one customer and gets
one place. Entering is limited per client network and per customer. Every check of a place
runs an admission round (`waiting_room_store.admission_round`, one replica at a time under
the room's advisory lock), so admissions need no process of their own and any replica serves.

The routes are in `api/waiting_room_routes.py`; the queue page and socket use the same calls.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any
from uuid import UUID

from aiohttp import web

from assistant.gateway.api import auth, context
from assistant.gateway.api.params import invalid
from assistant.gateway.errors import ApiError
from assistant.gateway.resources import ENGINE, SETTINGS
from assistant.notifications import links
from scheduling.persistence import waiting_room_store as store
from scheduling.waiting_room import RoomRules

RULES = web.AppKey("waiting_room_rules", RoomRules)
"""The rules every room follows; defaults unless the app (the owner's settings, a test, the
bench) sets them."""
DAYS_AHEAD = 400


def rules(app: web.Application) -> RoomRules:
    return app.get(RULES) or RoomRules()


def verified_customer(request: web.Request, token: str | None = None) -> UUID:
    """The customer a one-time code proved, by the bearer token (or `token`, which a browser's
    WebSocket sends in the query); 401 for anyone else (a link token for one appointment names
    no person)."""
    token = token or auth.bearer(request)
    if token is None:
        raise ApiError(401, "unauthorized", "a customer token from a one-time code is required")
    try:
        return links.verify(links.link_key(request.app[SETTINGS]), token, "customer",
                            context.now())
    except links.InvalidLink as error:
        raise ApiError(401, "unauthorized", f"this token is not valid: {error}") from None


def day_of(value: object, today: date) -> date:
    if not isinstance(value, str):
        raise invalid("day", "must be a date like 2027-03-02")
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise invalid("day", "not an ISO date") from None
    if not today - timedelta(days=1) <= day <= today + timedelta(days=DAYS_AHEAD):
        raise invalid("day", f"must be between yesterday and {DAYS_AHEAD} days ahead")
    return day


def shown(place: store.Place) -> dict[str, Any]:
    return {"id": str(place.id), "state": place.state.value, "position": place.position,
            "estimated_wait_seconds": round(place.estimated_wait.total_seconds()),
            "hold_until": place.hold_until.isoformat() if place.hold_until else None}


async def enter(app: web.Application, business_id: UUID, service_id: UUID, day: date,
                customer_id: UUID, channel: str, client: str | None) -> store.Place:
    """The customer's place (a new one, or the one they hold), after an admission round."""
    now, room_rules = context.now(), rules(app)
    async with app[ENGINE].begin() as db:
        room = await store.room_for(db, business_id, service_id, day, now)
        place_id, _ = await store.enter(db, room, customer_id, channel, client, now)
        await store.admission_round(db, room, room_rules, now)
        return await store.own_place(db, place_id, customer_id, room_rules, now)


async def check(app: web.Application, place_id: UUID, customer_id: UUID) -> store.Place:
    """The place after an admission round; NotFound unless it is this customer's."""
    now, room_rules = context.now(), rules(app)
    async with app[ENGINE].begin() as db:
        room = await store.room_of(db, place_id, customer_id)
        await store.admission_round(db, room, room_rules, now)
        return await store.own_place(db, place_id, customer_id, room_rules, now)


async def leave(app: web.Application, place_id: UUID, customer_id: UUID) -> bool:
    now = context.now()
    async with app[ENGINE].begin() as db:
        await store.own_place(db, place_id, customer_id, rules(app), now)
        return await store.leave(db, place_id, now)
