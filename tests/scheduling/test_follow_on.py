"""A second service straight after the first ("a men's cut and a beard trim"), on the in-memory
unit of work with the demo salon."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.model import Contact
from scheduling.demo import demo_catalog, demo_id
from scheduling.desk import customers
from scheduling.desk.follow_on import FirstPart, able_for_all, follow_on, staff_for
from tests.fakes.uow import FakeDatabase, FakeUnitOfWork

NY = ZoneInfo("America/New_York")
NOW = datetime(2027, 3, 1, 8, 0, tzinfo=NY)  # a Monday
TUESDAY = datetime(2027, 3, 2, tzinfo=NY)
CATALOG = demo_catalog()
MENS, BEARD = demo_id("service/Men's cut"), demo_id("service/Beard trim")
COLOUR, BLOW_DRY = demo_id("service/Colour"), demo_id("service/Blow-dry")
ANA, MARCUS = demo_id("staff/ana"), demo_id("staff/marcus")


def uow() -> FakeUnitOfWork:
    database = FakeDatabase()
    database.add_catalog(CATALOG)
    return FakeUnitOfWork(database)


def at(hour: int, minute: int = 0) -> datetime:
    return TUESDAY.replace(hour=hour, minute=minute)


async def after(work: FakeUnitOfWork, service: object, start: datetime, staff: object,
                second: object) -> tuple[datetime, object] | None:
    first = FirstPart(service, start, staff)  # type: ignore[arg-type]
    slot = await follow_on(work, CATALOG.business.id, first, second, NOW)  # type: ignore[arg-type]
    return (slot.start, staff_for(slot, first)) if slot else None


async def test_the_second_starts_when_the_first_ends_with_the_same_person() -> None:
    assert await after(uow(), MENS, at(10), MARCUS, BEARD) == (at(10, 30), MARCUS)


async def test_the_first_buffer_after_is_kept_clear() -> None:
    # Colour: 90 minutes and 15 minutes to clean up after, so the blow-dry starts at 11:45.
    assert await after(uow(), COLOUR, at(10), ANA, BLOW_DRY) == (at(11, 45), ANA)


async def test_someone_else_takes_it_when_the_person_does_not_do_that_service() -> None:
    found = await after(uow(), MENS, at(10), ANA, BEARD)  # Ana does no barbering
    assert found is not None and found[0] == at(10, 30) and found[1] != ANA


async def test_a_booked_moment_moves_it_to_the_next_free_start_or_nowhere() -> None:
    work = uow()
    slot = SlotChoice(CATALOG.business.id, BEARD, at(10, 30), MARCUS)
    contact = Contact("Someone Else", "+17185550142", None)
    await customers.book_for(BookAppointment(slot, None, "taken", contact=contact),
                             customers.ANONYMOUS, work, NOW)
    # Marcus is the only barber on Tuesdays: his next free start, 10:50
    assert await after(work, MENS, at(10), MARCUS, BEARD) == (at(10, 50), MARCUS)
    assert await after(work, MENS, at(17, 30), MARCUS, BEARD) is None  # he stops at 6


def test_who_can_do_them_all() -> None:
    assert set(able_for_all(CATALOG, [MENS, BEARD])) == {MARCUS, demo_id("staff/priya")}
    assert set(able_for_all(CATALOG, [COLOUR, BLOW_DRY])) == {ANA, demo_id("staff/priya")}
