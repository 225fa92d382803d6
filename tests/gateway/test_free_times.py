"""The free times the pages show: the demo salon's week through the one availability path
(bookings, live holds, outside busy time), grouped by local day and worded by Babel. On the
in-memory unit of work; the booking page's tests run the same module on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from assistant.gateway.free_times import FreeDay, FreeWeek, Search, free_day, free_week, worded
from scheduling.availability import Slot
from scheduling.booking import services
from scheduling.booking.commands import BookAppointment, HoldSlot, SlotChoice
from scheduling.catalog import Catalog, Customer
from scheduling.demo import demo_catalog, demo_id
from scheduling.errors import InvalidRequest
from scheduling.occupancy import BusyInterval, StaticBusyTimes
from tests.fakes.uow import FakeDatabase, FakeUnitOfWork

NY = ZoneInfo("America/New_York")
NOW = datetime(2027, 3, 10, 12, 0, tzinfo=UTC)
"""Wednesday 10 March 2027, 7 AM in New York; clocks go forward on Sunday the 14th."""
CUT = demo_id("service/Women's cut")
ANA = demo_id("staff/ana")
THURSDAY_TEN = datetime(2027, 3, 11, 10, 0, tzinfo=NY)
CUSTOMER = Customer(uuid4(), "Dana", "+15550001111")


@pytest.fixture
def catalog() -> Catalog:
    return demo_catalog()


@pytest.fixture
def database(catalog: Catalog) -> FakeDatabase:
    found = FakeDatabase()
    found.add_catalog(catalog, [CUSTOMER])
    return found


async def _week(database: FakeDatabase, catalog: Catalog, search: Search,
                first: date | None = None, busy: StaticBusyTimes | None = None) -> FreeWeek:
    async with FakeUnitOfWork(database, busy) as work:
        return await free_week(work.appointments, catalog, search, first, NOW)


async def _day(database: FakeDatabase, catalog: Catalog, search: Search, day: date,
               busy: StaticBusyTimes | None = None) -> FreeDay:
    async with FakeUnitOfWork(database, busy) as work:
        return await free_day(work.appointments, catalog, search, day, NOW)


async def test_a_week_is_seven_local_days_worded_in_the_shops_zone(
    database: FakeDatabase, catalog: Catalog,
) -> None:
    week = await _week(database, catalog, Search(CUT))

    assert [d.day for d in week.days] == [date(2027, 3, 10) + timedelta(days=n) for n in range(7)]
    assert [d.label for d in week.days[:3]] == ["today", "tomorrow", "Friday, March 12"]
    assert week.time_zone == "America/New_York" and week.previous is None
    assert week.next == date(2027, 3, 17)
    sunday = week.days[4]
    assert sunday.day.weekday() == 6 and sunday.times == ()  # the salon is closed
    today = week.days[0].times
    assert today[0].start == datetime(2027, 3, 10, 9, 0, tzinfo=NY)  # notice: 8 AM + 1 h
    assert (today[0].clock, today[0].when) == ("9 AM", "today at 9 AM")
    monday = week.days[5].times  # after the change to daylight time: still 10 AM local
    assert monday[0].start == datetime(2027, 3, 15, 10, 0, tzinfo=NY)
    assert monday[0].when == "Monday, March 15 at 10 AM"
    for day in week.days:
        assert all(t.start.astimezone(NY).date() == day.day for t in day.times)


async def test_a_booking_hides_its_staff_members_time_but_not_anyones(
    database: FakeDatabase, catalog: Catalog,
) -> None:
    choice = SlotChoice(catalog.business.id, CUT, THURSDAY_TEN, ANA)
    await services.book(BookAppointment(choice, CUSTOMER.id, "k1"), FakeUnitOfWork(database), NOW)

    with_ana = await _day(database, catalog, Search(CUT, ANA), date(2027, 3, 11))
    anyone = await _day(database, catalog, Search(CUT), date(2027, 3, 11))

    assert THURSDAY_TEN not in [t.start for t in with_ana.times]
    at_ten = next(t for t in anyone.times if t.start == THURSDAY_TEN)
    assert ANA not in at_ten.staff_ids and at_ten.staff_ids


async def test_a_live_hold_and_google_busy_time_are_not_free(
    database: FakeDatabase, catalog: Catalog,
) -> None:
    await services.hold(HoldSlot(SlotChoice(catalog.business.id, CUT, THURSDAY_TEN, ANA)),
                        FakeUnitOfWork(database), NOW)
    noon = datetime(2027, 3, 11, 14, 0, tzinfo=NY)
    busy = StaticBusyTimes([BusyInterval(ANA, noon, noon + timedelta(hours=1))])

    shown = [t.start for t in (await _day(database, catalog, Search(CUT, ANA),
                                          date(2027, 3, 11), busy)).times]

    assert THURSDAY_TEN not in shown and noon not in shown
    assert datetime(2027, 3, 11, 15, 0, tzinfo=NY) in shown


async def test_the_customers_zone_regroups_and_rewords(
    database: FakeDatabase, catalog: Catalog,
) -> None:
    week = await _week(database, catalog, Search(CUT, time_zone="Asia/Tokyo"))

    assert week.time_zone == "Asia/Tokyo" and week.days[0].day == date(2027, 3, 10)
    tokyo = ZoneInfo("Asia/Tokyo")
    first = week.days[0].times[0]  # 9 AM in New York is 11 PM in Tokyo
    assert first.start.astimezone(tokyo).hour == 23 and first.clock == "11 PM"
    assert week.days[1].times[0].start.astimezone(NY).date() == date(2027, 3, 10)


async def test_weeks_page_within_the_services_horizon(
    database: FakeDatabase, catalog: Catalog,
) -> None:
    later = await _week(database, catalog, Search(CUT), date(2027, 3, 13))
    assert later.previous == date(2027, 3, 10) and later.next == date(2027, 3, 20)

    last = date(2027, 3, 10) + timedelta(days=60)  # Women's cut: 60 days ahead
    end = await _week(database, catalog, Search(CUT), last)
    assert end.next is None and not any(d.times for d in end.days[1:])


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(2027, 3, 9), date(1, 1, 1),
                                 date(2027, 5, 10)])
async def test_a_day_outside_the_bookable_range_is_a_clear_refusal(
    database: FakeDatabase, catalog: Catalog, day: date,
) -> None:
    with pytest.raises(InvalidRequest, match="choose a date from Wednesday, March 10 to "
                                             "Sunday, May 9") as refused:
        await _week(database, catalog, Search(CUT), day)
    assert refused.value.field == "date"


async def test_an_unknown_zone_is_refused(database: FakeDatabase, catalog: Catalog) -> None:
    with pytest.raises(InvalidRequest):
        await _week(database, catalog, Search(CUT, time_zone="Mars/Olympus"))


def test_alternatives_are_worded_once_per_start(catalog: Catalog) -> None:
    """A start open at two locations (or found twice) is one choice with everyone who can."""
    end = THURSDAY_TEN + timedelta(minutes=45)
    marcus, elsewhere = demo_id("staff/marcus"), uuid4()
    slots = [Slot(THURSDAY_TEN, end, CUT, catalog.business.locations[0].id, (ANA,), 1),
             Slot(THURSDAY_TEN, end, CUT, elsewhere, (marcus, ANA), 1)]

    found = worded(slots, catalog, Search(CUT), NOW)

    assert [(t.start, t.staff_ids, t.when) for t in found] == [
        (THURSDAY_TEN, (ANA, marcus), "tomorrow at 10 AM")]
