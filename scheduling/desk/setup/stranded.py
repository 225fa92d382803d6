"""Which upcoming appointments a catalog change leaves outside working time.

Pure: the catalog before, the catalog after, the appointments; an appointment is stranded when
the old catalog had room for it (open, on shift, not on a break, off or closed) and the new one
has not, so appointments the owner booked outside hours on purpose are not listed again.
"""

from __future__ import annotations

from collections.abc import Iterable

from scheduling.booking.model import Appointment
from scheduling.catalog import Catalog, LocationType
from scheduling.hours import LocalDays
from scheduling.timeline import Span, intersect, merge, seconds, subtract


def stranded(old: Catalog, new: Catalog, upcoming: Iterable[Appointment]
             ) -> tuple[Appointment, ...]:
    found = (a for a in upcoming if fits(old, a) and not fits(new, a))
    return tuple(sorted(found, key=lambda a: (a.start, str(a.id))))


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

