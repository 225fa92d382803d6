"""Which upcoming appointments a catalog change leaves outside working time.

Pure: the catalog before, the catalog after, the appointments; an appointment is stranded when
the old catalog had room for it (open, on shift, not on a break, off or closed) and the new one
has not, so appointments the owner booked outside hours on purpose are not listed again.

Room includes a staff member's daily maximum: lowered below what a day already holds, the
appointments booked last that day are the ones over it (the earlier bookings were made first,
in good faith, and keep their place); a group session counts once, as the engine counts it.
Only the upcoming appointments are counted: ones earlier today, already past, are not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from uuid import UUID

from scheduling.booking.model import Appointment
from scheduling.catalog import Catalog, LocationType
from scheduling.hours import LocalDays
from scheduling.timeline import Span, intersect, merge, seconds, subtract


def stranded(old: Catalog, new: Catalog, upcoming: Iterable[Appointment]
             ) -> tuple[Appointment, ...]:
    listed = list(upcoming)
    was_over, now_over = over_daily_max(old, listed), over_daily_max(new, listed)
    found = (a for a in listed if fits(old, a) and a.id not in was_over
             and (a.id in now_over or not fits(new, a)))
    return tuple(sorted(found, key=lambda a: (a.start, str(a.id))))


def over_daily_max(catalog: Catalog, appointments: Iterable[Appointment]) -> set[UUID]:
    """The appointments beyond their staff member's daily maximum: per member and day on the
    location's clock, sessions (one start, however many seats) in the order they were first
    booked; those past the maximum are over."""
    limits = {m.id: m.max_bookings_per_day for m in catalog.staff if m.max_bookings_per_day}
    zones = {loc.id: loc.zone for loc in catalog.business.locations}
    days: defaultdict[tuple[UUID, date], defaultdict[datetime, list[Appointment]]] = (
        defaultdict(lambda: defaultdict(list)))
    for a in appointments:
        if a.staff_id in limits:
            local = a.start.astimezone(zones.get(a.location_id, catalog.business.zone))
            days[a.staff_id, local.date()][a.start].append(a)
    over: set[UUID] = set()
    for (staff_id, _), sessions in days.items():
        ranked = sorted(sessions.values(), key=lambda s: min((a.created_at, str(a.id)) for a in s))
        over.update(a.id for session in ranked[limits[staff_id]:] for a in session)
    return over


def fits(catalog: Catalog, appointment: Appointment) -> bool:
    """Whether the offered catalog (archived entries aside) has working time for it."""
    start, end = seconds(appointment.start), seconds(appointment.end)
    return any(a <= start and end <= b for a, b in _working(catalog, appointment))


def _working(catalog: Catalog, appointment: Appointment) -> list[Span]:
    try:
        service = next(s for s in catalog.services if s.id == appointment.service_id)
        member = next(s for s in catalog.staff if s.id == appointment.staff_id)
        location = next(loc for loc in catalog.business.locations
                        if loc.id == appointment.location_id)
    except StopIteration:
        return []
    days = LocalDays.around(location.zone, appointment.start, appointment.end)
    shift = days.expand(member.weekly_hours, member.overrides)
    if service.location_type is LocationType.IN_PERSON:
        shift = intersect(shift, days.expand(location.opening_hours))
    away = days.expand(member.breaks) + days.closed(location.closures)
    away += [(seconds(off.start), seconds(off.end)) for off in member.time_off]
    return subtract(shift, merge(away))

