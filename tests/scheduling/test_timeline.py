"""Interval sweeps against sets of seconds, and the busy-time port's in-memory adapter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from catalog_builders import uid
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.occupancy import BusyInterval, BusyTimeSource, StaticBusyTimes
from scheduling.timeline import Span, intersect, merge, overlaps, subtract

spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)), max_size=8)


def points(items: list[Span]) -> set[int]:
    return {t for a, b in items for t in range(a, b)}


@settings(max_examples=150)
@given(spans, spans)
def test_sweeps_match_set_arithmetic(left: list[Span], right: list[Span]) -> None:
    a, b = merge(left), merge(right)
    assert points(a) == points(left)
    assert all(x[1] < y[0] for x, y in zip(a, a[1:], strict=False))
    assert points(intersect(a, b)) == points(a) & points(b)
    assert points(subtract(a, b)) == points(a) - points(b)
    for start, end in right:
        if start < end:
            assert overlaps(a, start, end) == bool(points(a) & set(range(start, end)))


async def test_static_busy_times_filters_by_staff_and_range() -> None:
    start = datetime(2026, 1, 5, 9, tzinfo=UTC)
    inside = BusyInterval(uid("ana"), start, start + timedelta(hours=1))
    later = BusyInterval(uid("ana"), start + timedelta(days=2), start + timedelta(days=2, hours=1))
    other = BusyInterval(uid("bo"), start, start + timedelta(hours=1))
    source: BusyTimeSource = StaticBusyTimes([inside, later, other])
    found = await source.busy_times([uid("ana")], start, start + timedelta(days=1))
    assert found == [inside]
