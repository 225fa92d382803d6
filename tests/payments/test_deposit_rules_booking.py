"""Deposit policies in the booking use cases, on the in-memory fake and on PostgreSQL: the
deposit a booking asks for follows the service's rule and the customer's real history (a
completed visit, a no-show, a late cancellation), and a moved booking keeps its payment."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, build_salon, ny

from scheduling.booking import attendance, changes, payments, services
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor, Appointment, PaymentStatus, Status
from scheduling.booking.payments import MarkPaid, PaidIn
from scheduling.booking.policies import BookingRules
from scheduling.catalog import Catalog
from scheduling.deposit_rules import DepositFor, DepositKind, DepositRule
from scheduling.ports import BookingUnitOfWork

pytestmark = both
LATER = NOW + timedelta(days=2)
"""When the second round of bookings is made: after the first round's visits."""
RETURNING, NO_SHOW, NEWCOMER, LATE = 0, 1, 2, 3
"""The salon's customers by what they did in the first round."""


def _with_rule(rule: DepositRule) -> Salon:
    """The test salon with its Colour (120.00) under `rule`."""
    salon = build_salon()
    catalog = salon.catalog
    colour = replace(salon.service("Colour"), deposit=rule)
    offered = tuple(colour if s.id == colour.id else s for s in catalog.services)
    return replace(salon, catalog=Catalog(catalog.business, catalog.staff, offered))


async def _history(salon: Salon, uow: BookingUnitOfWork) -> None:
    """Customer 0 comes to a cut, customer 1 does not, customer 3 cancels one late;
    customer 2 has never booked."""
    came = (await services.book(salon.booking("Cut", ny(3, 11, 9), RETURNING), uow,
                                NOW)).appointment
    await services.book(salon.booking("Cut", ny(3, 11, 11), NO_SHOW), uow, NOW)
    late = (await services.book(salon.booking("Cut", ny(3, 11, 14), LATE), uow, NOW)).appointment
    await attendance.check_in(came.id, uow, ny(3, 11, 9))
    cancelled = await changes.cancel(CancelAppointment(late.id, Actor.CUSTOMER), uow,
                                     ny(3, 11, 8))
    assert cancelled.appointment.status is Status.LATE_CANCEL
    closed = await attendance.close_past(uow, ny(3, 12, 8))
    assert len(closed.completed) == 1 and len(closed.no_show) == 1


async def _colour_for(salon: Salon, uow: BookingUnitOfWork, customer: int) -> Appointment:
    start = ny(3, 15, 9) + timedelta(hours=2 * customer)
    return (await services.book(salon.booking("Colour", start, customer), uow,
                                LATER)).appointment


@pytest.mark.parametrize(("rule", "owed"), [
    # a no-show or a late cancellation is not a visit: they are still first-timers
    (DepositRule(DepositKind.PERCENT, Decimal("20"), DepositFor.FIRST_TIME),
     ["0", "24.00", "24.00", "24.00"]),
    (DepositRule(DepositKind.FIXED, Decimal("30.00"), DepositFor.MISSED),
     ["0", "30.00", "0", "30.00"]),
    (DepositRule(DepositKind.PERCENT, Decimal("12.5"), DepositFor.FIRST_TIME_OR_MISSED),
     ["0", "15.00", "15.00", "15.00"]),
], ids=["first-time", "missed", "either"])
async def test_the_deposit_each_customer_is_asked_follows_their_history(
    uow: BookingUnitOfWork, backend: Backend, rule: DepositRule, owed: list[str]
) -> None:
    """Customers in order: came to a cut, did not come, never booked, cancelled late."""
    salon = _with_rule(rule)
    await backend.seed(salon)
    await _history(salon, uow)
    booked = [await _colour_for(salon, uow, who) for who in range(4)]
    assert [b.payment.amount if b.payment.required else Decimal(0) for b in booked] == \
        [Decimal(n) for n in owed]
    assert [b.payment.required for b in booked] == [n != "0" for n in owed]


async def test_a_percentage_for_everyone_is_rounded_to_the_cent(
    uow: BookingUnitOfWork, backend: Backend
) -> None:
    salon = _with_rule(DepositRule(DepositKind.PERCENT, Decimal("33.33")))
    await backend.seed(salon)
    booked = await _colour_for(salon, uow, NEWCOMER)
    assert booked.payment.required and booked.payment.amount == Decimal("40.00")  # 39.996


async def _paid_online(salon: Salon, uow: BookingUnitOfWork, backend: Backend) -> Appointment:
    await backend.set_rules(salon.id, BookingRules(deposits_online=True))
    pending = (await services.book(salon.booking("Colour", ny(3, 15, 10)), uow,
                                   NOW)).appointment
    cmd = MarkPaid(pending.id, PaidIn.ONLINE, "pi_moved", Decimal("30.00"))
    return (await payments.mark_paid(cmd, uow, NOW, Actor.SYSTEM)).appointment


@pytest.mark.parametrize("by", [Actor.CUSTOMER, Actor.OWNER])
async def test_a_moved_booking_keeps_its_paid_deposit(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend, by: Actor
) -> None:
    """Chat, the manage page and the API move as the customer, the desk as the owner: the
    new time is paid, with the amount and the provider's reference, and confirmed."""
    paid = await _paid_online(salon, uow, backend)
    assert paid.payment.status is PaymentStatus.PAID and paid.status is Status.CONFIRMED
    moved = await changes.reschedule(RescheduleAppointment(paid.id, ny(3, 16, 10), by), uow,
                                     NOW)
    assert moved.new.payment == paid.payment
    assert moved.new.status is Status.CONFIRMED and payments.owed(moved.new) == 0
    async with uow:
        stored = await uow.appointments.get(moved.new.id)
    assert stored.payment == paid.payment
    assert stored.payment.reference == "pi_moved" and stored.payment.amount == Decimal("30.00")
    keys = await backend.outbox(moved.new.id)
    assert not any(k.startswith("pending_payment") for k in keys)  # nothing to pay again


async def test_a_moved_booking_keeps_the_deposit_agreed_though_the_customer_now_qualifies_for_none(
    uow: BookingUnitOfWork, backend: Backend
) -> None:
    """The deposit was agreed when booking: a move neither drops nor recomputes it. Here a
    first-timer books a colour under a first-time rule, comes to a cut before it (no longer a
    first-timer), then moves the colour: the deposit is still owed at the salon."""
    salon = _with_rule(DepositRule(DepositKind.FIXED, Decimal("30.00"), DepositFor.FIRST_TIME))
    await backend.seed(salon)
    colour = (await services.book(salon.booking("Colour", ny(3, 15, 10), NEWCOMER), uow,
                                  NOW)).appointment
    cut = (await services.book(salon.booking("Cut", ny(3, 11, 9), NEWCOMER), uow,
                               NOW)).appointment
    assert payments.owed(colour) == Decimal("30.00") and payments.at_salon(colour)
    await attendance.check_in(cut.id, uow, ny(3, 11, 9))
    assert (await attendance.close_past(uow, ny(3, 12, 8))).completed == (cut.id,)
    moved = await changes.reschedule(RescheduleAppointment(colour.id, ny(3, 17, 10)), uow,
                                     LATER)
    assert moved.new.payment == colour.payment and payments.at_salon(moved.new)
    assert payments.owed(moved.new) == Decimal("30.00")
    paid = await payments.mark_paid(MarkPaid(moved.new.id, PaidIn.CARD), uow, LATER)
    assert paid.appointment.payment.status is PaymentStatus.PAID
