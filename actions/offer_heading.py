"""What the bot says before its offers when they are not what was asked (issue 18, kind 4).

A closed day is named as closed ("We're closed on Sundays", "We're closed on Friday,
December 25 for Christmas"), never "nothing is free"; a time asked for and not offered is said
not to be free ("3 PM on Friday isn't free, sorry"), even when other times that day are; a
window or a day with nothing is said so. Offers at the time asked need no heading.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from rasa_sdk import Tracker

from actions.offer_value import Offer
from actions.places import place_of
from actions.zones import Zones
from scheduling import formats
from scheduling.catalog import Catalog, Location

NEAREST = " The nearest I have:"


def heading(tracker: Tracker, offers: Sequence[Offer], zones: Zones, catalog: Catalog,
            now: datetime) -> str | None:
    """The sentence before the offers, or None when they answer what was asked."""
    start, end = tracker.get_slot("when_start"), tracker.get_slot("when_end")
    if not start or not offers or tracker.get_slot("when") in ("later", "earlier"):
        return None
    begin, finish = datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None
    if _answered(begin, finish, offers, zones):
        return None
    closed = closed_on(_places(tracker, catalog), begin)
    if closed is not None:
        return closed + NEAREST
    away = staff_away(tracker, catalog, begin, zones)
    if away is not None:
        return away + NEAREST
    if finish is None:
        day = _on(zones.day(begin, now))
        asked = formats.clock(begin, zones.customer)
        hours = open_hours(_places(tracker, catalog), begin, zones)
        if hours is not None:
            return f"We're open {hours} {day}, so {asked} isn't possible, sorry." + NEAREST
        return f"{asked} {day} isn't free, sorry." + NEAREST
    if _whole_day(begin, finish, zones):
        return f"Nothing is free {zones.day(begin, now)}, sorry." + NEAREST
    return "Nothing is free then, sorry." + NEAREST


def staff_away(tracker: Tracker, catalog: Catalog, moment: datetime, zones: Zones
               ) -> str | None:
    """"Marcus doesn't work on Saturdays." when the person asked for has no hours that day
    ("Marcus isn't in on Friday, December 4." for a day off of their own); None otherwise."""
    chosen = tracker.get_slot("staff")
    member = next((m for m in catalog.staff if str(m.id) == chosen), None)
    if member is None:
        return None
    day = moment.astimezone(zones.business).date()
    override = next((o for o in member.overrides if o.day == day), None)
    if override is None and not member.weekly_hours.on(day):
        return f"{member.name} doesn't work on {formats.weekday(moment, zones.business)}s."
    if override is not None and not override.spans:
        return f"{member.name} isn't in on {formats.day(moment, zones.business)}."
    return None


def _answered(begin: datetime, finish: datetime | None, offers: Sequence[Offer],
              zones: Zones) -> bool:
    """An instant is answered only by an offer at it; a day or window by one inside it."""
    if finish is None:
        return any(offer.start == begin for offer in offers)
    return any(begin <= offer.start < finish for offer in offers)


def _on(day: str) -> str:
    return day if day in ("today", "tomorrow") else f"on {day}"


def _whole_day(begin: datetime, finish: datetime, zones: Zones) -> bool:
    first, last = begin.astimezone(zones.customer), finish.astimezone(zones.customer)
    return first.time() == last.time() == time(0) and (last.date() - first.date()).days == 1


def _places(tracker: Tracker, catalog: Catalog) -> list[Location]:
    """The locations the request is about: the one chosen, else every one doing the service."""
    chosen = place_of(tracker, catalog)
    if chosen is not None:
        return [chosen]
    wanted = {str(s.id): s for s in catalog.services}.get(tracker.get_slot("service") or "")
    places = [place for place in catalog.business.locations
              if wanted is None or wanted.offered_at(place.id)]
    return places or list(catalog.business.locations)


def closed_on(places: Sequence[Location], moment: datetime) -> str | None:
    """"We're closed on Sundays." when every place in question shuts that weekday, "We're
    closed on Friday, December 25 for Christmas." for a closure; None when any is open."""
    days = [(place, moment.astimezone(place.zone).date()) for place in places]
    if not days:
        return None
    if all(not place.opening_hours.on(day) for place, day in days):
        weekday = formats.weekday(moment, places[0].zone)
        return f"We're closed on {weekday}s."
    closures = [_closure(place, day) for place, day in days]
    if all(reason is not None for reason in closures):
        named = closures[0]
        said = formats.day(moment, places[0].zone)
        return f"We're closed on {said}" + (f" for {named}." if named else ".")
    return None


def open_hours(places: Sequence[Location], moment: datetime, zones: Zones) -> str | None:
    """"9 AM to 6 PM" when `moment` is before the first opening or after the last closing of
    every place in question that day (a time asked outside the hours is not "taken"); None
    when it is within the day's hours somewhere."""
    said = None
    for place in places:
        local = moment.astimezone(place.zone)
        spans = place.opening_hours.on(local.date())
        if not spans:
            continue
        opens = min(span.start for span in spans)
        ends = [span.end for span in spans]
        closes = time(0) if time(0) in ends else max(ends)  # 00:00: open until midnight
        clock = local.time().replace(tzinfo=None)
        if opens <= clock and (closes == time(0) or clock < closes):
            return None
        first, last = (datetime.combine(local.date(), clock, place.zone) for clock in (opens,
                                                                                      closes))
        said = said or f"{formats.clock(first, zones.customer)} to " \
                       f"{formats.clock(last, zones.customer)}"
    return said


def _closure(place: Location, day: date) -> str | None:
    """The reason `place` is shut on `day` ("" when it gives none), None when it is not."""
    return next((c.reason for c in place.closures if c.covers(day)), None)
