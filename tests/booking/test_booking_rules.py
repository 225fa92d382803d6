"""Booking rules, on the in-memory fake and on PostgreSQL alike: the same functions run
against both implementations of `scheduling.ports` (the PostgreSQL half is marked `db`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, build_salon, ny

from scheduling.booking import attendance, changes, services, waitlist
from scheduling.booking.commands import CancelAppointment, HoldSlot, RescheduleAppointment
from scheduling.booking.model import Actor, Participant, PaymentStatus, Status
from scheduling.booking.policies import BookingRules
from scheduling.booking.values import DuplicateIdempotencyKey
from scheduling.errors import InvalidRequest, PolicyViolation, SlotUnavailable
from scheduling.ports import BookingUnitOfWork

pytestmark = both


async def test_booking_confirms_and_writes_outbox_and_audit(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    result = await services.book(salon.booking("Cut", ny(3, 12, 10), customer=1), uow, NOW)
    booked = result.appointment
    assert booked.status is Status.CONFIRMED and not result.replayed
    assert booked.start == ny(3, 12, 10) and booked.end == ny(3, 12, 10, 45)
    assert booked.customer_time_zone == "Europe/London"
    keys = await backend.outbox(booked.id)
    assert {k.split(":")[0] for k in keys} == {
        "confirmation", "owner_notice", "calendar_event", "reminder"
    }
    async with uow:
        history = await uow.appointments.history(booked.id)
    assert [(e.from_status, e.to_status) for e in history] == [(None, "confirmed")]


async def test_same_key_returns_same_appointment(salon: Salon, uow: BookingUnitOfWork) -> None:
    cmd = salon.booking("Cut", ny(3, 12, 10), key="k-1")
    first = await services.book(cmd, uow, NOW)
    again = await services.book(cmd, uow, NOW + timedelta(minutes=1))
    assert again.replayed and again.appointment.id == first.appointment.id
    with pytest.raises(InvalidRequest):
        await services.book(salon.booking("Cut", ny(3, 12, 14), customer=2, key="k-1"), uow, NOW)


async def test_buffers_of_both_sides_are_kept(salon: Salon, uow: BookingUnitOfWork) -> None:
    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)  # blocks 10:00-10:55
    with pytest.raises(SlotUnavailable) as lost:  # colour at 10:45 blocks from 10:40
        await services.book(salon.booking("Colour", ny(3, 12, 10, 45), customer=1), uow, NOW)
    assert lost.value.alternatives
    assert all(alt.start != ny(3, 12, 10, 45) for alt in lost.value.alternatives)
    fits = await services.book(salon.booking("Colour", ny(3, 12, 11), customer=1), uow, NOW)
    assert fits.appointment.blocked_start == ny(3, 12, 10, 55)


async def test_database_refuses_overlap_even_without_the_engine(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    clash = replace(booked, id=uuid4(), idempotency_key=None, start=ny(3, 12, 10, 50),
                    end=ny(3, 12, 11, 35), buffer_after=timedelta(0))
    async with uow:
        with pytest.raises(SlotUnavailable):
            await uow.appointments.add(clash, capacity=1)


async def test_a_key_committed_by_a_racing_booking_is_reported_for_replay(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10), key="k-9"), uow,
                                  NOW)).appointment
    other_slot = replace(booked, id=uuid4(), start=ny(3, 12, 15), end=ny(3, 12, 15, 45))
    async with uow:
        with pytest.raises(DuplicateIdempotencyKey):
            await uow.appointments.add(other_slot, capacity=1)


async def test_notice_and_hours_are_enforced(salon: Salon, uow: BookingUnitOfWork) -> None:
    with pytest.raises(SlotUnavailable):  # one hour ahead, notice is two
        await services.book(salon.booking("Cut", NOW + timedelta(hours=1)), uow, NOW)
    with pytest.raises(SlotUnavailable):  # 12:30 is Ana's break
        await services.book(salon.booking("Cut", ny(3, 12, 12, 30)), uow, NOW)


async def test_deposit_keeps_it_pending_until_paid(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(deposits_online=True))
    pending = (await services.book(salon.booking("Colour", ny(3, 12, 10)), uow, NOW)).appointment
    assert pending.status is Status.PENDING and pending.payment.status is PaymentStatus.PENDING
    keys = await backend.outbox(pending.id)
    assert keys[f"pending_payment:{pending.id}:pending"] == "pending"
    paid = await services.book(salon.booking("Colour", ny(3, 15, 10), payment_reference="pi_1"),
                               uow, NOW)
    assert paid.appointment.status is Status.CONFIRMED
    assert paid.appointment.payment.status is PaymentStatus.PAID


async def test_free_cancel_refunds_and_withdraws_reminders(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    cmd = salon.booking("Colour", ny(3, 15, 10), payment_reference="pi_2")
    booked = (await services.book(cmd, uow, NOW)).appointment
    assert booked.status is Status.CONFIRMED
    result = await changes.cancel(CancelAppointment(booked.id, Actor.CUSTOMER, "ill"), uow, NOW)
    assert result.appointment.status is Status.CANCELLED
    assert result.refund == Decimal("30.00") and result.fee == 0
    assert result.appointment.payment.status is PaymentStatus.REFUNDED
    keys = await backend.outbox(booked.id)
    assert keys[f"refund:{booked.id}:cancelled"] == "pending"
    assert all(s == "cancelled" for k, s in keys.items() if k.startswith("reminder"))
    again = await services.book(salon.booking("Cut", ny(3, 15, 10), customer=1), uow, NOW)
    assert again.appointment.status is Status.CONFIRMED


async def test_late_cancel_charges_fee_or_is_refused(salon: Salon, uow: BookingUnitOfWork) -> None:
    cut = (await services.book(salon.booking("Cut", ny(3, 11, 10)), uow, NOW)).appointment
    trim = (await services.book(salon.booking("Trim", ny(3, 11, 14)), uow, NOW)).appointment
    evening = ny(3, 10, 20)  # 14 hours before the cut, 18 before the trim
    late = await changes.cancel(CancelAppointment(cut.id, Actor.CUSTOMER), uow, evening)
    assert late.appointment.status is Status.LATE_CANCEL and late.fee == Decimal("25.00")
    with pytest.raises(PolicyViolation) as refused:
        await changes.cancel(CancelAppointment(trim.id, Actor.CUSTOMER), uow, evening)
    assert refused.value.policy == "cancellation_window"
    assert refused.value.details["hours_left"] == pytest.approx(18.0)
    owner = await changes.cancel(CancelAppointment(trim.id, Actor.OWNER, "flood"), uow, evening)
    assert owner.appointment.status is Status.CANCELLED and owner.offer_new_times


async def test_reschedule_across_dst_links_both(salon: Salon, uow: BookingUnitOfWork) -> None:
    old = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    moved = await changes.reschedule(RescheduleAppointment(old.id, ny(3, 15, 10)), uow, NOW)
    assert moved.old.status is Status.RESCHEDULED and moved.old.rescheduled_to == moved.new.id
    assert moved.new.rescheduled_from == old.id and moved.new.status is Status.CONFIRMED
    assert old.start.astimezone(UTC).hour == 15 and moved.new.start.astimezone(UTC).hour == 14
    nudged = await changes.reschedule(
        RescheduleAppointment(moved.new.id, ny(3, 15, 10, 15)), uow, NOW
    )
    assert nudged.new.start == ny(3, 15, 10, 15)


async def test_failed_move_leaves_the_old_appointment(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    mine = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    await services.book(salon.booking("Cut", ny(3, 12, 14), customer=1), uow, NOW)
    with pytest.raises(SlotUnavailable) as lost:
        await changes.reschedule(RescheduleAppointment(mine.id, ny(3, 12, 14, 15)), uow, NOW)
    assert lost.value.alternatives
    async with uow:
        assert (await uow.appointments.get(mine.id)).status is Status.CONFIRMED


async def test_hold_blocks_others_until_it_expires(salon: Salon, uow: BookingUnitOfWork) -> None:
    held = await services.hold(HoldSlot(salon.slot("Cut", ny(3, 12, 10))), uow, NOW)
    assert held.expires_at == NOW + timedelta(minutes=5)
    with pytest.raises(SlotUnavailable):
        await services.book(salon.booking("Cut", ny(3, 12, 10), customer=1), uow, NOW)
    later = NOW + timedelta(minutes=6)
    taken = await services.book(salon.booking("Cut", ny(3, 12, 10), customer=1), uow, later)
    assert taken.appointment.status is Status.CONFIRMED


async def test_booking_from_hold_keeps_the_slot(salon: Salon, uow: BookingUnitOfWork) -> None:
    held = await services.hold(HoldSlot(salon.slot("Cut", ny(3, 12, 10))), uow, NOW)
    cmd = salon.booking("Cut", ny(3, 12, 10), hold_id=held.hold_id)
    booked = await services.book(cmd, uow, NOW + timedelta(minutes=2))
    assert booked.appointment.id == held.hold_id
    assert booked.appointment.status is Status.CONFIRMED


async def test_attendance_and_no_show_sweep(salon: Salon, uow: BookingUnitOfWork) -> None:
    came = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    absent = (await services.book(salon.booking("Cut", ny(3, 12, 11), customer=1), uow,
                                  NOW)).appointment
    await attendance.check_in(came.id, uow, ny(3, 12, 9, 55))
    swept = await attendance.close_past(uow, ny(3, 12, 11, 50))
    assert swept.completed == (came.id,) and swept.no_show == ()
    swept = await attendance.close_past(uow, ny(3, 12, 12, 0))
    assert swept.no_show == (absent.id,)
    with pytest.raises(InvalidRequest):  # a no-show cannot be checked in afterwards
        await attendance.check_in(absent.id, uow, ny(3, 12, 13))


async def test_customer_limits(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(max_active_per_customer=2))
    await backend.block(salon.customers[3].id)
    for hour in (10, 11):
        await services.book(salon.booking("Cut", ny(3, 12, hour)), uow, NOW)
    with pytest.raises(PolicyViolation) as limit:
        await services.book(salon.booking("Cut", ny(3, 12, 14)), uow, NOW)
    assert limit.value.policy == "max_active_bookings"
    with pytest.raises(PolicyViolation) as blocked:
        await services.book(salon.booking("Cut", ny(3, 12, 14), customer=3), uow, NOW)
    assert blocked.value.policy == "customer_blocked"


async def test_an_idempotency_key_is_unique_per_business(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    other = build_salon()
    await backend.seed(other)
    first = await services.book(salon.booking("Cut", ny(3, 12, 10), key="shared"), uow, NOW)
    elsewhere = await services.book(other.booking("Cut", ny(3, 12, 10), key="shared"), uow, NOW)
    assert not elsewhere.replayed and elsewhere.appointment.id != first.appointment.id


async def test_a_refused_booking_leaves_nothing_behind(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)
    before = await backend.outbox()
    with pytest.raises(SlotUnavailable):
        await services.book(salon.booking("Cut", ny(3, 12, 10, 15), customer=1), uow, NOW)
    assert await backend.outbox() == before
    async with uow:
        assert await uow.appointments.count_active(salon.customers[1].id, NOW) == 0


async def test_live_holds_are_capped_per_customer(salon: Salon, uow: BookingUnitOfWork) -> None:
    customer = salon.customers[0].id
    for hour in (10, 11):
        await services.hold(HoldSlot(salon.slot("Cut", ny(3, 12, hour)), customer), uow, NOW)
    with pytest.raises(PolicyViolation) as capped:
        await services.hold(HoldSlot(salon.slot("Cut", ny(3, 12, 14)), customer), uow, NOW)
    assert capped.value.policy == "live_holds"


async def test_unpaid_bookings_are_cancelled_after_the_payment_window(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(deposits_online=True))
    pending = (await services.book(salon.booking("Colour", ny(3, 12, 10)), uow, NOW)).appointment
    assert (await attendance.expire_unpaid(uow, NOW + timedelta(minutes=29))).expired == ()
    swept = await attendance.expire_unpaid(uow, NOW + timedelta(minutes=31))
    assert swept.expired == (pending.id,)
    async with uow:
        gone = await uow.appointments.get(pending.id)
    assert gone.status is Status.CANCELLED and gone.cancellation is not None
    assert gone.cancellation.reason == attendance.PAYMENT_NOT_RECEIVED
    assert any(k.startswith("cancellation:") for k in await backend.outbox(pending.id))


async def test_group_seats_fill_up(salon: Salon, uow: BookingUnitOfWork) -> None:
    party = tuple(Participant(f"guest {i}") for i in range(3))
    for customer in (0, 1):
        booked = await services.book(
            salon.booking("Yoga", ny(3, 12, 10), customer=customer, participants=party), uow, NOW
        )
        assert booked.appointment.seats == 3
    with pytest.raises(SlotUnavailable):
        await services.book(salon.booking("Yoga", ny(3, 12, 10), customer=2), uow, NOW)
    with pytest.raises(InvalidRequest):
        big = tuple(Participant(f"p{i}") for i in range(5))
        await services.book(salon.booking("Yoga", ny(3, 12, 14), customer=2, participants=big),
                            uow, NOW)
    with pytest.raises(SlotUnavailable):  # a cut cannot squeeze into Ana's yoga session
        await services.book(salon.booking("Cut", ny(3, 12, 10, 30), customer=3), uow, NOW)


async def test_waitlist_offers_claims_and_expires(salon: Salon, uow: BookingUnitOfWork) -> None:
    taken = (await services.book(salon.booking("Cut", ny(3, 15, 10)), uow, NOW)).appointment
    window = ((ny(3, 15, 9), ny(3, 15, 12)),)
    cut, ana = salon.service("Cut").id, salon.staff("Ana").id
    first = await waitlist.join(
        waitlist.JoinWaitlist(salon.id, salon.customers[1].id, cut, window, ana), uow, NOW)
    second = await waitlist.join(
        waitlist.JoinWaitlist(salon.id, salon.customers[2].id, cut, window), uow,
        NOW + timedelta(minutes=1))
    cancelled = await changes.cancel(CancelAppointment(taken.id, Actor.CUSTOMER), uow, NOW)
    assert cancelled.waitlist_offer_id is not None
    with pytest.raises(SlotUnavailable):  # held for the first in line
        await services.book(salon.booking("Cut", ny(3, 15, 10), customer=3), uow, NOW)
    expired = await waitlist.expire_offers(uow, NOW + timedelta(hours=2, minutes=1))
    assert expired == (cancelled.waitlist_offer_id,)
    async with uow:
        assert (await uow.waitlist.entry(first.id)).status == "waiting"
        assert (await uow.waitlist.entry(second.id)).status == "offered"
        history = await uow.appointments.history(first.id)
    assert [e.to_status for e in history] == ["waiting", "offered", "waiting"]
    async with uow:
        offers = await uow.waitlist.due_offers(NOW + timedelta(hours=5))
    claimed = await waitlist.claim(offers[0].id, "claim-1", uow, NOW + timedelta(hours=3))
    assert claimed.appointment.status is Status.CONFIRMED
    assert claimed.appointment.customer_id == salon.customers[2].id
