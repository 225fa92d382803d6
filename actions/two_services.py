"""Two services at once: "a men's cut and a beard trim" books both, back to back.

The first service named runs the form as usual (offers, a pick, the details); the others wait
in `also_book` (their ids), and the customer is told so at once. When the booking is read back,
each is placed straight after the one before it (`scheduling.desk.follow_on`: same person
where possible) and read back with it, so one "yes" books them all; `also_book` then holds the
planned times, which are what is booked. One that cannot follow is said so and left out.
The others of a party for a one-person service ("two men's cuts for me and my son") follow
the same way, each booked with their own name as the appointment's participant.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import group_chat, service_words, speech
from actions.offer_value import Offer
from actions.runtime import now, runtime
from actions.zones import zones_of
from scheduling import formats
from scheduling.availability import Slot
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.model import Channel, Contact, Participant
from scheduling.catalog import Catalog, Service
from scheduling.desk import customers
from scheduling.desk.follow_on import (
    FirstPart,
    able_for_all,
    follow_on,
    side_by_side,
    staff_for,
)
from scheduling.desk.slots import SlotSearch, find_slots
from scheduling.errors import SlotUnavailable
from scheduling.suggestions import Suggestion

SLOT = "also_book"


def heard(dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog
          ) -> list[EventType]:
    """The services named after the first one in this message, kept and announced."""
    named = service_words.read(catalog, (tracker.latest_message or {}).get("text") or "")
    if named.ambiguous and named.services:  # "a haircut and a beard trim": the cut is asked
        first, rest = f"your {service_words.family_word(named.ambiguous)}", named.services
    elif len(named.services) > 1 and str(named.services[0].id) == tracker.get_slot("service"):
        first, rest = f"the {_lower(named.services[0])}", named.services[1:]
    else:
        return []
    dispatcher.utter_message(text=f"I'll book {first} first, then the {_names(rest)} straight "
                                  "after it, with the same person where I can.")
    return [SlotSet(SLOT, [str(service.id) for service in rest])]


async def find(search: SlotSearch, tracker: Tracker, catalog: Catalog) -> list[Suggestion]:
    """The offers for the first service: with anyone asked for and others waiting, only the
    people who can do them all (`able_for_all`), when there are any, earliest first."""
    waiting = [UUID(item) for item in tracker.get_slot(SLOT) or [] if isinstance(item, str)]
    able = able_for_all(catalog, [search.service_id, *waiting]) if waiting else ()
    if search.staff_id is not None or not able:
        return await find_slots(runtime.uow(), search, now())
    found = [suggestion for staff_id in able
             for suggestion in await find_slots(runtime.uow(), replace(search, staff_id=staff_id),
                                                now())]
    return sorted(found, key=lambda suggestion: suggestion.slot.start)[:search.count]


def _waiting(tracker: Tracker, catalog: Catalog) -> list[tuple[UUID, tuple[str, str] | None]]:
    """What follows the chosen offer: the other services named (ids, or planned times from
    an earlier read-back), then the same service for each other person of a party whose
    service seats one (`group_chat.companions`), recounted at every read-back."""
    services = [UUID(item if isinstance(item, str) else item["service_id"])
                for item in tracker.get_slot(SLOT) or []
                if isinstance(item, str) or not item.get("for")]
    first = UUID(tracker.get_slot("service"))
    return [*((service_id, None) for service_id in services),
            *((first, who) for who in group_chat.companions(tracker, catalog))]


async def plan(tracker: Tracker, catalog: Catalog) -> tuple[str, list[EventType]]:
    """Where the waiting services go after the chosen offer: the words for the read-back
    (", then Beard trim with Marcus at 10:30 AM, 20 minutes, $20") and the planned times."""
    offer = Offer.parse(tracker.get_slot("slot_choice"))
    waiting = _waiting(tracker, catalog) if offer is not None else []
    if offer is None or not waiting:
        return "", []
    zones = await zones_of(tracker, catalog)
    currency = catalog.business.policies.currency
    previous = FirstPart(UUID(tracker.get_slot("service")), offer.start, offer.staff_id,
                         offer.location_id)
    first, pair = previous, sum(1 for _, who in waiting if who) == 1
    exact = bool(tracker.get_slot("when_start")) and not tracker.get_slot("when_end")
    words, planned, missed = "", [], []
    for service_id, who in waiting:
        slot, beside = await _placed(catalog, first, previous, service_id,
                                     (who is not None and pair, exact))
        service = catalog.service(service_id)
        if slot is None:
            missed.append(f"{_lower(service)} for {who[0]}" if who else _lower(service))
            continue
        staff = next(s for s in slot.staff_ids if s != first.staff_id) if beside \
            else staff_for(slot, previous)
        planned.append({"service_id": str(service_id), "start": slot.start.isoformat(),
                        "staff_id": str(staff), "location_id": str(slot.location_id)}
                       | ({"for": who[1], "said": who[0]} if who else {}))
        when = "at the same time" if beside else f"at {formats.clock(slot.start, zones.customer)}"
        words += (f", {'and' if beside else 'then'} {service.name}"
                  f"{f' for {who[0]}' if who else ''} with {catalog.staff_member(staff).name} "
                  f"{when}, {speech.minutes(service.duration)}"
                  f", {formats.money(service.price, currency)}")
        previous = FirstPart(service_id, slot.start, staff, slot.location_id)
    if missed:
        words += (f" (I can't fit the {_listed(missed)} straight after, so that's not included;"
                  " ask me for it once this is booked)")
    return words, [SlotSet(SLOT, planned or None)]


async def _placed(catalog: Catalog, first: FirstPart, previous: FirstPart, service_id: UUID,
                  beside_ok: tuple[bool, bool]) -> tuple[Slot | None, bool]:
    """Where one waiting service goes, and whether beside the first (same start, someone
    else). Straight after `previous`; the other one of a pair (`beside_ok[0]`) goes beside
    the customer first when they asked for an exact time (`beside_ok[1]`: "me and my husband
    at 2" is both at 2), else when nothing follows."""
    pair, exact = beside_ok
    if pair and exact:
        beside = await side_by_side(runtime.uow(), catalog.business.id, first, service_id, now())
        if beside is not None:
            return beside, True
    after = await follow_on(runtime.uow(), catalog.business.id, previous, service_id, now())
    if after is None and pair and not exact:
        beside = await side_by_side(runtime.uow(), catalog.business.id, first, service_id, now())
        return beside, beside is not None
    return after, False


async def book_planned(tracker: Tracker, catalog: Catalog, channel: Channel, contact: Contact,
                       who: customers.Proof) -> str:
    """Book the planned services after the first was booked; the words saying so."""
    said = []
    for item in tracker.get_slot(SLOT) or []:
        if not isinstance(item, dict):
            continue
        said.append(await _book_one(tracker, catalog, item, channel, contact, who))
    return "".join(said)


async def _book_one(tracker: Tracker, catalog: Catalog, item: dict[str, Any], channel: Channel,
                    contact: Contact, who: customers.Proof) -> str:
    service = catalog.service(UUID(item["service_id"]))
    choice = SlotChoice(catalog.business.id, service.id, Offer.from_slot(item).start,
                        UUID(item["staff_id"]), UUID(item["location_id"]))
    key = f"{tracker.sender_id}:{service.id}:{item['start']}:{item['staff_id']}"
    person = (Participant(item["for"]),) if item.get("for") else ()
    try:
        result = await customers.book_for(
            BookAppointment(choice, None, key, channel=channel, contact=contact,
                            participants=person), who, runtime.uow(), now())
    except SlotUnavailable:
        return f" I'm sorry, the {_lower(service)} time was just taken, so it is not booked."
    booked, said = result.appointment, f" for {item['said']}" if item.get("said") else ""
    return (f" Also booked{said}: {speech.appointment_text(booked, catalog, now())}, reference "
            f"{speech.reference(booked)}.")


def _lower(service: Service) -> str:
    return service.name[:1].lower() + service.name[1:]


def _names(services: list[Service] | tuple[Service, ...]) -> str:
    return _listed([_lower(service) for service in services])


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
