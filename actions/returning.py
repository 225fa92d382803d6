"""Returning customers (issue 18, kind 7): greeted by name, and "same as last time" booked
from their own history.

Who they are is settled before this runs (`BaseForm.identity_events`): the caller's number on
SMS and voice (the carrier's proof), a one-time code on the web. A web visitor who has proved
nothing is never told anything about anyone's past visits, whatever number they type: they
are told how to prove it instead.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import parsing
from actions.manage_request import said_when
from actions.runtime import now, runtime
from scheduling import formats
from scheduling.desk.usual import Usual, next_alike, usual

Slots = dict[str, Any]
ASKS_USUAL = re.compile(
    r"\b(same (again|as (last time|before|last|usual|always|i had|i usually have))"
    r"|(my|the) usual|same (thing|one|appointment|booking|service) (as|like) (last time|before)"
    r"|what i had last time|what i usually (have|get))\b", re.I)
NOT_PROVED = "I can book the same as last time once I know it's you."
WANTED = "usual"
"""The slot that keeps a web visitor's wish for their usual through the one-time code."""
NO_HISTORY = "I don't have a past visit of yours on record, so tell me what you'd like."


def asks_usual(text: str) -> bool:
    """"Same as last time", "my usual", "same again"."""
    return ASKS_USUAL.search(text) is not None


def first_name(name: str) -> str:
    return name.split()[0] if name.split() else name


async def welcome(dispatcher: CollectingDispatcher, tracker: Tracker,
                  known: list[EventType]) -> list[EventType]:
    """Greet a customer the channel just recognised, and fill the form from their usual when
    they ask for it (only while no service is chosen: the usual starts a booking)."""
    recognised = next((e["value"] for e in known if e.get("name") == "customer_name"), None)
    if recognised:
        dispatcher.utter_message(text=f"Welcome back, {first_name(str(recognised))}.")
    text = (tracker.latest_message or {}).get("text") or ""
    if not asks_usual(text) or tracker.get_slot("service"):
        fresh = tracker.get_slot("requested_slot") is None and tracker.get_slot(WANTED)
        return [SlotSet(WANTED, None)] if fresh else []  # a new booking forgets an old wish
    customer_id = tracker.get_slot("customer_id")
    if customer_id:
        return [SlotSet(name, value) for name, value in
                (await the_usual(dispatcher, UUID(customer_id), _said(
                    {e["name"]: e["value"] for e in await said_when(tracker)}))).items()]
    if parsing.channel_of(tracker.sender_id) != "web":  # a number we have never seen
        dispatcher.utter_message(text=NO_HISTORY)
        return []
    dispatcher.utter_message(text=NOT_PROVED)  # the form asks for the contact and the code
    return [SlotSet(WANTED, "wanted"), *await said_when(tracker)]  # "on Monday" kept


async def the_usual(dispatcher: CollectingDispatcher, customer_id: UUID,
                    asked: tuple[str | None, str | None] = (None, None)) -> Slots:
    """The form's slots for the customer's usual, said back; none (and said) without one.
    A day or time `asked` already holds (said before the web's code) is kept: a day alone
    gets the usual time, a time or part of the day stays as said."""
    found = await usual(runtime.uow(), customer_id)
    if found is None:
        dispatcher.utter_message(text=NO_HISTORY)
        return {WANTED: None}
    slots, said = await _as_slots(found, asked)
    dispatcher.utter_message(text=said)
    return {**slots, WANTED: slots.get("when_start")}  # kept: offers at it are "your usual time"


def _said(slots: dict[str, Any]) -> tuple[str | None, str | None]:
    """The `when_start`/`when_end` of what a message or the form holds."""
    return slots.get("when_start"), slots.get("when_end")


def asked_in(tracker: Tracker) -> tuple[str | None, str | None]:
    """The day or time the form already holds (said before the web's code)."""
    return _said({name: tracker.get_slot(name) for name in ("when_start", "when_end")})


def _asked_day(asked: tuple[str | None, str | None], zone: ZoneInfo) -> date | str | None:
    """The day alone the customer named (its date), "as said" for a time or part of a day
    they named, None for nothing named."""
    start, end = asked
    if not start:
        return None
    begin = datetime.fromisoformat(start).astimezone(zone)
    whole = end and datetime.fromisoformat(end).astimezone(zone) == begin + timedelta(days=1)
    return begin.date() if whole and begin.time() == time(0) else "as said"


def habitual(tracker: Tracker) -> bool:
    """Whether the time searched is the usual one: the customer's usual wall-clock time, on
    the usual day or another they named ("same again next Tuesday" keeps the usual 10 AM)."""
    usual_start, start = tracker.get_slot(WANTED), tracker.get_slot("when_start")
    if not start or tracker.get_slot("when_end") or not str(usual_start or "")[:1].isdigit():
        return False
    said, kept = datetime.fromisoformat(start), datetime.fromisoformat(str(usual_start))
    return (said.hour, said.minute) == (kept.hour, kept.minute)


async def _as_slots(found: Usual, asked: tuple[str | None, str | None]
                    ) -> tuple[dict[str, Any], str]:
    """The form's slots for the usual at its next weekday and time, and the sentence saying
    so ("Same as last time: Women's cut with Ana, Tuesday around 10 AM.")."""
    catalog = await runtime.catalog()
    service = catalog.service(found.service_id)
    zone = catalog.location(found.location_id).zone
    # after the latest visit too: "same again" with one still to come means the one after it
    start = next_alike(found.last_start, zone, max(now() + service.min_notice, found.last_start))
    staff = catalog.staff_member(found.staff_id).name
    kept = _asked_day(asked, zone)
    if kept == "as said":
        return ({"service": str(found.service_id), "staff": str(found.staff_id),
                 "location": str(found.location_id)},
                f"Same as last time: {service.name} with {staff}.")
    if isinstance(kept, date):
        start = datetime.combine(kept, found.last_start.astimezone(zone).time(), zone)
    day = formats.weekday(start, zone)
    when = f"{day} around {formats.clock(start, zone)}"
    slots = {"service": str(found.service_id), "staff": str(found.staff_id),
             "location": str(found.location_id), "when": when,
             "when_start": start.isoformat(), "when_end": None}
    return slots, f"Same as last time: {service.name} with {staff}, {when}."


async def proved_on_the_web(dispatcher: CollectingDispatcher, customer_id: UUID) -> Slots:
    """After a web visitor's code: greet them by name and keep their name and the contacts
    they proved, so a booking made next is not asked them again and is booked with contacts
    they hold (it then shows under "my appointments", and its messages reach them)."""
    async with runtime.uow() as work:
        customer = await work.catalog.get_customer(customer_id)
    proved = {"phone": customer.phone if customer.phone_verified_at else None,
              "email": customer.email if customer.email_verified_at else "skip"}
    if not customer.name:
        return proved
    dispatcher.utter_message(text=f"Thanks, that's you, {first_name(customer.name)}. "
                                  "Welcome back.")
    return {"customer_name": customer.name, **proved}
