"""Corrections said back: "actually make it Friday" gets "OK, Friday, November 27 instead."

Any step of the booking may change what an earlier one settled (service, person, day or time,
name, phone, e-mail). The form applies the change; this says it back, so the customer hears
that it was understood before the next question, and tells the confirmation question that
the "no" in "no, my name is Jo Lee" corrected something rather than refused the booking.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

import phonenumbers
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import parsing
from actions.offer_value import Offer
from actions.runtime import now, runtime
from actions.zones import Zones, zones_of
from scheduling import formats
from scheduling.catalog import Catalog

CORRECTABLE = ("service", "staff", "when_start", "customer_name", "phone", "email")
"""Slots whose change, once they held a value, is a correction."""
NAME_GIVEN = re.compile(r"\b(?:my name is|my name's|the name is|name should be|it's under"
                        r"|put it under|under the name(?: of)?)\s+(.+)$", re.I)
SELF_CORRECTION = re.compile(
    r"[,.;]?\s*\b(?:no+,? sorry|no,? wait|sorry,? (?:i mean|no)|no,? i mean|i mean|or rather"
    r"|make that)\b[,:]?\s*", re.I)
"""Where a message takes back what it just said ("no sorry", "I mean", "make that")."""
POLITE = re.compile(r"[\s,]+(please|thanks|thank you|instead)\b.*$", re.I)
SEARCH_WORDS = ("later", "earlier", "earliest")
"""`when` values that move the search, not the customer's day: no correction to say back."""


def last_said(text: str) -> str:
    """What a message ends up saying after correcting itself: "saturday at 10, no sorry,
    friday at 10" is "friday at 10"; a message without such a turn is itself."""
    parts = [part for part in SELF_CORRECTION.split(text) if part and part.strip(" ,.")]
    return parts[-1].strip(" ,.") if len(parts) > 1 else text


def name_given(text: str) -> str | None:
    """The name in "no, my name is Jo Lee" / "put it under Jo Lee", said at any step."""
    found = NAME_GIVEN.search(text.strip())
    return POLITE.sub("", found.group(1)).strip(" .!,") if found else None


def changes(before: Mapping[str, Any], events: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The correctable slots this turn's events changed from one value to another."""
    after = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    settled = {**before, "staff": _person(before)}
    return {name: after[name] for name in CORRECTABLE
            if name in after and settled.get(name) and after[name]
            and after[name] != settled.get(name) and _corrects(name, after[name])}


def _person(slots: Mapping[str, Any]) -> str | None:
    """The person settled so far: the one asked for, else the one of the offer chosen (a
    person named while choosing after "anyone" corrects nothing)."""
    if _uuid(slots.get("staff")):
        return str(slots["staff"])
    chosen = Offer.parse(slots.get("slot_choice"))
    return str(chosen.staff_id) if chosen else None


def _corrects(name: str, value: Any) -> bool:
    """Markers of a turn ("unknown", "which", "invalid", "skip") are not a new value."""
    if name == "service":
        return _uuid(value)
    if name == "staff" and parsing.staff_refused(value):
        return False  # "not with Ana" is said when it is validated
    return value not in ("unknown", "which", "invalid", "skip", "unsupported")


def _uuid(value: Any) -> bool:
    try:
        UUID(str(value))
    except ValueError:
        return False
    return True


def said_back(changed: Mapping[str, Any], slots: Mapping[str, Any], catalog: Catalog,
              zones: Zones, now: datetime) -> str | None:
    """"OK, Friday, November 27 instead." for what `changes` found; None for nothing."""
    parts = [part for part in (_part(name, value, slots, catalog, zones, now)
                               for name, value in changed.items()) if part]
    return f"OK, {' and '.join(parts)} instead." if parts else None


def _part(name: str, value: Any, slots: Mapping[str, Any], catalog: Catalog, zones: Zones,
          now: datetime) -> str | None:
    if name == "service":
        service = catalog.service(UUID(value)).name
        return service[:1].lower() + service[1:]
    if name == "staff":
        return f"with {catalog.staff_member(UUID(value)).name}" if _uuid(value) else \
            "with whoever is free"
    if name == "when_start":
        return None if slots.get("when") in SEARCH_WORDS else _when(value, slots, zones, now)
    if name == "phone":
        number = phonenumbers.parse(value)
        return "the number " + phonenumbers.format_number(
            number, phonenumbers.PhoneNumberFormat.NATIONAL)
    if name == "email":
        return f"the e-mail {value}"
    return f"the name {value}"


def _when(value: str, slots: Mapping[str, Any], zones: Zones, now: datetime) -> str:
    """The day, the day and time, or the day and its hours, as the request now stands."""
    start = datetime.fromisoformat(value)
    end = datetime.fromisoformat(slots["when_end"]) if slots.get("when_end") else None
    if end is None:
        return zones.when(start, now)
    day = zones.day(start, now)
    if (end - start).days >= 1:
        return day
    return f"{day} between {formats.clock(start, zones.customer)} and " \
           f"{formats.clock(end, zones.customer)}"


async def say_back(dispatcher: CollectingDispatcher, tracker: Tracker,
                   before: Mapping[str, Any], events: Iterable[Mapping[str, Any]]) -> None:
    """Say back what this turn's validation `events` corrected (`before`: the slots as the
    turn found them)."""
    changed = changes(before, events)
    if not changed:
        return
    catalog = await runtime.catalog()
    zones = await zones_of(tracker, catalog)
    said = said_back(changed, tracker.slots, catalog, zones, now())
    if said:
        dispatcher.utter_message(text=said)


def corrected_this_turn(tracker: Tracker) -> bool:
    """Whether the form changed a settled slot since the customer's last message (the
    confirmation's "no" then corrected something: the booking is read back again)."""
    events = tracker.events_after_latest_restart()
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    return any(e.get("event") == "slot" and e.get("name") in (*CORRECTABLE, "slot_choice")
               for e in events[last_user + 1:])
