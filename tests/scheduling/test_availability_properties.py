"""Hypothesis: whatever the hours, bookings and busy times, no returned slot breaks a rule.

The checks below are an independent oracle written with plain datetimes and local wall times,
not the engine's integer sweeps.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from catalog_builders import catalog, service, staff, uid
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.availability import AvailabilityQuery, Slot, available_slots
from scheduling.catalog import Catalog, Service, Staff
from scheduling.hours import Closure, TimeOff, TimeSpan, WeeklyHours
from scheduling.occupancy import BookedInterval, BusyInterval

ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
START = datetime(2026, 3, 5)  # a March week: New York and London change clocks in it
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def day_spans(draw: st.DrawFn, low: int = 6, high: int = 22) -> tuple[TimeSpan, ...]:
    """Up to two quarter-hour-aligned spans between `low` and `high` o'clock."""
    cuts = sorted(draw(st.sets(st.integers(low * 4, high * 4), max_size=4)))
    pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
    return tuple(TimeSpan(_quarter(a), _quarter(b)) for a, b in pairs if a < b)


def _quarter(n: int) -> time:
    return time(n // 4, n % 4 * 15)


@st.composite
def weekly(draw: st.DrawFn) -> WeeklyHours:
    return WeeklyHours(tuple(draw(day_spans()) for _ in range(7)))


@dataclass(frozen=True)
class World:
    catalog: Catalog
    service: Service
    zone: ZoneInfo
    now: datetime
    bookings: list[BookedInterval]
    busy: list[BusyInterval]


def _moments(zone: ZoneInfo) -> st.SearchStrategy[datetime]:
    minutes = st.integers(0, 9 * 24 * 4).map(lambda q: timedelta(minutes=15 * q))
    return minutes.map(lambda delta: (START + delta).replace(tzinfo=zone))


@st.composite
def worlds(draw: st.DrawFn) -> World:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    svc = service(
        minutes=draw(st.sampled_from([15, 20, 30, 45, 60, 90])),
        slot_interval=timedelta(minutes=draw(st.sampled_from([5, 10, 15, 20, 30, 60]))),
        buffer_before=timedelta(minutes=draw(st.sampled_from([0, 5, 15]))),
        buffer_after=timedelta(minutes=draw(st.sampled_from([0, 10, 15]))),
        min_notice=timedelta(hours=draw(st.integers(0, 30))),
        max_advance_days=draw(st.integers(1, 8)),
    )
    team = [_member(draw, name, zone) for name in ("ana", "bo")]
    spans = st.tuples(st.sampled_from(["ana", "bo"]), _moments(zone), st.integers(1, 12))
    bookings = [
        BookedInterval(uid(who), s, s + timedelta(minutes=15 * q), timedelta(minutes=5),
                       timedelta(minutes=10))
        for who, s, q in draw(st.lists(spans, max_size=12))
    ]
    busy = [BusyInterval(uid(who), s, s + timedelta(minutes=10 * q))
            for who, s, q in draw(st.lists(spans, max_size=8))]
    closures = tuple(
        Closure(d, d) for d in draw(st.lists(st.dates(date(2026, 3, 5), date(2026, 3, 14)),
                                             max_size=2))
    )
    wide = WeeklyHours(((TimeSpan(time(7), time(21)),),) * 7)
    opening = draw(st.one_of(st.just(wide), weekly()))
    cat = catalog(team, [svc], zone=str(zone), opening_hours=opening, closures=closures)
    now = draw(_moments(zone))
    return World(cat, svc, zone, now, bookings, busy)


def _member(draw: st.DrawFn, name: str, zone: ZoneInfo) -> Staff:
    off = draw(st.lists(st.tuples(_moments(zone), st.integers(1, 40)), max_size=2))
    return staff(
        name, weekly_hours=draw(weekly()),
        breaks=WeeklyHours(tuple(draw(day_spans(11, 15)) for _ in range(7))),
        time_off=tuple(TimeOff(s, s + timedelta(minutes=30 * q)) for s, q in off),
        max_bookings_per_day=draw(st.sampled_from([None, 2, 5])),
    )


def query(world: World) -> AvailabilityQuery:
    start = START.replace(tzinfo=world.zone)
    return AvailabilityQuery(world.service.id, start, start + timedelta(days=9), world.now)


def inside(spans: tuple[TimeSpan, ...], start: datetime, end: datetime) -> bool:
    if start.date() != end.date() and end.time() != time(0):
        return False
    stop = end.time() if end.time() != time(0) else time.max
    return any(s.start <= start.time() and stop <= (s.end if s.end != time(0) else time.max)
               for s in spans)


def meets(spans: tuple[TimeSpan, ...], start: datetime, end: datetime) -> bool:
    return any(start.time() < s.end and s.start < end.time() for s in spans)


def check_slot(world: World, slot: Slot) -> None:
    svc, zone, cat = world.service, world.zone, world.catalog
    start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
    assert end - start == svc.duration
    assert slot.start >= world.now + svc.min_notice
    assert slot.start <= world.now + timedelta(days=svc.max_advance_days)
    midnight = datetime.combine(start.date(), time(0))
    assert (start.replace(tzinfo=None) - midnight) % svc.slot_interval == timedelta(0)
    location = cat.business.locations[0]
    assert inside(location.opening_hours.on(start.date()), start, end)
    assert not any(c.covers(start.date()) or c.covers(end.date()) for c in location.closures)
    low, high = slot.start - svc.buffer_before, slot.end + svc.buffer_after
    for staff_id in slot.staff_ids:
        member = cat.staff_member(staff_id)
        assert inside(member.weekly_hours.on(start.date()), start, end)
        assert not meets(member.breaks.on(start.date()), start, end)
        assert not any(o.start < slot.end and slot.start < o.end for o in member.time_off)
        taken = [(b.blocked_start, b.blocked_end) for b in world.bookings if b.staff_id == staff_id]
        taken += [(b.start, b.end) for b in world.busy if b.staff_id == staff_id]
        assert not any(a < high and low < b for a, b in taken)


@PROFILE
@given(worlds())
def test_no_slot_breaks_a_rule(world: World) -> None:
    for slot in available_slots(world.catalog, query(world), world.bookings, world.busy):
        check_slot(world, slot)


@PROFILE
@given(worlds(), st.data())
def test_booking_a_returned_slot_never_causes_an_overlap(world: World, data: st.DataObject) -> None:
    slots = available_slots(world.catalog, query(world), world.bookings, world.busy)
    if not slots:
        return
    slot = data.draw(st.sampled_from(slots))
    staff_id = data.draw(st.sampled_from(slot.staff_ids))
    svc = world.service
    new = BookedInterval(staff_id, slot.start, slot.end, svc.buffer_before, svc.buffer_after)
    after = World(world.catalog, svc, world.zone, world.now, [*world.bookings, new], world.busy)
    for again in available_slots(after.catalog, query(after), after.bookings, after.busy):
        check_slot(after, again)
        if staff_id in again.staff_ids:
            assert again.end + svc.buffer_after <= new.blocked_start or (
                again.start - svc.buffer_before >= new.blocked_end
            )
