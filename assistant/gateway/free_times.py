"""The free times customers pick from on the pages: a day or a week of them, by local day.

The booking page (`/book`) and the reschedule picker show what `openings.open_slots` returns:
the one availability path chat, the REST API and booking placement share (bookings, live
holds and Google busy time; notice, horizon and hours rules), so a time shown is a time a
booking accepts. Here the slots are only grouped by the day they fall on in the zone the
customer reads them in (the customer's when given, else the location's when one is chosen,
else the business's) and worded through
`scheduling.formats`. Values out, no HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling import formats
from scheduling.availability import AvailabilityQuery, Slot
from scheduling.booking.openings import open_slots
from scheduling.catalog import Catalog, zone
from scheduling.errors import InvalidRequest
from scheduling.ports import AppointmentsPort
from scheduling.releases_words import pending_notes

WEEK = 7


@dataclass(frozen=True, slots=True)
class Search:
    """A service with one staff member or anyone (None), read in `time_zone` (None: the
    location's, or the business's) and worded for `locale`; `exclude` names appointments
    whose own time counts as free (the one being moved); `location_id` None searches every
    location."""

    service_id: UUID
    staff_id: UUID | None = None
    time_zone: str | None = None
    locale: str = formats.DEFAULT_LOCALE
    exclude: tuple[UUID, ...] = ()
    location_id: UUID | None = None


@dataclass(frozen=True, slots=True)
class FreeTime:
    """A bookable start: `clock` is "3:30 PM", `when` "Friday, March 12 at 3:30 PM"."""

    start: datetime
    clock: str
    when: str
    staff_ids: tuple[UUID, ...]


@dataclass(frozen=True, slots=True)
class FreeDay:
    """One local day; `label` is "today", "tomorrow" or "Friday, March 12"."""

    day: date
    label: str
    times: tuple[FreeTime, ...]


@dataclass(frozen=True, slots=True)
class FreeWeek:
    """Seven local days from `days[0]`; `previous` and `next` start the neighbouring weeks
    (None where they would leave the bookable range)."""

    days: tuple[FreeDay, ...]
    time_zone: str
    previous: date | None
    next: date | None
    releases: tuple[str, ...] = ()
    """When this week's unreleased times open ("Next week's slots open Sunday at 6 PM")."""

    @property
    def first(self) -> date:
        return self.days[0].day

    @property
    def any_free(self) -> bool:
        return any(d.times for d in self.days)


def display_zone(catalog: Catalog, search: Search) -> ZoneInfo:
    """The customer's zone when given, else the chosen location's, else the business's;
    InvalidRequest for an unknown one."""
    if search.time_zone:
        return zone(search.time_zone)
    if search.location_id:
        return catalog.location(search.location_id).zone
    return catalog.business.zone


def bookable_days(catalog: Catalog, search: Search, now: datetime) -> tuple[date, date]:
    """The first and last local day a time may be shown on: today to the service's horizon."""
    today = now.astimezone(display_zone(catalog, search)).date()
    horizon = catalog.service(search.service_id).max_advance_days
    return today, today + timedelta(days=horizon)


def check_day(catalog: Catalog, search: Search, day: date, now: datetime) -> date:
    """`day` when times may be shown on it; InvalidRequest (field "date") otherwise, so a year
    9999 never reaches date arithmetic."""
    first, last = bookable_days(catalog, search, now)
    if not first <= day <= last:
        shown = display_zone(catalog, search)
        first_day, last_day = (formats.day(_midnight(d, shown), shown, search.locale)
                               for d in (first, last))
        raise InvalidRequest(f"choose a date from {first_day} to {last_day}", field="date")
    return day


async def free_day(
    repo: AppointmentsPort, catalog: Catalog, search: Search, day: date, now: datetime
) -> FreeDay:
    """The free times of one local day (checked with `check_day`)."""
    return (await _days(repo, catalog, search, check_day(catalog, search, day, now), 1, now))[0][0]


async def free_week(
    repo: AppointmentsPort, catalog: Catalog, search: Search, first: date | None,
    now: datetime,
) -> FreeWeek:
    """The free times of seven local days from `first` (None: today), read in one query."""
    today, last = bookable_days(catalog, search, now)
    start = check_day(catalog, search, first or today, now)
    days, releases = await _days(repo, catalog, search, start, WEEK, now)
    previous = max(today, start - timedelta(days=WEEK)) if start > today else None
    following = start + timedelta(days=WEEK)
    return FreeWeek(tuple(days), str(display_zone(catalog, search)), previous,
                    following if following <= last else None, releases)


def worded(
    slots: Iterable[Slot], catalog: Catalog, search: Search, now: datetime
) -> tuple[FreeTime, ...]:
    """Slots as free times, one per start (a start open at two locations is offered once):
    the nearest alternatives after a lost race, for instance."""
    shown = display_zone(catalog, search)
    merged: dict[datetime, tuple[UUID, ...]] = {}
    for slot in slots:
        known = merged.get(slot.start, ())
        merged[slot.start] = known + tuple(s for s in slot.staff_ids if s not in known)
    return tuple(FreeTime(start, formats.clock(start, shown, search.locale),
                          formats.day_and_time(start, shown, search.locale, now), staff)
                 for start, staff in merged.items())


async def _days(
    repo: AppointmentsPort, catalog: Catalog, search: Search, first: date, count: int,
    now: datetime,
) -> tuple[list[FreeDay], tuple[str, ...]]:
    """The days' free times, and when the days' unreleased times open (as for everyone)."""
    shown = display_zone(catalog, search)
    midnights = [_midnight(first + timedelta(days=n), shown) for n in range(count + 1)]
    query = AvailabilityQuery(search.service_id, midnights[0], midnights[-1], now,
                              staff_id=search.staff_id, location_id=search.location_id)
    access = await repo.release_access(catalog.business.id)
    slots = await open_slots(repo, catalog, query, search.exclude, access)
    times = worded(slots, catalog, search, now)
    notes = pending_notes(access, search.service_id, search.staff_id, catalog.business.zone,
                          midnights[0], midnights[-1], now)
    return [FreeDay(day.date(), formats.day(day, shown, search.locale, now),
                    tuple(t for t in times if t.start.astimezone(shown).date() == day.date()))
            for day in midnights[:-1]], tuple(note for _, _, note in notes)


def _midnight(day: date, shown: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), shown)
