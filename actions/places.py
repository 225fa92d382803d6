"""Which location the conversation is about, read from its slots against the live catalog.

`location` holds the id the customer chose, "any", or nothing; it is only a choice while more
than one location could serve the booking, so every reader goes through `choices`.
"""

from __future__ import annotations

from uuid import UUID

from rasa_sdk import Tracker

from actions import parsing
from scheduling.catalog import Catalog, Location
from scheduling.locations import serving

NOT_CHOSEN = ("unknown", "which")
"""`service` markers of this turn: nothing matched, or a family to ask about ("a haircut")."""


def choices(tracker: Tracker, catalog: Catalog) -> tuple[Location, ...]:
    """The locations the booking could still be at: those serving the service, narrowed to
    the named staff member's; none while no service is known."""
    service, staff = tracker.get_slot("service"), tracker.get_slot("staff")
    if not service or service in NOT_CHOSEN:
        return ()
    places = serving(catalog, catalog.service(UUID(service)))
    wanted = parsing.staff_wanted(staff)
    if wanted is not None:
        works = catalog.staff_member(wanted).location_ids
        places = tuple(place for place in places if place.id in works) or places
    return places


def place_of(tracker: Tracker, catalog: Catalog) -> Location | None:
    """The location chosen, or the only one that can serve the booking; None while it could
    be any of several (a chosen place that cannot serve the service counts as no choice)."""
    places, chosen = choices(tracker, catalog), tracker.get_slot("location")
    if len(places) == 1:
        return places[0]
    return next((place for place in places if str(place.id) == chosen), None)
