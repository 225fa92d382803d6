"""The one availability path: what takes staff time, loaded once the same way for everyone.

Chat offers (`scheduling.desk.slots`), the REST API's open times and suggestions, the booking
pages and booking placement all read occupancy here: bookings and live holds (held times not
yet expired) from the appointments repository, and busy time in outside calendars (Google)
from its busy-time source. The engine then applies the same notice, horizon and hours rules to
all of them. A surface that loaded only bookings would offer a time the owner is busy in
Google and have it refused on "yes"; keeping one loader makes that impossible to reintroduce.

Timed releases (issue 20) are applied here too: what a release rule keeps closed to the asker
(`scheduling.releases.cutoffs`) counts as busy time of the staff it binds, from the start of
the first period not yet open onwards. Without an `Access` the rules are read as for everyone,
so a surface that forgets who asks offers less, never more. A slot whose buffered time crosses
the start of an unreleased period (one ending past midnight into it) counts as closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from scheduling.assignment import eligible_staff
from scheduling.availability import AvailabilityQuery, Slot, available_slots
from scheduling.catalog import Catalog
from scheduling.occupancy import BookedInterval, BusyInterval
from scheduling.ports import AppointmentsPort
from scheduling.releases import Access, cutoffs

MARGIN = timedelta(days=1)
"""Bookings this far either side of the range are loaded when a daily maximum applies: enough
for a local day's count."""
SECOND = timedelta(seconds=1)
CLOSED_SPAN = timedelta(days=3660)
"""How far an unreleased range reaches: past any booking horizon."""


@dataclass(frozen=True, slots=True)
class Occupancy:
    """Everything that keeps the searched staff from a slot, as the engine takes it."""

    booked: tuple[BookedInterval, ...]
    busy: tuple[BusyInterval, ...]


async def occupancy(
    repo: AppointmentsPort, catalog: Catalog, query: AvailabilityQuery,
    exclude: Iterable[UUID] = (), access: Access | None = None,
) -> Occupancy:
    """Bookings, live holds and outside busy time of the staff who could take `query`, in
    the `window` around its range, and what release rules keep closed to `access` (read as
    for everyone when None). `exclude` names appointments whose own time does not count
    (the one being moved)."""
    staff_ids = staff_for(catalog, query)
    start, stop = window(catalog, query.service_id, staff_ids, query.start, query.end)
    booked = await repo.intervals(staff_ids, start, stop, query.now, exclude)
    busy = await repo.busy_times(staff_ids, start, stop)
    if access is None:
        access = await repo.release_access(catalog.business.id)
    closed = unreleased(access, catalog, query.service_id, staff_ids, query.now)
    return Occupancy(tuple(booked), (*busy, *closed))


def unreleased(
    access: Access, catalog: Catalog, service_id: UUID, staff_ids: Sequence[UUID],
    now: datetime,
) -> tuple[BusyInterval, ...]:
    """The time release rules keep closed to `access`, as busy time of each bound member."""
    cut = cutoffs(access, service_id, staff_ids, catalog.business.zone, now)
    return tuple(BusyInterval(staff_id, at, at + CLOSED_SPAN) for staff_id, at in cut.items())


async def open_slots(
    repo: AppointmentsPort, catalog: Catalog, query: AvailabilityQuery,
    exclude: Iterable[UUID] = (), access: Access | None = None,
) -> list[Slot]:
    """Every bookable start for `query` given what is taken now (see `occupancy`)."""
    taken = await occupancy(repo, catalog, query, exclude, access)
    return available_slots(catalog, query, taken.booked, taken.busy)


def window(
    catalog: Catalog, service_id: UUID, staff_ids: Sequence[UUID], start: datetime,
    end: datetime,
) -> tuple[datetime, datetime]:
    """The time whose bookings and busy time can decide a start in `[start, end)`: what the
    service with its own buffers could meet (another booking's blocked time carries its
    buffers), and a second either side. A day either side (`MARGIN`) when one of the staff
    has a daily maximum, whose count needs the whole local day. Not reading further than that
    keeps a busy salon's placement from loading and decoding days of bookings it cannot use."""
    service = catalog.service(service_id)
    if any(member.max_bookings_per_day is not None
           for member in catalog.staff if member.id in staff_ids):
        return start - MARGIN, end + service.duration + MARGIN
    return (start - service.buffer_before - SECOND,
            end + service.duration + service.buffer_after + SECOND)


def staff_for(catalog: Catalog, query: AvailabilityQuery) -> list[UUID]:
    """The staff whose time matters: the one asked for, else everyone the engine could pick
    at the query's location (or any location)."""
    if query.staff_id is not None:
        return [query.staff_id]
    service = catalog.service(query.service_id)
    locations = [query.location_id] if query.location_id else [
        loc.id for loc in catalog.business.locations
    ]
    return list(dict.fromkeys(
        s.id for loc in locations for s in eligible_staff(catalog, service, loc, query.wish)
    ))
