"""The waiting room at the gateway: take a place, check it, leave it, for every channel.

A place needs a verified contact: the customer token a one-time code gives (or, by SMS, the
number Twilio proved), so one person behind many senders or cookies is one customer and gets
one place. Entering is limited per client network and per customer. Every check of a place
runs an admission round (`waiting_room_store.admission_round`, one replica at a time under
the room's advisory lock), so admissions need no process of their own and any replica serves.

The routes are in `api/waiting_room_routes.py`; the queue page and socket use the same calls.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from aiohttp import web

from assistant.gateway.api import auth, context
from assistant.gateway.api.params import invalid
from assistant.gateway.errors import ApiError
from assistant.gateway.resources import ENGINE, SETTINGS
from assistant.notifications import links
from scheduling import waiting_room
from scheduling.persistence import waiting_room_store as store
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.release_store import ReleaseStore
from scheduling.waiting_room import RoomRules

RULES = web.AppKey("waiting_room_rules", RoomRules)
"""Rules for every room, set by a test or a tool; unset, each service's are the owner's
settings (`ReleaseStore.waiting_room`, defaults until the owner sets them)."""
DAYS_AHEAD = 400


async def rules(app: web.Application, service_id: UUID) -> RoomRules:
    if RULES in app:
        return app[RULES]
    async with make_session_factory(app[ENGINE])() as session:
        return waiting_room.rules_of(await ReleaseStore(session).waiting_room(service_id))


async def _release(app: web.Application, business_id: UUID, service_id: UUID, day: date,
                   zone: ZoneInfo, now: datetime) -> tuple[UUID, datetime] | None:
    async with make_session_factory(app[ENGINE])() as session:
        found = await ReleaseStore(session).rules(business_id)
    return waiting_room.release_start(found, service_id, day, zone, now)


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
                zone: ZoneInfo, customer_id: UUID, channel: str, client: str | None
                ) -> store.Place:
    """The customer's place (a new one, or the one they hold), after an admission round. A
    release that opens the day and has not yet (or only just) opened holds admission until it
    does."""
    now, room_rules = context.now(), await rules(app, service_id)
    release = await _release(app, business_id, service_id, day, zone, now)
    async with app[ENGINE].begin() as db:
        room = await store.room_for(db, business_id, service_id, day, now)
        if release is not None:
            await store.set_release(db, room, release[1], release[0])
        place_id, _ = await store.enter(db, room, customer_id, channel, client, now)
        await store.admission_round(db, room, room_rules, now)
        return await store.own_place(db, place_id, customer_id, room_rules, now)


async def check(app: web.Application, place_id: UUID, customer_id: UUID) -> store.Place:
    """The place after an admission round; NotFound unless it is this customer's."""
    now = context.now()
    async with app[ENGINE].begin() as db:
        room, service_id = await store.room_of(db, place_id, customer_id)
        room_rules = await rules(app, service_id)
        await store.admission_round(db, room, room_rules, now)
        return await store.own_place(db, place_id, customer_id, room_rules, now)


async def leave(app: web.Application, place_id: UUID, customer_id: UUID) -> bool:
    now = context.now()
    async with app[ENGINE].begin() as db:
        await store.room_of(db, place_id, customer_id)
        return await store.leave(db, place_id, now)
