"""The availability engine on small, hand-checked cases."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

import pytest
from catalog_builders import at, catalog, every_day, local_times, service, staff, uid

from scheduling.availability import AvailabilityQuery, available_slots
from scheduling.catalog import Catalog, Location, LocationType
from scheduling.errors import InvalidRequest, NotFound, PolicyViolation
from scheduling.hours import Closure, DateOverride, TimeOff, spans
from scheduling.occupancy import BookedInterval, BusyInterval

NY = "America/New_York"
MONDAY = at(NY, 2026, 11, 23)
EARLY = MONDAY - timedelta(days=7)


def day_query(svc_minutes: int = 30, day: datetime = MONDAY, **extra: object) -> AvailabilityQuery:
    base = AvailabilityQuery(service().id, day, day + timedelta(days=1), EARLY)
    return replace(base, **extra)  # type: ignore[arg-type]


def hours(*clock: str) -> list[time]:
    return [time.fromisoformat(text) for text in clock]


def test_slots_follow_the_interval_inside_working_hours() -> None:
    cat = catalog([staff("ana", weekly_hours=every_day("09:00-11:00"))])
    slots = available_slots(cat, day_query())
    assert local_times(slots, NY) == hours(
        "09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30"
    )
    assert slots[0].end - slots[0].start == timedelta(minutes=30)
    assert slots[0].staff_ids == (uid("ana"),)


def test_opening_hours_breaks_and_closures_cut_the_day() -> None:
    cat = catalog(
        [staff("ana", weekly_hours=every_day("08:00-13:00"), breaks=every_day("11:00-11:30"))],
        opening_hours=every_day("09:00-12:00"),
        closures=(Closure(date(2026, 11, 24), date(2026, 11, 24), "holiday"),),
    )
    slots = available_slots(cat, replace(day_query(), end=MONDAY + timedelta(days=2)))
    assert local_times(slots, NY) == hours(
        "09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30", "11:30"
    )
    assert all(s.start < MONDAY + timedelta(days=1) for s in slots)


def test_bookings_block_with_both_services_buffers() -> None:
    svc = service(buffer_before=timedelta(minutes=10), buffer_after=timedelta(minutes=5))
    cat = catalog([staff("ana", weekly_hours=every_day("09:00-12:00"))], [svc])
    booked = BookedInterval(
        uid("ana"), at(NY, 2026, 11, 23, 10), at(NY, 2026, 11, 23, 10, 30),
        buffer_before=timedelta(minutes=15), buffer_after=timedelta(minutes=15),
    )
    slots = available_slots(cat, day_query(), [booked])
    # blocked 09:45-10:45; the new cut needs 10 min before and 5 after itself
    assert local_times(slots, NY) == hours("09:00", "11:00", "11:15", "11:30")


def test_busy_times_time_off_and_day_off_override() -> None:
    ana = staff(
        "ana", weekly_hours=every_day("09:00-11:00"),
        time_off=(TimeOff(at(NY, 2026, 11, 23, 10), at(NY, 2026, 11, 23, 10, 30)),),
        overrides=(DateOverride(date(2026, 11, 24)),),
    )
    busy = BusyInterval(uid("ana"), at(NY, 2026, 11, 23, 9), at(NY, 2026, 11, 23, 9, 20))
    query = replace(day_query(), end=MONDAY + timedelta(days=2))
    slots = available_slots(catalog([ana]), query, busy=[busy])
    assert local_times(slots, NY) == hours("09:30", "10:30")


def test_override_gives_a_day_different_hours() -> None:
    ana = staff("ana", overrides=(DateOverride(date(2026, 11, 23), spans("14:00-15:00")),))
    assert local_times(available_slots(catalog([ana]), day_query()), NY) == hours(
        "14:00", "14:15", "14:30"
    )


def test_notice_and_horizon() -> None:
    svc = service(min_notice=timedelta(hours=2), max_advance_days=1)
    cat = catalog([staff("ana", weekly_hours=every_day("09:00-17:00"))], [svc])
    now = at(NY, 2026, 11, 23, 14, 5)
    query = AvailabilityQuery(svc.id, MONDAY, MONDAY + timedelta(days=3), now)
    slots = available_slots(cat, query)
    assert slots[0].start.astimezone(UTC) == at(NY, 2026, 11, 23, 16, 15).astimezone(UTC)
    assert max(s.start for s in slots) <= now + timedelta(days=1)


def test_max_bookings_per_day_closes_the_day() -> None:
    ana = staff("ana", max_bookings_per_day=1)
    booked = BookedInterval(uid("ana"), at(NY, 2026, 11, 23, 9), at(NY, 2026, 11, 23, 9, 30))
    query = replace(day_query(), end=MONDAY + timedelta(days=2))
    slots = available_slots(catalog([ana]), query, [booked])
    assert {s.start.astimezone(MONDAY.tzinfo).date() for s in slots} == {date(2026, 11, 24)}


def test_any_staff_lists_everyone_free_and_skills_filter() -> None:
    team = [
        staff("ana", weekly_hours=every_day("09:00-10:00")),
        staff("bo", weekly_hours=every_day("09:30-10:30")),
        staff("cy", weekly_hours=every_day("09:00-10:30"), skills=frozenset({"nails"})),
    ]
    slots = available_slots(catalog(team), day_query())
    assert [(s.start.astimezone(MONDAY.tzinfo).time(), s.staff_ids) for s in slots][1:4] == [
        (time(9, 15), (uid("ana"),)),
        (time(9, 30), (uid("ana"), uid("bo"))),
        (time(9, 45), (uid("bo"),)),
    ]


def test_language_wish_filters_staff() -> None:
    team = [staff("ana", languages=frozenset({"en", "es"})), staff("bo")]
    slots = available_slots(catalog(team), day_query(language="es"))
    assert {s.staff_ids for s in slots} == {(uid("ana"),)}


def test_named_staff_without_the_skill_is_refused() -> None:
    team = [staff("ana"), staff("cy", skills=frozenset({"nails"}))]
    with pytest.raises(PolicyViolation) as refused:
        available_slots(catalog(team), day_query(staff_id=uid("cy")))
    assert refused.value.policy == "staff_skills"
    with pytest.raises(NotFound):
        available_slots(catalog(team), day_query(staff_id=uid("nobody")))


def test_group_slot_stays_open_until_seats_are_full() -> None:
    yoga = service("yoga", 60, capacity=3, max_participants=2, slot_interval=timedelta(hours=1))
    cat = catalog([staff("ana", weekly_hours=every_day("09:00-11:00"))], [yoga])
    start, end = at(NY, 2026, 11, 23, 9), at(NY, 2026, 11, 23, 10)
    one = BookedInterval(uid("ana"), start, end, service_id=yoga.id, seats=1)
    query = AvailabilityQuery(yoga.id, MONDAY, MONDAY + timedelta(days=1), EARLY, seats=2)
    slots = available_slots(cat, query, [one])
    assert [(s.start, s.seats_left) for s in slots] == [(start, 2), (end, 3)]
    two = replace(one, seats=2)
    assert [s.start for s in available_slots(cat, query, [one, two])] == [end]


def test_group_session_blocks_other_starts_for_the_same_staff() -> None:
    yoga = service("yoga", 60, capacity=3, slot_interval=timedelta(minutes=30))
    cat = catalog([staff("ana", weekly_hours=every_day("09:00-11:00"))], [yoga])
    one = BookedInterval(uid("ana"), at(NY, 2026, 11, 23, 9, 30), at(NY, 2026, 11, 23, 10, 30),
                         service_id=yoga.id)
    query = AvailabilityQuery(yoga.id, MONDAY, MONDAY + timedelta(days=1), EARLY)
    assert local_times(available_slots(cat, query, [one]), NY) == hours("09:30")


def test_participants_outside_the_service_limits_are_invalid() -> None:
    with pytest.raises(InvalidRequest):
        available_slots(catalog(), day_query(seats=2))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(InvalidRequest):
        AvailabilityQuery(uid("x"), datetime(2026, 1, 1), datetime(2026, 1, 2), EARLY)


def test_virtual_service_ignores_opening_hours_but_not_closures() -> None:
    call = service(location_type=LocationType.PHONE)
    cat = catalog([staff("ana", weekly_hours=every_day("07:00-08:00"))], [call],
                  opening_hours=every_day("09:00-17:00"))
    assert local_times(available_slots(cat, day_query()), NY)[0] == time(7, 0)


def test_two_locations_each_in_its_own_zone_and_named_staff_at_theirs() -> None:
    london = Location(uid("london"), "London", "Europe/London", every_day("09:00-10:00"))
    cat = catalog([staff("ana"), staff("bo", location_ids=frozenset({uid("london")}),
                                        weekly_hours=every_day("09:00-10:00"))])
    both = Catalog(replace(cat.business, locations=(*cat.business.locations, london)),
                   cat.staff, cat.services)
    slots = available_slots(both, day_query())
    assert {s.location_id for s in slots} == {uid("loc"), uid("london")}
    assert slots == sorted(slots, key=lambda s: s.start)
    theirs = available_slots(both, day_query(staff_id=uid("bo")))
    assert {s.location_id for s in theirs} == {uid("london")}
    assert local_times(theirs, "Europe/London") == hours("09:00", "09:15", "09:30")
