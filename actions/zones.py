"""Whose clock the conversation keeps: the customer's, when we know their time zone, else the
clock of the location being booked (the business's while no one location is meant). Times are
said, and read from the customer's messages, in that one zone, and named when it reads
differently from the location's ("3 PM (GMT)"), as the SMS and e-mails do, so a customer
abroad never takes the shop's clock for theirs or theirs for the shop's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from actions.places import place_of
from actions.runtime import runtime
from scheduling import formats
from scheduling.catalog import Catalog, Location, zone


@dataclass(frozen=True, slots=True)
class Zones:
    """The zone the customer reads times in (`customer`) and the place's own (`business`:
    the location's, or the business's); `own` says `customer` is the customer's own zone
    rather than the place's clock standing in for it."""

    customer: ZoneInfo
    business: ZoneInfo
    own: bool = False

    @classmethod
    def of(cls, catalog: Catalog, time_zone: str | None, location: Location | None = None
           ) -> Zones:
        """`time_zone` is the customer's, when known; None keeps the place's clock."""
        home = location.zone if location else catalog.business.zone
        return cls(zone(time_zone) if time_zone else home, home, time_zone is not None)

    def at(self, catalog: Catalog, location_id: UUID | None) -> Zones:
        """How a time at a location is said: on the customer's own clock, named when it is not
        the location's; else on the location's clock (offers at two branches in two zones
        each read as that branch's clock shows them). None: as the conversation says it."""
        if location_id is None or len(catalog.business.locations) < 2:
            return self
        place = catalog.location(location_id).zone
        return Zones(self.customer if self.own else place, place, self.own)

    def day(self, moment: datetime, now: datetime) -> str:
        """"Friday, March 12", or "today"/"tomorrow" when that near."""
        return formats.day(moment, self.customer, now=now)

    def when(self, moment: datetime, now: datetime) -> str:
        """"Friday, March 12 at 3:30 PM", with " (GMT)" when the zone is not the business's."""
        note = formats.zone_note(moment, self.customer, self.business)
        return formats.day_and_time(moment, self.customer, now=now) + note


async def zones_of(tracker: Tracker, catalog: Catalog) -> Zones:
    """The conversation's zones: a customer who proved who they are may have told us theirs;
    the place is the location chosen, or the only one the service is had at."""
    known = tracker.get_slot("customer_id")
    time_zone = await runtime.customer_zone(UUID(known)) if known else None
    return Zones.of(catalog, time_zone, place_of(tracker, catalog))

