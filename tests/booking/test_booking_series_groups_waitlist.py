"""Recurring series across DST, group sessions with seats, and the waitlist's offer cycle."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest
from booking_builders import NOW, Salon, ny

from scheduling.booking import changes, services, waitlist
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, Participant, Status
from scheduling.booking.recurrence import (
    BookSeries,
    Frequency,
    Recurrence,
    book_series,
    cancel_series,
    occurrences,
)
from scheduling.errors import InvalidRequest, SlotUnavailable
from scheduling.persistence.booking_uow import BookingUnitOfWork

NYZ = ZoneInfo("America/New_York")


def test_monthly_skips_short_months_and_until_is_inclusive() -> None:
    starts = occurrences(ny(1, 31, 9), Recurrence(Frequency.MONTHLY, until=date(2027, 5, 31)),
                         NYZ)
    assert [s.date() for s in starts] == [date(2027, 1, 31), date(2027, 3, 31),
                                          date(2027, 5, 31)]


def test_fortnightly_keeps_the_wall_clock_across_dst() -> None:
    starts = occurrences(ny(3, 4, 10), Recurrence(Frequency.BIWEEKLY, count=3), NYZ)
    assert [s.hour for s in starts] == [10, 10, 10]
    assert [s.astimezone(UTC).hour for s in starts] == [15, 14, 14]


@pytest.mark.db
async def test_series_books_free_dates_and_reports_conflicts(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    await services.book(salon.booking("Cut", ny(3, 18, 10), customer=1), uow, NOW)
    cmd = BookSeries(salon.booking("Cut", ny(3, 11, 10)), Recurrence(Frequency.WEEKLY, count=3))
    result = await book_series(cmd, uow, NOW)
    assert [o.start for o in result.booked] == [ny(3, 11, 10), ny(3, 25, 10)]
    assert [o.start for o in result.conflicted] == [ny(3, 18, 10)]
    assert result.conflicted[0].alternatives
    assert result.booked[1].appointment is not None
    assert result.booked[1].appointment.start.astimezone(UTC).hour == 14
    done, kept = await cancel_series(result.series_id, Actor.OWNER, uow, NOW)
    assert len(done) == 2 and kept == ()


@pytest.mark.db
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


@pytest.mark.db
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
