"""A change that leaves upcoming appointments outside working time lists them; notifying
cancels each by the owner, which offers the customer new times."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from scheduling.booking import services
from scheduling.booking.model import Appointment, Status
from scheduling.desk.setup.business import SaveLocation, save_location
from scheduling.desk.setup.rebook import notify
from scheduling.desk.setup.staff import AddTimeOff, SaveStaff, add_time_off, save_staff
from scheduling.hours import Closure, TimeOff, WeeklyHours
from scheduling.ports import SetupUnitOfWork
from tests.booking.booking_builders import DAYS, NOW, Salon, ny
from tests.setup.backends import Payloads, both

pytestmark = both


async def _book(salon: Salon, uow: SetupUnitOfWork, start_hour: int, customer: int = 0
                ) -> Appointment:
    command = salon.booking("Cut", ny(3, 12, start_hour), customer=customer)
    return (await services.book(command, uow, NOW)).appointment


async def test_shortened_hours_strand_the_afternoon_and_notify_offers_new_times(
    salon: Salon, uow: SetupUnitOfWork, payloads: Payloads
) -> None:
    morning, afternoon = await _book(salon, uow, 10), await _book(salon, uow, 15, customer=1)
    ana = salon.staff("Ana")
    short = replace(ana, weekly_hours=WeeklyHours.of(dict.fromkeys(DAYS, ["09:00-12:00"])))
    changed = await save_staff(SaveStaff(salon.id, short), uow, NOW)
    assert [a.id for a in changed.stranded] == [afternoon.id]
    assert await notify(changed.stranded, uow, NOW) == [afternoon.id]
    assert await notify(changed.stranded, uow, NOW) == []  # a second click: already done
    async with uow:
        gone = await uow.appointments.get(afternoon.id)
        kept = await uow.appointments.get(morning.id)
    assert gone.status is Status.CANCELLED and kept.status is Status.CONFIRMED
    sent = await payloads("cancellation")
    assert [(p["appointment_id"], p["offer_new_times"]) for p in sent] == [
        (str(afternoon.id), True)]


async def test_a_blocked_day_or_a_closure_strands_that_day_only(
    salon: Salon, uow: SetupUnitOfWork
) -> None:
    booked = await _book(salon, uow, 10)
    off = TimeOff(ny(3, 12, 0), ny(3, 13, 0), "blocked")
    changed = await add_time_off(AddTimeOff(salon.id, salon.staff("Ana").id, off), uow, NOW)
    assert [a.id for a in changed.stranded] == [booked.id]
    main = salon.catalog.business.locations[0]
    closed = replace(main, closures=(Closure(date(2027, 3, 12), date(2027, 3, 12), "floods"),))
    again = await save_location(SaveLocation(salon.id, closed), uow, NOW)
    assert again.stranded == ()  # already outside Ana's time: not listed twice

