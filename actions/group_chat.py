"""Group requests by chat (issue 18, kind 8): "for me and my daughter", "two of us".

A service with places for several people (a class, a group session: `capacity` above one)
books them together as one appointment with that many seats, as the front desk does: the
offers are searched for that many free places, the read-back says who, and the booking carries
one participant per place. A one-to-one service ("two men's cuts for me and my son") books one
appointment each, back to back with the same person where possible (`companions`, placed by
`actions.two_services` like a second service), read back together for one "yes"; never
silently one for two.
"""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import parsing
from actions.runtime import runtime
from scheduling.booking.model import Participant
from scheduling.catalog import Catalog, Service

SLOT = "party"
COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "both": 2}
N = r"(?P<n>two|three|four|five|six|[2-6])"
PARTY = [
    (re.compile(rf"\bfor {N} (people|persons|of us|adults|guests)\b", re.I), 0),
    (re.compile(r"\b(?P<n>two|three|four|five|six|both|all [2-6]) of us\b", re.I), 0),
    (re.compile(r"\bus both\b", re.I), 2),
    (re.compile(rf"\b(me|myself) and my {N} \w+", re.I), 1),
    (re.compile(r"\b(me|myself) and (my|a) \w+\b", re.I), 2),
    (re.compile(r"\bmy \w+ and (me|i|myself)\b", re.I), 2),
]
COMPANION = re.compile(r"\b(?:me|myself) and (?:my|a) (?P<who>\w+)|\bmy (?P<first>\w+) and "
                       r"(?:me|i|myself)\b", re.I)


def party_in(text: str) -> int | None:
    """How many people the request is for, when it says more than one."""
    for pattern, fixed in PARTY:
        match = pattern.search(text)
        if match is None:
            continue
        if "n" not in match.groupdict():
            return fixed
        word = match.group("n").lower().removeprefix("all ")
        count = int(word) if word.isdigit() else COUNTS[word]
        return count + 1 if fixed == 1 else count
    return None


def fits(service: Service | None, party: int) -> bool:
    """Whether `service` seats `party` people in one booking."""
    return service is not None and party <= min(service.capacity, service.max_participants)


def service_of(tracker: Tracker, catalog: Catalog, text: str) -> Service | None:
    """The service the form has, else the one this message names."""
    chosen = tracker.get_slot("service")
    if chosen and chosen not in ("unknown", "which"):
        return catalog.service(UUID(chosen))
    return parsing.match_service(catalog, text)


async def heard(tracker: Tracker) -> list[EventType]:
    """The party this message names (kept for the form); a new booking forgets an old one."""
    text = (tracker.latest_message or {}).get("text") or ""
    found = party_in(text)
    if found is not None:
        return [SlotSet(SLOT, {"count": found, "with": _companion(text)})]
    fresh = tracker.get_slot("requested_slot") is None
    return [SlotSet(SLOT, None)] if fresh and tracker.get_slot(SLOT) else []


async def together(tracker: Tracker, text: str) -> bool:
    """Whether this message's party is booked together (the service seats them all)."""
    party = party_in(text)
    if party is None:
        return False
    return fits(service_of(tracker, await runtime.catalog(), text), party)


def seats(tracker: Tracker, catalog: Catalog, service_id: UUID) -> int:
    """Places to search and book: the party when the service seats it, else one."""
    party = _party(tracker)
    return party["count"] if party and fits(catalog.service(service_id), party["count"]) else 1


def participants(tracker: Tracker, catalog: Catalog) -> tuple[Participant, ...]:
    """One participant per place ("Jo Lee", "Jo Lee's daughter"); none for one person."""
    service_id = tracker.get_slot("service")
    count = seats(tracker, catalog, UUID(service_id)) if service_id else 1
    if count < 2:
        return ()
    name = tracker.get_slot("customer_name") or "Guest"
    companion = (_party(tracker) or {}).get("with")
    others = [f"{name}'s {companion}"] if companion and count == 2 else [
        f"{name}, guest {n}" for n in range(2, count + 1)]
    return tuple(Participant(who) for who in (name, *others))


def who(tracker: Tracker, catalog: Catalog, name: str) -> str:
    """"Jo Lee and your daughter (2 places)" for the read-back; `name` alone for one."""
    service_id = tracker.get_slot("service")
    count = seats(tracker, catalog, UUID(service_id)) if service_id else 1
    if count < 2:
        return name
    companion = (_party(tracker) or {}).get("with")
    others = f"your {companion}" if companion and count == 2 else f"{count - 1} more"
    return f"{name} and {others} ({count} places)"


def one_by_one(text: str) -> str:
    """What happens to a party for a one-person service, said as soon as it is asked."""
    count, companion = party_in(text) or 2, _companion(text)
    others = f"your {companion}'s" if companion and count == 2 else f"the other {count - 1}"
    return (f"That's one appointment each, so I'll book yours and {others} together: at the "
            "same time when you name one and someone else is free then, else one straight "
            "after the other with the same person where I can.")


def companions(tracker: Tracker, catalog: Catalog) -> list[tuple[str, str]]:
    """The others of a party whose service seats one, each to book after the customer: (how
    the customer hears them, the participant's name): ("your son", "Jo Lee's son")."""
    service_id, party = tracker.get_slot("service"), _party(tracker)
    if not party or not service_id or fits(catalog.service(UUID(service_id)), party["count"]):
        return []
    name = tracker.get_slot("customer_name") or "Guest"
    companion = party.get("with")
    if companion and party["count"] == 2:
        return [(f"your {companion}", f"{name}'s {companion}")]
    return [(f"guest {n}", f"{name}, guest {n}") for n in range(2, party["count"] + 1)]


def _party(tracker: Tracker) -> dict[str, Any] | None:
    value = tracker.get_slot(SLOT)
    return value if isinstance(value, dict) and value.get("count") else None


def _companion(text: str) -> str | None:
    match = COMPANION.search(text)
    if match is None:
        return None
    return (match.group("who") or match.group("first")).lower()
