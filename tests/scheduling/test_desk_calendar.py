"""The front desk's calendar plan (`scheduling.desk.calendar`): booked, free and closed time per
staff member and local day. Examples, DST days, and Hypothesis properties checked against an
oracle that works minute by minute with plain datetimes (not the engine's integer sweeps)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from catalog_builders import catalog, every_day, location, staff, uid
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scheduling.booking.model import Status
from scheduling.catalog import Archived, Catalog, Location, Staff
from scheduling.desk.calendar import Kind, Segment, StaffDay, Visit, plan, window
from scheduling.hours import Closure, DateOverride, TimeOff, TimeSpan, WeeklyHours, spans
from scheduling.occupancy import BusyInterval

NY = ZoneInfo("America/New_York")
TUESDAY = date(2026, 12, 8)
SPRING, AUTUMN = date(2026, 3, 8), date(2026, 11, 1)  # New York's DST changes


def _at(day: date, clock: str, zone: ZoneInfo = NY) -> datetime:
    return datetime.combine(day, time.fromisoformat(clock), zone)


def _visit(name: str, member: Staff, start: datetime, minutes: int,
           status: Status = Status.CONFIRMED, where: UUID | None = None) -> Visit:
    return Visit(uid(f"visit/{name}"), member.id, where or uid("loc"), uid("service"), start,
                 start + timedelta(minutes=minutes), status, name)


def _one(world: Catalog, day: date, visits: list[Visit], who: Staff | None = None) -> StaffDay:
    member = who or world.staff[0]
    return plan(world, world.business.locations[0], [day], visits, member.id).of(member.id, day)


def _shape(row: StaffDay, zone: ZoneInfo = NY) -> list[tuple[str, str, str, str]]:
    return [(s.kind.value, f"{s.start.astimezone(zone):%H:%M}", f"{s.end.astimezone(zone):%H:%M}",
             s.label) for s in row.segments]


def test_a_day_is_bookings_breaks_and_the_free_gaps_between() -> None:
    ana = staff("Ana", breaks=every_day("12:30-13:30"))
    world = catalog([ana], [])
    visits = [_visit("Carla", ana, _at(TUESDAY, "09:00"), 45),
              _visit("Petra", ana, _at(TUESDAY, "10:00"), 90, Status.PENDING),
              _visit("Cora", ana, _at(TUESDAY, "14:00"), 45, Status.CANCELLED),
              _visit("Elsewhere", ana, _at(TUESDAY, "16:00"), 45, Status.CANCELLED, uid("o"))]
    row = _one(world, TUESDAY, visits)
    assert _shape(row) == [
        ("booked", "09:00", "09:45", ""), ("free", "09:45", "10:00", ""),
        ("booked", "10:00", "11:30", ""), ("free", "11:30", "12:30", ""),
        ("break", "12:30", "13:30", "Break"), ("free", "13:30", "17:00", ""),
    ]
    assert [v.customer for v in row.cancelled] == ["Cora"]
    assert row.free_minutes == 15 + 60 + 210


def test_buffers_and_a_full_day_are_not_free() -> None:
    """The engine keeps a booking's buffers clear and books no more once the daily maximum is
    reached; a gap shown free there would send the desk to a form that refuses it."""
    ana = staff("Ana", max_bookings_per_day=2)
    colour = replace(_visit("Col", ana, _at(TUESDAY, "10:00"), 90),
                     buffer_after=timedelta(minutes=15))
    row = _one(catalog([ana], []), TUESDAY, [colour])
    assert _shape(row)[1:3] == [("booked", "10:00", "11:30", ""),
                                ("buffer", "11:30", "11:45", "Buffer")]
    second = _visit("Two", ana, _at(TUESDAY, "14:00"), 30, Status.PENDING)
    cancelled = _visit("Gone", ana, _at(TUESDAY, "15:00"), 30, Status.CANCELLED)
    full = _one(catalog([ana], []), TUESDAY, [colour, second, cancelled])
    assert {s.kind for s in full.segments} == {Kind.BOOKED, Kind.BUFFER, Kind.FULL}
    assert _shape(full)[0] == ("full", "09:00", "10:00", "Fully booked (2 a day)")
    room = _one(catalog([ana], []), TUESDAY, [colour, replace(second, status=Status.NO_SHOW)])
    assert Kind.FULL not in {s.kind for s in room.segments}  # as the engine counts


def test_busy_time_in_an_outside_calendar_is_not_free() -> None:
    ana, bo = staff("Ana"), staff("Bo")
    world = catalog([ana, bo], [])
    dentist = BusyInterval(ana.id, _at(TUESDAY, "15:00"), _at(TUESDAY, "16:30"))
    found = plan(world, world.business.locations[0], [TUESDAY], [], busy=[dentist])
    assert ("busy", "15:00", "16:30", "Busy in their own calendar") in \
        _shape(found.of(ana.id, TUESDAY))
    assert _shape(found.of(bo.id, TUESDAY)) == [("free", "09:00", "17:00", "")]


def test_states_the_desk_reads() -> None:
    ana = staff("Ana")
    base = _visit("x", ana, _at(TUESDAY, "09:00"), 30)
    assert replace(base, checked_in=True).state == "checked in"
    assert replace(base, status=Status.PENDING, deposit_due=True).state == "pending deposit"
    assert replace(base, status=Status.PENDING).state == "pending approval"
    assert replace(base, status=Status.NO_SHOW).state == "no-show"
    assert replace(base, status=Status.LATE_CANCEL).state == "late cancel"


def test_a_group_session_is_one_booked_segment_and_a_no_show_still_took_the_time() -> None:
    ana = staff("Ana")
    start = _at(TUESDAY, "11:00")
    seats = [_visit(n, ana, start, 60) for n in ("A", "B")] + \
        [_visit("Late", ana, start + timedelta(minutes=30), 60, Status.NO_SHOW)]
    row = _one(catalog([ana], []), TUESDAY, seats)
    booked = [s for s in row.segments if s.kind is Kind.BOOKED]
    assert len(booked) == 1 and [v.customer for v in booked[0].visits] == ["A", "B", "Late"]
    assert _shape(row)[1] == ("booked", "11:00", "12:30", "")


def test_a_booking_outside_hours_and_one_at_another_branch_still_show() -> None:
    ana = staff("Ana")
    early = _visit("Early", ana, _at(TUESDAY, "07:30"), 60)
    away = _visit("Away", ana, _at(TUESDAY, "13:00"), 60, where=uid("other"))
    row = _one(catalog([ana], []), TUESDAY, [early, away])
    assert _shape(row)[:2] == [("booked", "07:30", "08:30", ""), ("free", "09:00", "13:00", "")]
    assert ("booked", "13:00", "14:00", "elsewhere") in _shape(row)


def test_closed_days_time_off_and_overrides_are_labelled() -> None:
    ana = staff("Ana", time_off=(TimeOff(_at(TUESDAY, "16:00"), _at(TUESDAY, "18:00"),
                                         "dentist"),),
                overrides=(DateOverride(TUESDAY + timedelta(days=1), spans("10:00-12:00")),
                           DateOverride(TUESDAY + timedelta(days=2))))
    world = catalog([ana], [], closures=(Closure(TUESDAY, TUESDAY, "Christmas"),))
    shut = world.business.locations[0]
    assert _shape(_one(world, TUESDAY, [])) == [("closed", "09:00", "17:00", "Christmas")]
    days = plan(world, shut, [TUESDAY + timedelta(days=d) for d in (1, 2)], [])
    assert _shape(days.rows[0]) == [("free", "10:00", "12:00", "")]
    assert days.rows[1].segments == ()  # a day off by override
    open_again = catalog([ana], [])
    assert _shape(_one(open_again, TUESDAY, []))[-1] == ("time_off", "16:00", "17:00", "dentist")


def test_time_off_across_midnight_is_cut_at_each_local_midnight() -> None:
    night = staff("Nia", weekly_hours=every_day("00:00-00:00"),
                  time_off=(TimeOff(_at(TUESDAY, "22:00"), _at(TUESDAY, "22:00")
                                    + timedelta(hours=4)),))
    world = catalog([night], [])
    both = plan(world, world.business.locations[0], [TUESDAY, TUESDAY + timedelta(days=1)], [])
    assert _shape(both.rows[0])[-1] == ("time_off", "22:00", "00:00", "Time off")
    assert _shape(both.rows[1])[0] == ("time_off", "00:00", "02:00", "Time off")


def test_on_dst_days_hours_stay_on_the_wall_clock() -> None:
    ana = staff("Ana", weekly_hours=every_day("00:00-00:00"))
    world = catalog([ana], [])
    for day, hours in ((SPRING, 23), (AUTUMN, 25)):
        row = _one(world, day, [_visit("V", ana, _at(day, "09:00"), 60)])
        assert _shape(row) == [("free", "00:00", "09:00", ""), ("booked", "09:00", "10:00", ""),
                               ("free", "10:00", "00:00", "")]
        assert sum(s.minutes for s in row.segments) == hours * 60
        low, high = window(world.business.locations[0], [day])
        assert high - low == timedelta(hours=hours)


def test_columns_are_the_location_staff_plus_archived_staff_with_bookings_there() -> None:
    ana, gone, elsewhere = staff("Ana"), staff("Gone"), staff("Eli", location_ids=frozenset())
    world = replace(catalog([ana, elsewhere], []), archived=Archived(staff=(gone,)))
    visits = [_visit("Old", gone, _at(TUESDAY, "10:00"), 30),
              _visit("Stray", replace(gone, id=uid("unknown")), _at(TUESDAY, "11:00"), 30)]
    found = plan(world, world.business.locations[0], [TUESDAY], visits)
    assert [m.name for m in found.staff] == ["Ana", "Gone"]
    assert _shape(found.of(gone.id, TUESDAY)) == [("booked", "10:00", "10:30", "")]
    alone = plan(world, world.business.locations[0], [TUESDAY], visits, elsewhere.id)
    assert alone.of(elsewhere.id, TUESDAY).segments == ()  # works at no location here


# --- properties -------------------------------------------------------------------------

ZONES = ["America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe", "UTC"]
DAYS = [SPRING, AUTUMN, date(2026, 3, 29), date(2026, 10, 25), date(2026, 4, 5), TUESDAY]
World = tuple[Catalog, Location, date, list[Visit], list[BusyInterval]]
OCCUPYING = (Status.PENDING, Status.CONFIRMED, Status.COMPLETED, Status.NO_SHOW)
PROFILE = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def day_spans(draw: st.DrawFn) -> tuple[TimeSpan, ...]:
    cuts = sorted(draw(st.sets(st.integers(0, 96), max_size=4)))
    pairs = zip(cuts[::2], cuts[1::2], strict=False)
    return tuple(TimeSpan(_quarter(a), _quarter(b)) for a, b in pairs if a < b)


def _quarter(n: int) -> time:
    return time(0) if n == 96 else time(n // 4, n % 4 * 15)


@st.composite
def worlds(draw: st.DrawFn) -> World:
    zone = ZoneInfo(draw(st.sampled_from(ZONES)))
    day = draw(st.sampled_from(DAYS))
    week = lambda: WeeklyHours(tuple(draw(day_spans()) for _ in range(7)))  # noqa: E731
    closed = draw(st.booleans())
    shaped = dict(zone=str(zone), opening_hours=week(),
                  closures=(Closure(day, day, "shut"),) if closed else ())
    place = location(**shaped)
    minutes = st.integers(-6 * 60, 30 * 60)
    offs = draw(st.lists(st.tuples(minutes, st.integers(15, 600)), max_size=2))
    member = staff("Ana", weekly_hours=week(), breaks=week(), time_off=tuple(
        TimeOff(_from(day, zone, a), _from(day, zone, a + n), "off") for a, n in offs),
        max_bookings_per_day=draw(st.sampled_from([None, 1, 2, 3])))
    buffer = st.sampled_from([timedelta(0), timedelta(minutes=10), timedelta(minutes=30)])
    booked = draw(st.lists(st.tuples(minutes, st.integers(5, 180), st.sampled_from(list(Status)),
                                     buffer, buffer), max_size=5))
    visits = [Visit(uid(f"v{i}"), member.id, place.id, uid("s"), _from(day, zone, a),
                    _from(day, zone, a + n), status, f"c{i}", buffer_before=before,
                    buffer_after=after)
              for i, (a, n, status, before, after) in enumerate(booked)]
    busy = [BusyInterval(who, _from(day, zone, a), _from(day, zone, a + n))
            for a, n, who in draw(st.lists(st.tuples(minutes, st.integers(5, 240),
                                                     st.sampled_from([member.id, uid("x")])),
                                           max_size=2))]
    return catalog([member], [], **shaped), place, day, visits, busy


def _from(day: date, zone: ZoneInfo, minutes: int) -> datetime:
    """`minutes` of elapsed time after the day's local midnight (may leave the day)."""
    return datetime.combine(day, time(0), zone) + timedelta(minutes=minutes)


def _minutes(start: datetime, end: datetime) -> set[int]:
    low, high = (int(m.timestamp()) // 60 for m in (start, end))
    return set(range(low, high))


def _local(day: date, spans: tuple[TimeSpan, ...], zone: ZoneInfo) -> set[int]:
    """A wall-clock span on `day` as UTC minutes, by `zoneinfo` directly (the oracle)."""
    out: set[int] = set()
    for span in spans:
        end_day = day + timedelta(days=1) if span.end == time(0) else day
        out |= _minutes(datetime.combine(day, span.start, zone),
                        datetime.combine(end_day, span.end, zone))
    return out


def _full(member: Staff, visits: list[Visit], day: date, zone: ZoneInfo) -> bool:
    """The daily maximum reached: that many distinct pending or confirmed starts that day."""
    starts = {v.start for v in visits if v.status in (Status.PENDING, Status.CONFIRMED)
              and v.start.astimezone(zone).date() == day}
    return member.max_bookings_per_day is not None and \
        len(starts) >= member.max_bookings_per_day


def _of(segments: tuple[Segment, ...], *kinds: Kind) -> set[int]:
    return {m for s in segments if s.kind in kinds for m in _minutes(s.start, s.end)}


@PROFILE
@given(worlds())
def test_segments_cover_working_and_booked_time_exactly_once(
    world: World,
) -> None:
    found, place, day, visits, busy = world
    member, zone = found.staff[0], place.zone
    row = plan(found, place, [day], visits, busy=busy).of(member.id, day)
    whole_day = _minutes(*window(place, [day]))
    working = _local(day, place.opening_hours.on(day), zone) & \
        _local(day, member.weekly_hours.on(day), zone)
    booked = {m for v in visits if v.status in OCCUPYING
              for m in _minutes(v.start, v.end)} & whole_day
    covered = [m for s in row.segments for m in _minutes(s.start, s.end)]
    assert len(covered) == len(set(covered)), "segments overlap"
    assert set(covered) == working | booked
    assert _of(row.segments, Kind.BOOKED) == booked
    away = {m for off in member.time_off for m in _minutes(off.start, off.end)} | \
        _local(day, member.breaks.on(day), zone) | \
        (whole_day if place.closures or _full(member, visits, day, zone) else set()) | \
        {m for v in visits if v.status in OCCUPYING
         for m in _minutes(v.start - v.buffer_before, v.end + v.buffer_after)} | \
        {m for b in busy if b.staff_id == member.id for m in _minutes(b.start, b.end)}
    assert _of(row.segments, Kind.FREE) == working - booked - away
    shut = (Kind.BREAK, Kind.TIME_OFF, Kind.CLOSED, Kind.BUSY, Kind.BUFFER, Kind.FULL)
    assert _of(row.segments, *shut) == (working & away) - booked
    assert [s.start for s in row.segments] == sorted(s.start for s in row.segments)
    assert all(s.start < s.end for s in row.segments)


@PROFILE
@given(worlds())
def test_a_week_is_its_days_planned_one_by_one(
    world: World,
) -> None:
    found, place, day, visits, busy = world
    days = [day + timedelta(days=i) for i in range(-1, 2)]
    week = plan(found, place, days, visits, busy=busy)
    for one in days:
        alone = plan(found, place, [one], visits, busy=busy)
        assert week.of(found.staff[0].id, one) == alone.of(found.staff[0].id, one)


def test_window_is_utc_aware() -> None:
    low, high = window(location(), [TUESDAY])
    assert low.astimezone(UTC) == datetime(2026, 12, 8, 5, tzinfo=UTC)
    assert high - low == timedelta(days=1)
