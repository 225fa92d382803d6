"""Lowering a staff member's daily maximum below what a day already holds strands the
appointments booked last that day (pure: `stranded`), and the staff edit lists them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import uuid4

from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.booking import services
from scheduling.booking.model import Appointment, Channel, Status
from scheduling.catalog import Catalog
from scheduling.desk.setup.staff import SaveStaff, save_staff
from scheduling.desk.setup.stranded import stranded
from scheduling.ports import SetupUnitOfWork
from tests.booking.booking_builders import NOW, Salon, build_salon, ny
from tests.setup.backends import both

SALON = build_salon()
ANA = SALON.staff("Ana")
MINUTE = timedelta(minutes=1)


def booked(start: datetime, order: int, service: str = "Trim") -> Appointment:
    """An appointment of Ana's at `start`, the `order`-th booked."""
    made = NOW + order * MINUTE
    found = SALON.service(service)
    return Appointment(uuid4(), SALON.id, uuid4(), found.id, ANA.id,
                       SALON.catalog.business.locations[0].id, start, start + found.duration,
                       timedelta(0), timedelta(0), "America/New_York", Status.CONFIRMED,
                       Channel.WEB, made, made)


def with_max(limit: int | None) -> Catalog:
    staff = tuple(replace(m, max_bookings_per_day=limit) if m.id == ANA.id else m
                  for m in SALON.catalog.staff)
    return replace(SALON.catalog, staff=staff)


def test_the_ones_booked_last_that_day_are_stranded() -> None:
    at = {hour: booked(ny(3, 12, hour), order) for hour, order in ((11, 0), (9, 1), (14, 2),
                                                                    (10, 3))}
    other_day = booked(ny(3, 13, 9), 4)
    upcoming = [*at.values(), other_day]
    assert stranded(with_max(None), with_max(2), upcoming) == (at[10], at[14])
    assert stranded(with_max(None), with_max(4), upcoming) == ()
    assert stranded(with_max(2), with_max(1), upcoming) == (at[9],)  # the rest were over already


def test_a_group_session_counts_once() -> None:
    first, second = booked(ny(3, 12, 9), 0, "Yoga"), booked(ny(3, 12, 9), 3, "Yoga")
    later = booked(ny(3, 12, 11), 1, "Yoga")
    assert stranded(with_max(None), with_max(1), [first, second, later]) == (later,)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(12, 14), st.integers(9, 16)), max_size=14, unique=True),
       st.integers(1, 4))
def test_each_day_keeps_its_earliest_bookings_up_to_the_maximum(
    slots: list[tuple[int, int]], limit: int
) -> None:
    upcoming = [booked(ny(3, day, hour), order) for order, (day, hour) in enumerate(slots)]
    out = {a.id for a in stranded(with_max(None), with_max(limit), upcoming)}
    for day in {a.start.date() for a in upcoming}:
        that_day = sorted((a for a in upcoming if a.start.date() == day),
                          key=lambda a: a.created_at)
        assert [a.id in out for a in that_day] == [i >= limit for i in range(len(that_day))]


@both
async def test_lowering_the_maximum_through_the_staff_edit(salon: Salon, uow: SetupUnitOfWork
                                                           ) -> None:
    made = [(await services.book(salon.booking("Trim", ny(3, 12, hour), customer=i), uow,
                                 NOW + i * MINUTE)).appointment
            for i, hour in enumerate((15, 10, 11))]
    ana = salon.staff("Ana")
    changed = await save_staff(SaveStaff(salon.id, replace(ana, max_bookings_per_day=1), ana),
                               uow, NOW)
    assert [a.id for a in changed.stranded] == [made[1].id, made[2].id]
