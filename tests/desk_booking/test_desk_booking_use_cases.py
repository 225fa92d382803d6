"""New bookings at the front desk through the same use cases as chat: a walk-in inside the
minimum notice, a recurring series previewed and booked in one transaction, a group, the
customer lookup; on the in-memory fake and on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from scheduling.availability import AvailabilityQuery
from scheduling.booking import services
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.model import Channel, Contact, Participant, Status
from scheduling.catalog import Customer
from scheduling.desk import customers, desk_booking, series
from scheduling.desk.series import BookSeries, Repeat, Unit
from scheduling.desk.setup.values import Block
from scheduling.errors import InvalidRequest, PolicyViolation, SlotUnavailable
from tests.booking.booking_builders import NOW, Salon, ny
from tests.desk_booking.fake_front_desk import Uow
from tests.setup.backends import both

NY = ZoneInfo("America/New_York")
OWNER = customers.Proof(owner=True)
WEEKLY_4 = Repeat(1, Unit.WEEKS, 4)


def walk_in(salon: Salon, start_hour: int, minute: int = 0, **extra: object) -> BookAppointment:
    return BookAppointment(salon.slot("Cut", ny(3, 10, start_hour, minute)), None, uuid4().hex,
                           channel=Channel.ADMIN, contact=Contact("Walk In"),
                           **extra)  # type: ignore[arg-type]


def series_of(salon: Salon, starts: list[datetime], key: str = "k") -> BookSeries:
    return BookSeries(salon.slot("Cut", starts[0]), tuple(starts), WEEKLY_4,
                      Contact("Rita Series", "+15550100999"), OWNER, key)


def test_repeat_keeps_the_wall_clock_across_daylight_saving() -> None:
    starts = WEEKLY_4.starts(ny(3, 11, 10), NY)  # clocks go forward on March 14, 2027
    assert [s.astimezone(NY).hour for s in starts] == [10, 10, 10, 10]
    assert starts[1] - starts[0] == timedelta(days=7, hours=-1)
    days = Repeat(3, Unit.DAYS, 2).starts(ny(3, 11, 10), NY)
    assert days[1].astimezone(NY).date().day == 14


@pytest.mark.parametrize("every, unit, count", [(0, "weeks", 4), (13, "weeks", 4),
                                                (1, "weeks", 27), (1, "days", 1)])
def test_repeat_refuses_what_no_owner_means(every: int, unit: str, count: int) -> None:
    with pytest.raises(InvalidRequest):
        Repeat(every, Unit(unit), count)


def test_only_the_front_desk_may_waive_the_notice() -> None:
    with pytest.raises(InvalidRequest, match="minimum notice"):
        BookAppointment(SlotChoice(uuid4(), uuid4(), NOW), None, "k", channel=Channel.WEB,
                        waive_notice=True)


@both
async def test_walk_in_inside_the_notice_books_only_when_the_owner_waives_it(
    uow: Uow, salon: Salon
) -> None:
    now = ny(3, 10, 10).astimezone(UTC)  # the Cut's notice is two hours
    with pytest.raises(SlotUnavailable):
        await customers.book_for(walk_in(salon, 10, 15), OWNER, uow, now)
    booked = await customers.book_for(walk_in(salon, 10, 15, waive_notice=True), OWNER, uow, now)
    assert booked.appointment.status is Status.CONFIRMED
    assert booked.appointment.channel is Channel.ADMIN
    assert booked.appointment.contact == Contact("Walk In")


@both
async def test_a_waived_notice_still_refuses_a_past_time_and_a_taken_one(
    uow: Uow, salon: Salon
) -> None:
    now = ny(3, 10, 10).astimezone(UTC)
    with pytest.raises(SlotUnavailable):
        await customers.book_for(walk_in(salon, 9, 45, waive_notice=True), OWNER, uow, now)
    await customers.book_for(walk_in(salon, 11, waive_notice=True), OWNER, uow, now)
    with pytest.raises(SlotUnavailable) as taken:
        await customers.book_for(walk_in(salon, 11, 15, waive_notice=True), OWNER, uow, now)
    assert taken.value.alternatives, "the nearest free times come with the refusal"


@both
async def test_a_blocked_customer_is_refused_at_the_desk_too(uow: Uow, salon: Salon) -> None:
    blocked = salon.customers[2]
    async with uow:
        await uow.setup.block(Block(blocked.id, "no-shows"))
        await uow.commit()
    command = BookAppointment(salon.slot("Cut", ny(3, 12, 10)), None, "b", channel=Channel.ADMIN,
                              contact=Contact("Someone Else", blocked.phone))
    with pytest.raises(PolicyViolation, match="not accepted"):
        await customers.book_for(command, OWNER, uow, NOW)


@both
async def test_preview_marks_a_taken_occurrence_with_its_nearest_free_times(
    uow: Uow, salon: Salon
) -> None:
    await services.book(salon.booking("Cut", ny(3, 25, 10)), uow, NOW)
    plan = await series.preview(uow, salon.slot("Cut", ny(3, 11, 10)), WEEKLY_4, 1, NOW)
    assert [o.free for o in plan] == [True, True, False, True]
    assert [o.start.astimezone(NY).day for o in plan] == [11, 18, 25, 1]
    nearest = [a.start.astimezone(NY) for a in plan[2].alternatives]
    assert nearest and all(a.day == 25 and a.hour in (9, 10, 11) for a in nearest)


@both
async def test_a_series_books_every_kept_occurrence_once_linked_by_one_series(
    uow: Uow, salon: Salon
) -> None:
    starts = WEEKLY_4.starts(ny(3, 11, 10), NY)
    first = await series.book_series(series_of(salon, starts), uow, NOW)
    again = await series.book_series(series_of(salon, starts), uow, NOW)
    assert again.replayed and [a.id for a in again.appointments] == [
        a.id for a in first.appointments]
    assert {a.series_id for a in first.appointments} == {first.series_id}
    assert [a.start for a in first.appointments] == starts
    assert all(a.channel is Channel.ADMIN for a in first.appointments)
    async with uow:
        ana = [salon.staff("Ana").id]
        stored = await uow.appointments.booked_between(salon.id, ana, NOW, ny(4, 30, 0))
    assert len(stored) == 4


@both
async def test_a_series_with_an_occurrence_taken_meanwhile_books_none(
    uow: Uow, salon: Salon
) -> None:
    starts = WEEKLY_4.starts(ny(3, 11, 10), NY)
    await services.book(salon.booking("Cut", starts[2]), uow, NOW)
    with pytest.raises(series.OccurrenceTaken) as taken:
        await series.book_series(series_of(salon, starts), uow, NOW)
    assert taken.value.number == 3 and taken.value.alternatives
    async with uow:
        ana = [salon.staff("Ana").id]
        stored = await uow.appointments.booked_between(salon.id, ana, NOW, ny(4, 30, 0))
    assert len(stored) == 1
    moved = [*starts[:2], starts[2] + timedelta(hours=3), starts[3]]
    booked = await series.book_series(series_of(salon, moved, key="k2"), uow, NOW)
    assert len(booked.appointments) == 4


@both
async def test_a_group_books_several_seats_and_leaves_the_rest(uow: Uow, salon: Salon) -> None:
    yoga = salon.slot("Yoga", ny(3, 12, 10), staff="Ana")
    names = (Participant("Ann"), Participant("Bo"), Participant("Cy"))
    command = BookAppointment(yoga, None, "g", channel=Channel.ADMIN,
                              contact=Contact("Ann Group"), participants=names)
    booked = await customers.book_for(command, OWNER, uow, NOW)
    assert booked.appointment.seats == 3
    catalog = salon.catalog
    start, end = desk_booking.day_range(ny(3, 12, 0).date(), NY)
    query = AvailabilityQuery(yoga.service_id, start, end, NOW, staff_id=yoga.staff_id)
    left = await desk_booking.seats_left(uow, catalog, query)
    assert left[yoga.start] == 3 and left[ny(3, 12, 11)] == 6


@both
async def test_customers_are_found_by_phone_digits_e_mail_or_name(
    uow: Uow, salon: Salon
) -> None:
    async with uow:
        await uow.catalog.save_customer(salon.id, Customer(
            uuid4(), "Zoë Quill", "+12125550142", "zoe.quill@example.com"))
        await uow.commit()

    async def names(typed: str) -> list[str]:
        lookup = desk_booking.Lookup.of(salon.id, typed)
        assert lookup is not None
        return [m.name for m in await desk_booking.find_customers(uow, lookup)]

    assert await names("(212) 555-0142") == ["Zoë Quill"]
    assert await names("ZOE.QUILL@") == ["Zoë Quill"]
    assert await names("quill") == ["Zoë Quill"]
    assert await names("100%_") == []
    assert desk_booking.Lookup.of(salon.id, "a") is None
