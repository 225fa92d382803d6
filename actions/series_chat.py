"""Recurring bookings by chat (issue 18, kind 8): "every other Tuesday at 10 until March".

The request is read as a `recurrence.SeriesAsk` (kept in the `series` slot) and the message,
without its repeating words, goes on through the booking form as any request: the customer
picks the first date among the offers as usual. Before "yes" every date is read back, checked
by the front desk's series preview (`scheduling.desk.series.preview`, the one availability
path), with the dates that are not free named and what will happen (they are left out, the
nearest free times that day said); "yes" books the free ones as one series
(`series.book_series`: all or none, one idempotency key). A count or an end said at the
question ("8 times", "until June") changes the plan and it is read back again.
"""

from __future__ import annotations

import re
from datetime import datetime
from uuid import UUID
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions import deposit_policy, group_chat, parsing, speech
from actions.offer_heading import closed_on
from actions.offer_value import Offer
from actions.recurrence import DEFAULT_COUNT, SeriesAsk, series_in
from actions.runtime import now, runtime
from actions.zones import zones_of
from scheduling import formats
from scheduling.booking.commands import SlotChoice
from scheduling.booking.model import Channel, Contact
from scheduling.catalog import Catalog, Location
from scheduling.desk import customers
from scheduling.desk.series import (
    MAX_OCCURRENCES,
    BookSeries,
    Occurrence,
    Repeat,
    Unit,
    book_series,
    preview,
)

ONCE = re.compile(r"\b(just|only) (the )?(once|one (time|appointment|booking))\b|\bone-? ?off\b",
                  re.I)


async def heard(tracker: Tracker) -> list[EventType]:
    """Read this message's repeating words into `series` and take them out of the message the
    rest of the form reads (the tracker is this action call's own copy). A new booking (the
    form's first turn) forgets any earlier series; "just once" drops it."""
    text = (tracker.latest_message or {}).get("text") or ""
    requested = tracker.get_slot("requested_slot")
    previous = SeriesAsk.from_slot(tracker.get_slot("series"))
    if ONCE.search(text):
        return [SlotSet("series", None), SlotSet("booking_confirmed", None)] if previous else []
    zone = (await zones_of(tracker, await runtime.catalog())).customer
    found = series_in(text, now(), zone)
    if found is None:
        return [SlotSet("series", None)] if previous and requested is None else []
    ask, rest = found
    if not ask.every:  # "8 times", "until June": the end of what was asked before
        if previous is None or requested is None:
            return []
        ask = SeriesAsk(previous.every, previous.unit, ask.count, ask.until)
    tracker.latest_message = {**(tracker.latest_message or {}), "text": rest}
    return [SlotSet("series", ask.to_slot()), SlotSet("booking_confirmed", None)]


def _repeat(ask: SeriesAsk, first: Offer) -> Repeat | None:
    """The engine's rule for the plan; None when it makes a single date."""
    count = ask.starts_from(first.start)
    return Repeat(ask.every, ask.unit, count) if count >= 2 else None


async def _plan(tracker: Tracker, catalog: Catalog) -> tuple[Offer, Repeat, list[Occurrence]
                                                              ] | None:
    """The first offer, the rule and every date checked. A number of times said ("for a
    month", "6 times") is kept when a date falls on a closed day: one more date is added at
    the end for each (a day merely taken keeps its place, with the nearest times said)."""
    ask, choice = SeriesAsk.from_slot(tracker.get_slot("series")), tracker.get_slot("slot_choice")
    if ask is None or not isinstance(choice, dict):  # no series, or the waitlist
        return None
    first = Offer.from_slot(choice)
    repeat = _repeat(ask, first)
    if repeat is None:
        return None
    slot = _slot(tracker, catalog, first)
    places = group_chat.seats(tracker, catalog, slot.service_id)
    plan = await preview(runtime.uow(), slot, repeat, places, now())
    for _ in range(3 if ask.count is not None else 0):
        wanted = min(repeat.count, ask.count or 0) + len(_closed(catalog, first, plan))
        if min(wanted, MAX_OCCURRENCES) <= repeat.count:
            break
        repeat = Repeat(repeat.every, repeat.unit, min(wanted, MAX_OCCURRENCES))
        plan = await preview(runtime.uow(), slot, repeat, places, now())
    return first, repeat, plan


def _places(catalog: Catalog, first: Offer) -> list[Location]:
    place = catalog.location(first.location_id) if first.location_id else None
    return [place] if place else list(catalog.business.locations)


def _closed(catalog: Catalog, first: Offer, plan: list[Occurrence]) -> list[Occurrence]:
    """The dates of the plan on which the place is shut (a closure or a closed weekday)."""
    places = _places(catalog, first)
    return [o for o in plan if not o.free and closed_on(places, o.start) is not None]


def _slot(tracker: Tracker, catalog: Catalog, first: Offer) -> SlotChoice:
    return SlotChoice(catalog.business.id, UUID(tracker.get_slot("service")), first.start,
                      first.staff_id, first.location_id)


def every_words(repeat: Repeat) -> str:
    unit = "week" if repeat.unit is Unit.WEEKS else "day"
    return f"every {unit}" if repeat.every == 1 else f"every {repeat.every} {unit}s"


async def read_back(tracker: Tracker) -> str | None:
    """Every date of the series before "yes", the ones not free named with what happens to
    them; None when the request makes a single date (read back as one booking)."""
    catalog = await runtime.catalog()
    planned = await _plan(tracker, catalog)
    if planned is None:
        return None
    first, repeat, plan = planned
    zones = (await zones_of(tracker, catalog)).at(catalog, first.location_id)
    service = catalog.service(UUID(tracker.get_slot("service")))
    staff = catalog.staff_member(first.staff_id).name
    places = _places(catalog, first)
    lines = "\n".join(occurrence_line(o, zones.customer, places) for o in plan)
    ask = SeriesAsk.from_slot(tracker.get_slot("series"))
    outcome = _outcome(plan, _closed(catalog, first, plan) if ask and ask.count else [],
                       zones.customer)
    default = (f" (I've planned {DEFAULT_COUNT}; say how many times or until when if you'd "
               "like a different number.)") if ask and ask.count is None and not ask.until \
        else ""
    price = formats.money(service.price, catalog.business.policies.currency)
    name = group_chat.who(tracker, catalog, tracker.get_slot("customer_name") or "you")
    async with runtime.uow() as work:
        rules = await work.appointments.rules(catalog.business.id)
        deposit, asked_of = await deposit_policy.owed(work, catalog, service,
                                                      tracker.get_slot("customer_id"))
    terms = speech.deposit_terms(deposit, catalog, rules, asked_of)
    terms = f" Each date is its own booking.{terms}" if terms else ""
    return (f"To confirm: {service.name} with {staff} {every_words(repeat)}, {len(plan)} "
            f"times{default}:\n{lines}\n{outcome} {speech.minutes(service.duration)}, {price} "
            f"each, for {name}.{terms} Shall I book them? Please say yes or no.")


def _outcome(plan: list[Occurrence], replaced: list[Occurrence], zone: ZoneInfo) -> str:
    """What "yes" books: all of them, or the free ones, with the closed days replaced at the
    end said ("We're closed on Saturday, December 26, so I've added Saturday, January 2.")."""
    taken = [o for o in plan if not o.free]
    free = len(plan) - len(taken)
    if not taken:
        return f"All {len(plan)} are free."
    added = plan[-len(replaced):] if replaced else []
    said = (f"We're closed on {_days([o.start for o in replaced], zone)}, so I've added "
            f"{_days([o.start for o in added], zone)} at the end. ") if replaced else ""
    left = [o for o in taken if o not in replaced]
    if not left:
        return f"{said}I'll book the {free} that are free."
    return (f"{said}I'll book the {free} that are free and leave out "
            f"{_days([o.start for o in left], zone)}; you can book "
            f"{'that one' if len(left) == 1 else 'those'} separately.")


def occurrence_line(occurrence: Occurrence, zone: ZoneInfo, places: list[Location]) -> str:
    """"3. Friday, January 1 at 1:30 PM: not free (free that day: 9 AM, 11 AM)"; a closed
    day is said closed ("we're closed on Friday, January 1 for New Year's Day")."""
    when = formats.day_and_time(occurrence.start, zone, now=now())
    if occurrence.free:
        return f"{occurrence.number}. {when}"
    closed = closed_on(places, occurrence.start)
    if closed:
        return f"{occurrence.number}. {when}: not free, {closed[0].lower()}{closed[1:-1]}"
    nearest = ", ".join(formats.clock(start, zone)
                        for start in sorted(s.start for s in occurrence.alternatives))
    near = f" (free that day: {nearest})" if nearest else " (nothing free that day)"
    return f"{occurrence.number}. {when}: not free{near}"


def _days(starts: list[datetime], zone: ZoneInfo) -> str:
    days = [formats.day(start, zone) for start in starts]
    return days[0] if len(days) == 1 else ", ".join(days[:-1]) + " and " + days[-1]


async def book(tracker: Tracker, contact: Contact, proof: customers.Proof
               ) -> tuple[str, UUID] | None:
    """Book the free dates as one series: the reply and the customer; None when the request
    makes a single date (booked as one appointment)."""
    catalog = await runtime.catalog()
    planned = await _plan(tracker, catalog)
    if planned is None:
        return None
    first, repeat, plan = planned
    starts = tuple(o.start for o in plan if o.free)
    key = f"{tracker.sender_id}:series:{tracker.get_slot('service')}:{first.start.isoformat()}"
    cmd = BookSeries(_slot(tracker, catalog, first), starts, repeat, contact, proof, key,
                     participants=group_chat.participants(tracker, catalog),
                     channel=Channel(parsing.channel_of(tracker.sender_id)))
    result = await book_series(cmd, runtime.front_desk_uow(), now())
    booked = result.appointments
    zone = (await zones_of(tracker, catalog)).at(catalog, first.location_id).customer
    service = catalog.service(UUID(tracker.get_slot("service")))
    dates = "\n".join(f"- {formats.day_and_time(a.start, zone, now=now())} "
                      f"(reference {speech.reference(a)})" for a in booked)
    text = (f"You're booked: {len(booked)} {service.name} appointments with "
            f"{catalog.staff_member(first.staff_id).name}:\n{dates}\nIs there anything else I "
            "can do for you?")
    customer_id = booked[0].customer_id
    if customer_id is None:
        raise LookupError("a booked series has a customer")
    return text, customer_id
