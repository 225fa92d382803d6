"""The day picker: a week of days, the chosen day's free times, from `free_times` (the one
availability path: bookings, live holds and Google busy time, as chat and the API see them).

Weeks start today and run in sevens, so a day in the address always falls in one of them;
a date that cannot be read or lies outside the bookable range is an `InvalidRequest` the page
shows next to the picker, never date arithmetic on year 9999.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from assistant.gateway import free_times
from assistant.gateway.appointment_pages.inputs import read_day
from assistant.gateway.free_times import FreeDay, FreeTime, FreeWeek, Search
from scheduling.catalog import Catalog
from scheduling.ports import AppointmentsPort

WEEK = timedelta(days=free_times.WEEK)


@dataclass(frozen=True, slots=True)
class Picker:
    """What the picker shows: the week, the chosen day, and for a time just lost the nearest
    free ones instead."""

    week: FreeWeek
    day: FreeDay
    nearest: tuple[FreeTime, ...] = ()


def week_of(today: date, day: date) -> date:
    return today + WEEK * ((day - today) // WEEK)


async def picker(
    repo: AppointmentsPort, catalog: Catalog, search: Search, raw_day: str | None,
    now: datetime,
) -> Picker:
    """The week holding `raw_day` (today's when None) and that day, else its first free day."""
    today, _ = free_times.bookable_days(catalog, search, now)
    wanted = None
    if raw_day:
        wanted = free_times.check_day(catalog, search, read_day(raw_day), now)
    week = await free_times.free_week(repo, catalog, search, week_of(today, wanted or today),
                                      now)
    chosen = next((d for d in week.days if d.day == wanted), None)
    chosen = chosen or next((d for d in week.days if d.times), week.days[0])
    return Picker(week, chosen)
