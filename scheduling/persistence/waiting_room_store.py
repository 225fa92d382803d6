"""Every SQL statement of the waiting room (`scheduling.waiting_room` decides, this applies).

Each function runs inside the caller's transaction. An admission round takes the room's
transaction-scoped advisory lock with `pg_try_advisory_xact_lock`: one replica admits at a
time and the others, finding it taken, leave the round to it (their customers see the result
on their next check), so no place is admitted twice and none is admitted out of turn.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from scheduling import waiting_room
from scheduling.errors import NotFound
from scheduling.waiting_room import PlaceState, RoomLoad, RoomRules


@dataclass(frozen=True, slots=True)
class Place:
    id: UUID
    room_id: UUID
    customer_id: UUID
    state: PlaceState
    position: int
    """1 for the next waiting place; 0 once it no longer waits."""
    estimated_wait: timedelta
    hold_until: datetime | None


@dataclass(frozen=True, slots=True)
class RoomSummary:
    """A room as the owner's live view shows it."""

    id: UUID
    service_id: UUID
    day: date
    release_at: datetime | None
    waiting: int
    choosing: int
    booked: int
    abandoned: int
    entered: int


_ROOM = text("""
WITH made AS (
    INSERT INTO waiting_rooms (id, business_id, service_id, day, created_at)
    VALUES (:id, :business, :service, :day, :now)
    ON CONFLICT (service_id, day) DO NOTHING RETURNING id
)
SELECT id FROM made UNION ALL
SELECT id FROM waiting_rooms WHERE service_id = :service AND day = :day
""")


async def room_for(db: AsyncConnection, business_id: UUID, service_id: UUID, day: date,
                   now: datetime) -> UUID:
    """The room of this service and day, made on first use."""
    found = await db.execute(_ROOM, {"id": uuid.uuid4(), "business": business_id,
                                     "service": service_id, "day": day, "now": now})
    return found.scalars().first()  # type: ignore[return-value]


async def set_release(db: AsyncConnection, room_id: UUID, release_at: datetime | None,
                      rule_id: UUID | None = None) -> None:
    """A timed release: nobody is admitted before `release_at` (the opening of `rule_id`).
    A room keeps the first release it was given."""
    await db.execute(text("UPDATE waiting_rooms SET release_at = :at, release_rule_id = :rule"
                          " WHERE id = :id AND release_at IS NULL"),
                     {"at": release_at, "rule": rule_id, "id": room_id})


async def _audit(db: AsyncConnection, rows: list[dict[str, object]], event: str, now: datetime,
                 client: str | None = None) -> None:
    if rows:
        await db.execute(text(
            "INSERT INTO waiting_room_events (room_id, place_id, customer_id, event, channel,"
            " client, at) VALUES (:room_id, :id, :customer_id, :event, :channel, :client, :at)"),
            [{**row, "event": event, "client": client, "at": now} for row in rows])


_ENTER = text("""
INSERT INTO waiting_room_places (id, room_id, customer_id, channel, state, entered_at,
                                 last_seen_at)
VALUES (:id, :room, :customer, :channel, 'waiting', :now, :now)
ON CONFLICT (room_id, customer_id)
    WHERE state IN ('waiting', 'admitted', 'booking', 'booked') DO NOTHING
RETURNING id, room_id, customer_id, channel
""")
_MINE = text("SELECT id FROM waiting_room_places WHERE room_id = :room AND customer_id ="
             " :customer AND state IN ('waiting', 'admitted', 'booking', 'booked')")


async def enter(db: AsyncConnection, room_id: UUID, customer_id: UUID, channel: str,
                client: str | None, now: datetime) -> tuple[UUID, bool]:
    """The customer's place in the room, and whether it is new: a customer who already has a
    live or booked place (from another sender, cookie or channel) gets that one back."""
    made = (await db.execute(_ENTER, {"id": uuid.uuid4(), "room": room_id, "now": now,
                                      "customer": customer_id, "channel": channel})).mappings()
    row = made.first()
    if row is not None:
        await _audit(db, [dict(row)], "entered", now, client)
        return row["id"], True
    again = await db.execute(_MINE, {"room": room_id, "customer": customer_id})
    return again.scalar_one(), False


_EXPIRE = text("""
UPDATE waiting_room_places SET state = 'expired', ended_at = :now
WHERE room_id = :room AND ((state = 'waiting' AND last_seen_at < :seen_after)
                           OR (state IN ('admitted', 'booking') AND hold_until <= :now))
RETURNING id, room_id, customer_id, channel
""")
_LOAD = text("""
SELECT r.release_at,
       (SELECT count(*) FROM waiting_room_places p WHERE p.room_id = r.id
            AND p.state IN ('admitted', 'booking')) AS choosing,
       (SELECT count(*) FROM waiting_room_places p WHERE p.room_id = r.id
            AND p.state = 'waiting') AS waiting
FROM waiting_rooms r WHERE r.id = :room
""")
_ADMIT = text("""
WITH admitted AS (
    UPDATE waiting_room_places SET state = 'admitted', admitted_at = :now, hold_until = :until
    WHERE id IN (SELECT id FROM waiting_room_places WHERE room_id = :room AND state = 'waiting'
                 ORDER BY seq LIMIT :n FOR UPDATE)
    RETURNING id, room_id, customer_id, channel, seq
)
SELECT id, room_id, customer_id, channel FROM admitted ORDER BY seq
""")


async def load(db: AsyncConnection, room_id: UUID) -> RoomLoad:
    row = (await db.execute(_LOAD, {"room": room_id})).one()
    return RoomLoad(row.choosing, row.waiting, row.release_at)


async def admission_round(db: AsyncConnection, room_id: UUID, rules: RoomRules,
                          now: datetime) -> list[UUID]:
    """Expire what is over and admit the next places, in their order; [] when another
    process holds the room's lock (it is running the round)."""
    locked = await db.execute(text("SELECT pg_try_advisory_xact_lock(hashtext(:key))"),
                              {"key": f"waiting-room:{room_id}"})
    if not locked.scalar_one():
        return []
    gone = await db.execute(_EXPIRE, {"room": room_id, "now": now,
                                      "seen_after": now - rules.patience})
    await _audit(db, [dict(r) for r in gone.mappings()], "expired", now)
    count = waiting_room.to_admit(rules, await load(db, room_id), now)
    if count == 0:
        return []
    admitted = [dict(r) for r in (await db.execute(
        _ADMIT, {"room": room_id, "n": count, "now": now, "until": now + rules.hold}
    )).mappings()]
    await _audit(db, admitted, "admitted", now)
    return [row["id"] for row in admitted]


_PLACE = text("""
SELECT p.id, p.room_id, p.customer_id, p.state, p.hold_until,
       (SELECT count(*) FROM waiting_room_places q WHERE q.room_id = p.room_id
            AND q.state = 'waiting' AND q.seq <= p.seq) AS position,
       (SELECT avg(q.ended_at - q.admitted_at) FROM waiting_room_places q
            WHERE q.room_id = p.room_id AND q.state = 'booked'
            AND q.ended_at > :now - interval '1 hour') AS choose_time
FROM waiting_room_places p WHERE p.id = :id
""")


async def place(db: AsyncConnection, place_id: UUID, rules: RoomRules, now: datetime,
                seen: bool = True) -> Place | None:
    """The place with its position and estimated wait; `seen` counts as its holder checking
    in (a waiting place nobody checks on expires)."""
    if seen:
        await db.execute(text("UPDATE waiting_room_places SET last_seen_at = :now WHERE id = :id"
                              " AND state = 'waiting'"), {"id": place_id, "now": now})
    row = (await db.execute(_PLACE, {"id": place_id, "now": now})).first()
    if row is None:
        return None
    state = PlaceState(row.state)
    position = row.position if state is PlaceState.WAITING else 0
    wait = waiting_room.estimated_wait(position, rules, await load(db, row.room_id), now,
                                       row.choose_time)
    return Place(row.id, row.room_id, row.customer_id, state, position, wait, row.hold_until)


async def room_of(db: AsyncConnection, place_id: UUID, customer_id: UUID
                  ) -> tuple[UUID, UUID]:
    """The room and service of this customer's place; NotFound when it is not theirs."""
    found = (await db.execute(text(
        "SELECT r.id, r.service_id FROM waiting_room_places p JOIN waiting_rooms r"
        " ON r.id = p.room_id WHERE p.id = :id AND p.customer_id = :customer"),
        {"id": place_id, "customer": customer_id})).first()
    if found is None:
        raise NotFound("waiting room place", place_id)
    return found.id, found.service_id


async def own_place(db: AsyncConnection, place_id: UUID, customer_id: UUID, rules: RoomRules,
                    now: datetime) -> Place:
    """`place`, when it is this customer's; NotFound otherwise (someone else's is not shown)."""
    found = await place(db, place_id, rules, now)
    if found is None or found.customer_id != customer_id:
        raise NotFound("waiting room place", place_id)
    return found


_END = text("""
UPDATE waiting_room_places SET state = :to, ended_at = :now
WHERE id = :id AND state = ANY(:from_states)
RETURNING id, room_id, customer_id, channel
""")


async def _end(db: AsyncConnection, place_id: UUID, to: PlaceState, from_states: list[str],
               now: datetime) -> bool:
    ended = [dict(r) for r in (await db.execute(
        _END, {"id": place_id, "to": to.value, "from_states": from_states, "now": now}
    )).mappings()]
    await _audit(db, ended, to.value, now)
    return bool(ended)


async def leave(db: AsyncConnection, place_id: UUID, now: datetime) -> bool:
    """The place is given up (socket closed, "leave" pressed); False if it was no longer live."""
    return await _end(db, place_id, PlaceState.LEFT, ["waiting", "admitted"], now)


_START = text("""
UPDATE waiting_room_places p SET state = 'booking'
FROM waiting_rooms r
WHERE r.id = p.room_id AND r.service_id = :service AND r.day = :day
    AND p.customer_id = :customer AND p.state = 'admitted' AND p.hold_until > :now
RETURNING p.id
""")


async def start_booking(db: AsyncConnection, service_id: UUID, day: date, customer_id: UUID,
                        now: datetime) -> UUID | None:
    """The customer's admitted place, now booking; None when they hold no admission there
    (never admitted, expired, or a booking of theirs is already under way)."""
    return (await db.execute(_START, {"service": service_id, "day": day, "now": now,
                                      "customer": customer_id})).scalar_one_or_none()


async def finish_booking(db: AsyncConnection, place_id: UUID, booked: bool, now: datetime
                         ) -> None:
    """Booked: the place is done (one booking per place). Not booked (the time was taken):
    the admission stands until its hold ends, to choose another time."""
    if booked:
        await _end(db, place_id, PlaceState.BOOKED, ["booking"], now)
    else:
        await db.execute(text("UPDATE waiting_room_places SET state = 'admitted' WHERE id = :id"
                              " AND state = 'booking'"), {"id": place_id})


_BUSY = text("""
SELECT r.id FROM waiting_rooms r WHERE r.service_id = :service AND r.day = :day AND (
    r.release_at > :now
    OR EXISTS (SELECT FROM waiting_room_places p WHERE p.room_id = r.id AND p.state = 'waiting')
    OR (SELECT count(*) FROM waiting_room_places p WHERE p.room_id = r.id
            AND p.state IN ('admitted', 'booking')) >= :threshold)
""")


async def busy_room(db: AsyncConnection, service_id: UUID, day: date, rules: RoomRules,
                    now: datetime) -> UUID | None:
    """The room when it is in force (before its release, a queue, or the threshold reached):
    booking that service on that day then needs an admission."""
    return (await db.execute(_BUSY, {"service": service_id, "day": day, "now": now,
                                     "threshold": rules.threshold})).scalar_one_or_none()


_SUMMARY = text("""
SELECT r.id, r.service_id, r.day, r.release_at,
       count(*) FILTER (WHERE p.state = 'waiting') AS waiting,
       count(*) FILTER (WHERE p.state IN ('admitted', 'booking')) AS choosing,
       count(*) FILTER (WHERE p.state = 'booked') AS booked,
       count(*) FILTER (WHERE p.state IN ('left', 'expired')) AS abandoned,
       count(p.id) AS entered
FROM waiting_rooms r LEFT JOIN waiting_room_places p ON p.room_id = r.id
WHERE r.business_id = :business AND r.day >= :since
GROUP BY r.id ORDER BY r.day, r.service_id
""")


async def summaries(db: AsyncConnection, business_id: UUID, since: date) -> list[RoomSummary]:
    """Every room of the business from `since` on, with its places counted by state."""
    rows = await db.execute(_SUMMARY, {"business": business_id, "since": since})
    return [RoomSummary(*row) for row in rows]


_COUNTS = text("""
SELECT e.event, count(DISTINCT e.customer_id) AS people
FROM waiting_room_events e JOIN waiting_rooms r ON r.id = e.room_id
WHERE r.service_id = :service AND e.at >= :start AND e.at < :end
GROUP BY e.event
""")


async def queue_counts(db: AsyncConnection | AsyncSession, service_id: UUID, start: datetime,
                       end: datetime) -> dict[str, int]:
    """Distinct customers per audit event (entered, admitted, booked, left, expired) of the
    service's rooms with `at` in `[start, end)`: the release report's demand and outcome."""
    rows = await db.execute(_COUNTS, {"service": service_id, "start": start, "end": end})
    found = {row.event: row.people for row in rows}
    return {event: found.get(event, 0) for event in ("entered", "admitted", "booked", "left",
                                                     "expired")}
