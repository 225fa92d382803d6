"""The owner's caps on hoarding: new bookings per phone or e-mail per day and per week, and
live holds per customer. Before them one client booked a whole day under made-up names (22
bookings in 2.8 s); these tests failed then (nothing refused the fifth booking or third hold).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, ny

from scheduling.booking import changes, services
from scheduling.booking.commands import BookAppointment, CancelAppointment, HoldSlot
from scheduling.booking.model import Actor, Channel, Contact
from scheduling.desk import customers
from scheduling.errors import PolicyViolation
from scheduling.ports import DeskUnitOfWork

pytestmark = both
HOURS = (9, 10, 11, 14, 15, 16)


async def test_a_fifth_booking_in_a_day_with_one_phone_is_refused_on_any_profile(
    salon: Salon, uow: DeskUnitOfWork
) -> None:
    for hour in HOURS[:4]:
        await services.book(salon.booking("Cut", ny(3, 11, hour)), uow, NOW)
    phone = salon.customers[0].phone
    # the same phone with other details lands on a new profile: the cap still counts it
    other = replace(salon.booking("Cut", ny(3, 11, HOURS[4])), customer_id=None,
                    contact=Contact("Someone Else", phone, "else@example.com"))
    with pytest.raises(PolicyViolation) as refused:
        await customers.book_for(other, customers.ANONYMOUS, uow, NOW)
    assert refused.value.policy == "bookings_per_contact"
    # the owner booking at the front desk is not capped
    owner = salon.booking("Cut", ny(3, 11, HOURS[5]), channel=Channel.ADMIN)
    assert (await services.book(owner, uow, NOW)).appointment.customer_id is not None


async def test_the_weekly_cap_counts_cancelled_bookings_too(
    salon: Salon, uow: DeskUnitOfWork
) -> None:
    made = 0
    for days_ago in (6, 4, 2):  # three a day, on three days of the past week
        then = NOW - timedelta(days=days_ago)
        for hour in HOURS[:3]:
            start = ny(3, 11 + made // 3, hour)
            booked = await services.book(salon.booking("Cut", start), uow, then)
            await changes.cancel(CancelAppointment(booked.appointment.id, Actor.CUSTOMER), uow,
                                 then)
            made += 1
    await services.book(salon.booking("Cut", ny(3, 15, 9)), uow, NOW)  # the 10th
    with pytest.raises(PolicyViolation) as refused:
        await services.book(salon.booking("Cut", ny(3, 15, 10)), uow, NOW)
    assert made == 9 and refused.value.details["per"] == "week"


async def test_a_third_live_hold_is_refused(
    salon: Salon, uow: DeskUnitOfWork
) -> None:
    customer = salon.customers[1].id
    for hour in HOURS[:2]:
        await services.hold(HoldSlot(salon.slot("Cut", ny(3, 12, hour)), customer), uow, NOW)
    with pytest.raises(PolicyViolation) as refused:
        await services.hold(HoldSlot(salon.slot("Cut", ny(3, 12, HOURS[2])), customer), uow,
                            NOW)
    assert refused.value.policy == "live_holds"


async def test_a_blocked_customer_is_refused_under_another_name(
    salon: Salon, uow: DeskUnitOfWork, backend: Backend
) -> None:
    """Details that differ from the blocked profile's (another e-mail) put the request on a
    fresh profile, which no block names: before, it was booked."""
    def booking(hour: int, contact: Contact) -> BookAppointment:
        return replace(salon.booking("Cut", ny(3, 11, hour)), customer_id=None, contact=contact)

    eve = Contact("Eve Stone", "+15550007001", "eve@example.com")
    first = await customers.book_for(booking(9, eve), customers.ANONYMOUS, uow, NOW)
    await backend.block(first.appointment.customer_id)
    for alias in (Contact("Not Me", eve.phone, "someone@example.com"),
                  Contact("Not Me", None, "EVE@example.com")):
        with pytest.raises(PolicyViolation) as refused:
            await customers.book_for(booking(10, alias), customers.ANONYMOUS, uow, NOW)
        assert refused.value.policy == "customer_blocked"
    stranger = Contact("A Stranger", "+15550007777", None)
    assert (await customers.book_for(booking(10, stranger), customers.ANONYMOUS, uow, NOW)
            ).appointment.customer_id != first.appointment.customer_id
