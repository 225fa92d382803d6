"""What the bot understood of the day and time, said back with its offers (issue 18, kind 4).

"Here is what I have for Friday, December 4 at 3 PM (not on Mondays, from 11 AM):" lets the
customer see a misreading before picking, instead of an offer labelled "as you asked" at a
time they never asked for. Nothing is said back for "earliest" or "something later".
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from rasa_sdk import Tracker

from actions import constraints
from actions.zones import Zones
from scheduling import formats
from scheduling.timeexpr.constraint import Constraint

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORKDAYS, WEEKEND = frozenset(range(5)), frozenset({5, 6})


def said_back(tracker: Tracker, zones: Zones, now: datetime) -> str:
    """" for Friday, December 4 at 3 PM (not on Mondays)", or "" when nothing was asked."""
    if tracker.get_slot("when") in ("later", "earlier", "earliest"):
        return ""
    start, end = tracker.get_slot("when_start"), tracker.get_slot("when_end")
    when = _when(datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None,
                 zones, now) if start else ""
    found = constraints.of(tracker.get_slot(constraints.SLOT))
    if found and start and found.weekdays == {_weekday(start, zones)}:
        found = replace(found, weekdays=frozenset())  # "Friday" said once is enough
    rules = constraint_words(found, zones, now) if found else []
    return when + (f" ({', '.join(rules)})" if rules else "")


def _weekday(moment: str, zones: Zones) -> int:
    return datetime.fromisoformat(moment).astimezone(zones.customer).weekday()


def _when(begin: datetime, finish: datetime | None, zones: Zones, now: datetime) -> str:
    day = zones.day(begin, now)
    if finish is None:
        return f" for {day} at {formats.clock(begin, zones.customer)}"
    first, last = begin.astimezone(zones.customer), finish.astimezone(zones.customer)
    if first.time() == last.time() == time(0):
        days = (last.date() - first.date()).days
        return f" for {day}" if days == 1 else \
            f" from {day} to {zones.day(finish - timedelta(days=1), now)}"
    if last.date() == first.date() or last.time() == time(0):
        return f" for {day}, {_clock(first, zones)} to {_clock(last, zones)}"
    return f" from {zones.when(begin, now)} to {zones.when(finish, now)}"


def _clock(moment: datetime, zones: Zones) -> str:
    return "midnight" if moment.time() == time(0) else formats.clock(moment, zones.customer)


def constraint_words(found: Constraint, zones: Zones, now: datetime) -> list[str]:
    """Each restriction in words: "Tuesdays or Thursdays", "not on Mondays", "from 10 AM"."""
    words = []
    if found.weekdays:
        words.append(_days(found.weekdays))
    if found.not_weekdays:
        words.append(f"not on {_days(found.not_weekdays)}")
    if found.not_dates:
        words.append("not " + " or ".join(_date(d, zones, now) for d in sorted(found.not_dates)))
    clock = {name: _at(getattr(found, name), zones, now)
             for name in ("earliest", "latest", "ends_by")}
    if found.window:
        low, high = (_at(moment, zones, now) for moment in found.window)
        words.append(f"{low} to {high}")
    words += [f"{lead} {clock[name]}" for name, lead in (
        ("earliest", "from"), ("latest", "starting by"), ("ends_by", "over by")) if clock[name]]
    return words


def _days(days: frozenset[int]) -> str:
    if days == WORKDAYS:
        return "weekdays"
    if days == WEEKEND:
        return "weekends"
    names = [f"{DAY_NAMES[d]}s" for d in sorted(days)]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _date(day: date, zones: Zones, now: datetime) -> str:
    said = zones.day(datetime.combine(day, time(12), zones.customer), now)
    return said if said in ("today", "tomorrow") else f"on {said}"


def _at(clock: time | None, zones: Zones, now: datetime) -> str:
    """A wall-clock time of the constraint (read on the customer's clock) said back."""
    if clock is None:
        return ""
    if clock == time(0):
        return "midnight"
    today = now.astimezone(zones.customer).date()
    return formats.clock(datetime.combine(today, clock, zones.customer), zones.customer)
