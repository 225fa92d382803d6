"""Hypothesis: the bookings and busy time `openings.window` loads decide every start exactly as
all of them would. Placement reads only that window (the service's buffers around the start,
a day either side when a daily maximum applies), so anything outside it must not matter."""

from __future__ import annotations

from datetime import datetime, timedelta

from catalog_builders import catalog, service, staff
from hypothesis import given
from hypothesis import strategies as st
from test_availability_properties import PROFILE, World, query, worlds

from scheduling.availability import AvailabilityQuery, Slot, available_slots
from scheduling.booking.openings import MARGIN, window


def _windowed(world: World, q: AvailabilityQuery) -> list[Slot]:
    """The slots computed from what the window selects, with the repository's overlap test."""
    ids = [member.id for member in world.catalog.staff]
    low, high = window(world.catalog, q.service_id, ids, q.start, q.end)
    booked = [b for b in world.bookings if b.blocked_start < high and low < b.blocked_end]
    busy = [b for b in world.busy if b.start < high and low < b.end]
    return available_slots(world.catalog, q, booked, busy)


@PROFILE
@given(worlds(), st.data())
def test_the_window_decides_every_start_as_everything_would(
    world: World, data: st.DataObject,
) -> None:
    whole = query(world)
    offset = timedelta(minutes=5 * data.draw(st.integers(0, 9 * 24 * 12)))
    length = data.draw(st.sampled_from([timedelta(seconds=1), timedelta(hours=3),
                                        timedelta(days=1)]))
    q = AvailabilityQuery(whole.service_id, whole.start + offset,
                          whole.start + offset + length, world.now)
    assert _windowed(world, q) == available_slots(world.catalog, q, world.bookings, world.busy)


@PROFILE
@given(worlds())
def test_the_placement_of_a_returned_slot_sees_what_offered_it(world: World) -> None:
    """Each slot of the whole range is still there when asked for alone, as `place` asks."""
    for slot in available_slots(world.catalog, query(world), world.bookings, world.busy)[:20]:
        one = AvailabilityQuery(world.service.id, slot.start, slot.start + timedelta(seconds=1),
                                world.now)
        assert [s.start for s in _windowed(world, one)] == [slot.start]


def test_a_daily_maximum_widens_the_window_to_the_day() -> None:
    cut = service(minutes=30, buffer_before=timedelta(minutes=5),
                  buffer_after=timedelta(minutes=10))
    free, capped = staff("ana"), staff("bo", max_bookings_per_day=3)
    shop = catalog([free, capped], [cut])
    at = datetime.fromisoformat("2026-03-06T10:00:00+00:00")
    end = at + timedelta(seconds=1)
    second = timedelta(seconds=1)
    assert window(shop, cut.id, [free.id], at, end) == (
        at - timedelta(minutes=5) - second, end + timedelta(minutes=40) + second)
    assert window(shop, cut.id, [free.id, capped.id], at, end) == (
        at - MARGIN, end + timedelta(minutes=30) + MARGIN)
