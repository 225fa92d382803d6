"""`AppointmentsPort.contact_record`, read straight from the repository on the fake and on
PostgreSQL (where it is one driver statement for a phone, an e-mail or both): what each window
counts, that holds are left out, that e-mail is matched whatever its case, and the blocklist."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from backends import Backend, both
from booking_builders import NOW, Salon, ny

from scheduling.booking import services
from scheduling.booking.commands import HoldSlot
from scheduling.booking.model import Contact
from scheduling.booking.values import ContactRecord
from scheduling.ports import DeskUnitOfWork

pytestmark = both
DAY, WEEK = timedelta(days=1), timedelta(days=7)


async def _record(uow: DeskUnitOfWork, salon: Salon, phone: str | None,
                  email: str | None) -> ContactRecord:
    async with uow:
        return await uow.appointments.contact_record(salon.id, phone, email,
                                                     [NOW - DAY, NOW - WEEK])


async def test_each_window_counts_bookings_by_phone_or_email_and_not_holds(
    salon: Salon, uow: DeskUnitOfWork, backend: Backend,
) -> None:
    phone = salon.customers[0].phone
    await services.book(salon.booking("Cut", ny(3, 11, 9)), uow, NOW - 3 * DAY)
    await services.book(salon.booking("Cut", ny(3, 11, 10)), uow, NOW)
    await services.hold(HoldSlot(salon.slot("Cut", ny(3, 11, 14)), salon.customers[0].id),
                        uow, NOW)
    mixed = replace(salon.booking("Cut", ny(3, 11, 11), customer=2),
                    contact=Contact("Eve", None, "Eve.Stone@Example.com"))
    await services.book(mixed, uow, NOW)

    assert await _record(uow, salon, phone, None) == ContactRecord((1, 2), False)
    assert await _record(uow, salon, None, "eve.stone@EXAMPLE.com") == ContactRecord((1, 1),
                                                                                      False)
    assert await _record(uow, salon, phone, "eve.stone@example.com") == ContactRecord((2, 3),
                                                                                      False)
    assert await _record(uow, salon, "+15550000000", None) == ContactRecord((0, 0), False)
    assert await _record(uow, salon, None, None) == ContactRecord((0, 0), False)

    await backend.block(salon.customers[0].id)
    assert (await _record(uow, salon, None, "x@example.com")).blocked is False
    assert (await _record(uow, salon, phone, "x@example.com")).blocked is True
