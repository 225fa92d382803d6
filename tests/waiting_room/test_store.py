"""The waiting room on PostgreSQL: order, holds that run out, customers who leave, one place
per customer, and two gateway replicas (two engines) admitting from one queue at once."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from scheduling.persistence import waiting_room_store as store
from scheduling.persistence.database import make_engine
from scheduling.waiting_room import PlaceState, RoomRules

pytestmark = pytest.mark.db

NOW = datetime(2027, 3, 7, 18, 0, tzinfo=UTC)
DAY = date(2027, 3, 8)
RULES = RoomRules(threshold=2, admit_at_once=2, hold=timedelta(minutes=5),
                  patience=timedelta(seconds=30))


async def _room(engine: AsyncEngine) -> UUID:
    async with engine.begin() as db:
        return await store.room_for(db, uuid.uuid4(), uuid.uuid4(), DAY, NOW)


async def _enter(engine: AsyncEngine, room: UUID, count: int) -> list[UUID]:
    places = []
    for i in range(count):
        async with engine.begin() as db:
            place, _ = await store.enter(db, room, uuid.uuid4(), "web", None,
                                         NOW + timedelta(seconds=i))
            places.append(place)
    return places


async def _round(engine: AsyncEngine, room: UUID, now: datetime, rules: RoomRules = RULES
                 ) -> list[UUID]:
    async with engine.begin() as db:
        return await store.admission_round(db, room, rules, now)


async def _state(engine: AsyncEngine, place: UUID, now: datetime) -> store.Place:
    async with engine.begin() as db:
        found = await store.place(db, place, RULES, now, seen=False)
    assert found is not None
    return found


async def _events(engine: AsyncEngine, room: UUID) -> list[tuple[UUID, str]]:
    async with engine.connect() as db:
        rows = await db.execute(text("SELECT place_id, event FROM waiting_room_events"
                                     " WHERE room_id = :r ORDER BY id"), {"r": room})
        return [(r.place_id, r.event) for r in rows]


async def test_places_are_admitted_in_the_order_they_entered(engine: AsyncEngine,
                                                            clean_tables: None) -> None:
    room = await _room(engine)
    places = await _enter(engine, room, 5)
    later = NOW + timedelta(seconds=10)
    assert await _round(engine, room, later) == places[:2]
    assert [(await _state(engine, p, later)).position for p in places] == [0, 0, 1, 2, 3]
    assert await _round(engine, room, later) == []  # the threshold is full
    async with engine.begin() as db:
        booking = await store.start_booking(db, uuid.uuid4(), DAY, uuid.uuid4(), later)
        assert booking is None  # no admission in another room
        load = await store.load(db, room)
    assert (load.choosing, load.waiting) == (2, 3)
    for place in places[:2]:
        customer = (await _state(engine, place, later)).customer_id
        async with engine.begin() as db:
            service = await db.scalar(text("SELECT service_id FROM waiting_rooms WHERE id = :r"),
                                      {"r": room})
            started = await store.start_booking(db, service, DAY, customer, later)
            assert started == place
            again = await store.start_booking(db, service, DAY, customer, later)
            assert again is None  # one booking at a time per admission
            await store.finish_booking(db, place, True, later)
    assert await _round(engine, room, later) == places[2:4]
    entered = [p for p, event in await _events(engine, room) if event == "entered"]
    admitted = [p for p, event in await _events(engine, room) if event == "admitted"]
    assert entered == places and admitted == places[:4]


async def test_an_unused_hold_runs_out_and_the_next_place_moves_up(engine: AsyncEngine,
                                                                  clean_tables: None) -> None:
    room = await _room(engine)
    places = await _enter(engine, room, 3)
    await _round(engine, room, NOW + timedelta(seconds=5))
    for place in places:  # the third keeps checking in while it waits
        async with engine.begin() as db:
            await store.place(db, place, RULES, NOW + timedelta(minutes=5), seen=True)
    just_before = NOW + timedelta(seconds=5) + RULES.hold - timedelta(seconds=1)
    assert await _round(engine, room, just_before) == []
    after = NOW + timedelta(seconds=5) + RULES.hold
    assert await _round(engine, room, after) == places[2:]
    assert (await _state(engine, places[0], after)).state is PlaceState.EXPIRED
    assert (places[0], "expired") in await _events(engine, room)


async def test_a_customer_who_leaves_or_stops_checking_loses_the_place(
        engine: AsyncEngine, clean_tables: None) -> None:
    room = await _room(engine)
    places = await _enter(engine, room, 6)
    await _round(engine, room, NOW + timedelta(seconds=6))  # the first two choose
    async with engine.begin() as db:
        assert await store.leave(db, places[2], NOW + timedelta(seconds=7))
        assert not await store.leave(db, places[2], NOW + timedelta(seconds=8))
    assert (await _state(engine, places[3], NOW)).position == 1
    for place in places[3:5]:  # the last one stops checking in
        async with engine.begin() as db:
            await store.place(db, place, RULES, NOW + timedelta(seconds=40))
    await _round(engine, room, NOW + timedelta(seconds=41))
    assert (await _state(engine, places[5], NOW)).state is PlaceState.EXPIRED
    assert (await _state(engine, places[4], NOW)).position == 2


async def test_one_customer_has_one_place_until_it_ends(engine: AsyncEngine,
                                                        clean_tables: None) -> None:
    room, customer = await _room(engine), uuid.uuid4()

    async def enter_once() -> tuple[UUID, bool]:
        async with engine.begin() as db:
            return await store.enter(db, room, customer, "web", "10.0.0.1", NOW)

    taken = await asyncio.gather(*(enter_once() for _ in range(8)))
    assert len({place for place, _ in taken}) == 1
    assert sum(new for _, new in taken) == 1
    async with engine.begin() as db:
        await store.leave(db, taken[0][0], NOW)
    back, new = await enter_once()
    assert new and back != taken[0][0]  # back in the room, at the back of the queue


@pytest.fixture
async def second_replica(database_url: str) -> AsyncIterator[AsyncEngine]:
    other = make_engine(database_url, pool_size=20, max_overflow=10)
    yield other
    await other.dispose()


async def test_two_replicas_admitting_at_once_admit_each_place_once_and_in_order(
        engine: AsyncEngine, second_replica: AsyncEngine, clean_tables: None) -> None:
    room = await _room(engine)
    places = await _enter(engine, room, 40)
    rules = RoomRules(threshold=10, admit_at_once=4)
    barrier = asyncio.Barrier(30)

    async def admit(replica: AsyncEngine) -> list[UUID]:
        async with replica.begin() as db:
            await barrier.wait()
            return await store.admission_round(db, room, rules, NOW + timedelta(minutes=1))

    rounds = await asyncio.gather(*(admit(engine if i % 2 else second_replica)
                                    for i in range(30)))
    admitted = [place for found in rounds for place in found]
    assert len(admitted) == len(set(admitted)) <= 4  # only one round held the lock
    for _ in range(6):  # rounds that follow one another fill the threshold, no further
        await asyncio.gather(*(_round(e, room, NOW + timedelta(minutes=1), rules)
                               for e in (engine, second_replica)))
    events = await _events(engine, room)
    admitted = [place for place, event in events if event == "admitted"]
    assert admitted == places[:10]
