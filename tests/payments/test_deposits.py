"""Deposits at the salon and paid online, on the in-memory fake and on PostgreSQL: what a
booking owes, the owner marking it paid, a payment recorded once, and nothing cancelled for
non-payment when the salon takes the deposit."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, ny

from scheduling.booking import attendance, changes, payments, services
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, PaymentStatus, Status
from scheduling.booking.payments import MarkPaid, Outcome, PaidIn
from scheduling.booking.policies import BookingRules
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork

pytestmark = both
ONLINE = BookingRules(deposits_online=True)


async def _colour(salon: Salon, uow: BookingUnitOfWork, day: int = 12):
    return (await services.book(salon.booking("Colour", ny(3, day, 10)), uow, NOW)).appointment


async def test_at_the_salon_the_booking_is_confirmed_and_owes_the_deposit(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    booked = await _colour(salon, uow)
    assert booked.status is Status.CONFIRMED and booked.payment.status is PaymentStatus.PENDING
    assert payments.owed(booked) == Decimal("30.00") and payments.at_salon(booked)
    assert not payments.awaiting_online(booked)
    keys = await backend.outbox(booked.id)
    assert not any(k.startswith("pending_payment") for k in keys)
    assert keys[f"confirmation:{booked.id}:confirmed"] == "pending"
    assert (await attendance.expire_unpaid(uow, NOW + timedelta(days=2))).expired == ()
    async with uow:
        assert (await uow.appointments.get(booked.id)).status is Status.CONFIRMED


async def test_approval_pending_deposit_at_the_salon_is_not_cancelled_as_unpaid(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(require_approval=True))
    booked = await _colour(salon, uow)
    assert booked.status is Status.PENDING and payments.owed(booked) == Decimal("30.00")
    assert (await attendance.expire_unpaid(uow, NOW + timedelta(days=2))).expired == ()


async def test_owner_marks_it_paid_once_with_an_audit_entry(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    booked = await _colour(salon, uow)
    first = await payments.mark_paid(MarkPaid(booked.id, PaidIn.CASH), uow, NOW)
    assert first.outcome is Outcome.PAID
    assert first.appointment.status is Status.CONFIRMED
    assert first.appointment.payment.status is PaymentStatus.PAID
    assert first.appointment.payment.reference == "in person (cash)"
    again = await payments.mark_paid(MarkPaid(booked.id, PaidIn.CARD), uow, NOW)
    assert again.outcome is Outcome.ALREADY_PAID
    assert again.appointment.payment.reference == "in person (cash)"
    async with uow:
        history = await uow.appointments.history(booked.id)
    assert [e.reason for e in history].count("deposit paid at the salon (cash)") == 1
    assert payments.owed(again.appointment) == 0


async def test_paid_online_confirms_the_pending_booking_and_queues_its_confirmation(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, ONLINE)
    pending = await _colour(salon, uow)
    assert pending.status is Status.PENDING and payments.awaiting_online(pending)
    cmd = MarkPaid(pending.id, PaidIn.ONLINE, "pi_123", Decimal("30.00"))
    done = await payments.mark_paid(cmd, uow, NOW + timedelta(minutes=5), Actor.SYSTEM)
    assert done.appointment.status is Status.CONFIRMED
    assert done.appointment.payment.reference == "pi_123"
    keys = await backend.outbox(pending.id)
    assert keys[f"confirmation:{pending.id}:confirmed"] == "pending"
    assert keys[f"pending_payment:{pending.id}:pending"] == "cancelled"
    replay = await payments.mark_paid(cmd, uow, NOW + timedelta(minutes=6), Actor.SYSTEM)
    assert replay.outcome is Outcome.ALREADY_PAID
    assert (await attendance.expire_unpaid(uow, NOW + timedelta(hours=1))).expired == ()


async def test_paid_online_waits_for_the_owners_approval(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(require_approval=True, deposits_online=True))
    pending = await _colour(salon, uow)
    cmd = MarkPaid(pending.id, PaidIn.ONLINE, "pi_5", Decimal("30.00"))
    done = await payments.mark_paid(cmd, uow, NOW, Actor.SYSTEM)
    assert done.appointment.status is Status.PENDING
    assert done.appointment.payment.status is PaymentStatus.PAID


async def test_money_after_the_booking_was_released_is_too_late(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, ONLINE)
    pending = await _colour(salon, uow)
    assert (await attendance.expire_unpaid(uow, NOW + timedelta(hours=1))).expired == (
        pending.id,)
    late = MarkPaid(pending.id, PaidIn.ONLINE, "pi_7", Decimal("30.00"))
    result = await payments.mark_paid(late, uow, NOW + timedelta(hours=1), Actor.SYSTEM)
    assert result.outcome is Outcome.TOO_LATE
    assert result.appointment.payment.status is PaymentStatus.PENDING
    with pytest.raises(InvalidRequest, match="cancelled appointment cannot be marked paid"):
        await payments.mark_paid(MarkPaid(pending.id, PaidIn.CASH), uow, NOW)


async def test_refusals(salon: Salon, uow: BookingUnitOfWork, backend: Backend) -> None:
    cut = (await services.book(salon.booking("Cut", ny(3, 12, 14)), uow, NOW)).appointment
    with pytest.raises(InvalidRequest, match="no deposit"):
        await payments.mark_paid(MarkPaid(cut.id, PaidIn.CASH), uow, NOW)
    await backend.set_rules(salon.id, ONLINE)
    pending = await _colour(salon, uow, day=15)
    short = MarkPaid(pending.id, PaidIn.ONLINE, "pi_8", Decimal("3.00"))
    with pytest.raises(InvalidRequest, match="less than"):
        await payments.mark_paid(short, uow, NOW, Actor.SYSTEM)


async def test_a_deposit_paid_at_the_salon_is_refunded_on_a_free_cancel(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    booked = await _colour(salon, uow)
    await payments.mark_paid(MarkPaid(booked.id, PaidIn.CARD), uow, NOW)
    cancel = CancelAppointment(booked.id, Actor.CUSTOMER, "ill")
    result = await changes.cancel(cancel, uow, NOW)
    assert result.refund == Decimal("30.00")
    assert result.appointment.payment.status is PaymentStatus.REFUNDED
    assert (await backend.outbox(booked.id))[f"refund:{booked.id}:cancelled"] == "pending"
