"""One availability path: what the chat offers (`find_slots`), what the API lists
(`open_slots`) and what booking accepts (`services.book`) agree on outside busy time, live holds
and an appointment being moved. Run on the in-memory unit of work and on PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import UUID

import pytest
from backends import both
from booking_builders import NOW, Salon, ny

from scheduling.availability import AvailabilityQuery
from scheduling.booking import services
from scheduling.booking.commands import HoldSlot
from scheduling.booking.openings import open_slots
from scheduling.desk.slots import SlotSearch, find_slots
from scheduling.errors import SlotUnavailable
from scheduling.occupancy import BusyInterval, StaticBusyTimes
from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.ports import DeskUnitOfWork as DeskPorts
from tests.fakes.uow import FakeUnitOfWork

pytestmark = both
BUSY_AT = ny(3, 12, 10)
"""10:00 on the Friday after NOW, inside Ana's hours, notice and horizon."""
HOUR = timedelta(hours=1)


@pytest.fixture
def busy_uow(request: pytest.FixtureRequest, uow: DeskPorts, salon: Salon) -> DeskPorts:
    """A unit of work on the same data whose outside calendar has Ana busy 10:00-11:00, as
    the composition roots pass Google's source."""
    owner = StaticBusyTimes([BusyInterval(salon.staff("Ana").id, BUSY_AT, BUSY_AT + HOUR)])
    if isinstance(uow, FakeUnitOfWork):
        return FakeUnitOfWork(uow.database, owner)
    return DeskUnitOfWork(request.getfixturevalue("session_factory"), owner)


async def _listed(uow: DeskPorts, salon: Salon, now: datetime = NOW) -> list[datetime]:
    """What `GET /api/v1/availability` lists for a Cut with Ana on that day."""
    day = ny(3, 12, 0)
    query = AvailabilityQuery(salon.service("Cut").id, day, day + timedelta(days=1), now,
                              staff_id=salon.staff("Ana").id)
    async with uow:
        catalog = await uow.catalog.get(salon.id)
        return [s.start for s in await open_slots(uow.appointments, catalog, query)]


async def _offered(uow: DeskPorts, salon: Salon, now: datetime = NOW,
                   customer: UUID | None = None, exclude: tuple[UUID, ...] = ()
                   ) -> list[datetime]:
    """What the chat offers for "a cut with Ana at ten"."""
    search = SlotSearch(salon.id, salon.service("Cut").id, preferred_start=BUSY_AT,
                        preferred_end=BUSY_AT + HOUR, staff_id=salon.staff("Ana").id,
                        customer_id=customer, exclude=exclude)
    return [s.slot.start for s in await find_slots(uow, search, now)]


def _clashes(starts: list[datetime], salon: Salon) -> list[datetime]:
    cut = salon.service("Cut").duration
    return [s for s in starts if s < BUSY_AT + HOUR and BUSY_AT < s + cut]


async def test_outside_busy_time_is_not_offered_listed_or_booked(
    salon: Salon, uow: DeskPorts, busy_uow: DeskPorts,
) -> None:
    assert BUSY_AT in await _listed(uow, salon) and BUSY_AT in await _offered(uow, salon)

    listed, offered = await _listed(busy_uow, salon), await _offered(busy_uow, salon)
    assert listed and offered and not _clashes(listed + offered, salon)
    with pytest.raises(SlotUnavailable):
        await services.book(salon.booking("Cut", BUSY_AT), busy_uow, NOW)


async def test_a_live_hold_is_kept_from_others_until_it_expires(
    salon: Salon, uow: DeskPorts,
) -> None:
    held = await services.hold(HoldSlot(salon.slot("Cut", BUSY_AT), salon.customers[0].id),
                               uow, NOW)
    other = salon.customers[1].id
    assert BUSY_AT not in await _listed(uow, salon)
    assert BUSY_AT not in await _offered(uow, salon, customer=other)

    later = held.expires_at + timedelta(seconds=1)
    assert BUSY_AT in await _listed(uow, salon, later)
    assert BUSY_AT in await _offered(uow, salon, later, customer=other)


async def test_moving_an_appointment_offers_its_own_time_but_not_to_others(
    salon: Salon, uow: DeskPorts,
) -> None:
    booked = (await services.book(salon.booking("Cut", BUSY_AT), uow, NOW)).appointment
    assert BUSY_AT not in await _offered(uow, salon)
    assert BUSY_AT in await _offered(uow, salon, exclude=(booked.id,))
