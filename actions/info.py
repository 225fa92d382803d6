"""Answers from the catalog (prices, durations, address, hours, policy), stopping a flow,
and handing over to a person. Every figure comes from the catalog, never from the text."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing, speech
from actions.boundary import GuardedAction
from actions.forms import Turn
from actions.places import place_of
from actions.request_words import requests_booking
from actions.runtime import now, runtime
from scheduling import formats, locations
from scheduling.catalog import Catalog, Location, Service
from scheduling.desk.handoff import request_person
from scheduling.desk.setup.values import MessageParts
from scheduling.hours import WeeklyHours

A_MONDAY = date(2024, 1, 1)
"""Any Monday: opening hours are wall-clock times, named with that week's days."""
WALL = ZoneInfo("UTC")
"""Opening hours are written in UTC, which has no shifts, so a wall clock stays as it is."""
FLOW_SLOTS = ["service", "staff", "location", "language", "when", "when_start", "when_end",
              "when_constraint", "suggestions", "slot_choice", "booking_confirmed", "task",
              "appointment_id", "manage_confirmed", "appointments", "otp_code", "verify_contact",
              "also_book"]
PREPARE = ("Please arrive five minutes early. Come with your hair as you usually wear it, "
           "and bring a photo if you have a style in mind.")

BOOKING_OFFERED = "booking_offered"
"""Set (True) by an answer that asks whether to book, cleared by every other answer."""
NO_PARTS = MessageParts()
"""A business that wrote none of its own parts of messages."""


class ActionAnswerQuestion(GuardedAction):
    def name(self) -> str:
        return "action_answer_question"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        turn = Turn(tracker)
        if turn.names_itself():
            return []  # a name heard as a question: the form takes it next
        catalog = await runtime.catalog()
        named = parsing.match_service(catalog, turn.text)
        current = tracker.get_slot("service")
        service = named or (catalog.service(UUID(current)) if current else None)
        place = locations.named_in(catalog, turn.text) or place_of(tracker, catalog)
        dispatcher.utter_message(text=answer(turn.intent, catalog, service, named is not None,
                                             place, await runtime.message_parts()))
        offered = offers_booking(turn.intent, service, named is not None)
        return [SlotSet(BOOKING_OFFERED, True if offered else None), *then_book(turn, tracker)]


def then_book(turn: Turn, tracker: Tracker) -> list[EventType]:
    """The booking a question also asked for ("..., I'd like one on thursday at 10") starts
    straight after the answer, reading the same message (`request_words`)."""
    if tracker.active_loop_name or not requests_booking(turn.intent, turn.text):
        return []
    return [FollowupAction("booking_form")]


def offers_booking(intent: str, service: Service | None, named: bool) -> bool:
    """Whether the answer ends by asking "Would you like to book one?" ("do you do women's
    cuts?" with the cut ours). The slot it sets lets a rule read a plain yes to that question
    as a booking request rather than a stray yes."""
    return intent == "ask_services" and service is not None and named


def answer(intent: str, catalog: Catalog, service: Service | None, named: bool = False,
           location: Location | None = None, parts: MessageParts = NO_PARTS) -> str:
    """One intent, one answer; questions about a service (named now, or being booked) answer
    for it, else cover them all. "Do you do X?" with X ours is a yes; otherwise the list says
    what we do offer. Address and hours are the location's (named now, or being booked),
    else every location's, the address followed by the business's own address and parking
    notes; what to bring is the business's words when it wrote some."""
    currency = catalog.business.policies.currency
    if offers_booking(intent, service, named):
        return f"Yes: {speech.service_line(service, currency)}. Would you like to book one?"
    if intent in ("ask_price", "ask_duration", "ask_services"):
        if service is not None and intent != "ask_services":
            return speech.service_line(service, currency) + "."
        lines = "; ".join(speech.service_line(s, currency) for s in catalog.services)
        staff = ", ".join(s.name for s in catalog.staff)
        return f"We offer {lines}. Our team: {staff}."
    if intent == "ask_address":
        return own_words(where_and_when(intent, catalog, location), parts.address_notes,
                         parts.parking_notes)
    if intent == "ask_hours":
        return where_and_when(intent, catalog, location)
    if intent == "ask_policy":
        return policy_text(catalog)
    return own_words(parts.what_to_bring) or PREPARE


def own_words(*said: str) -> str:
    """What is said, then the business's notes, on one line; empty ones left out."""
    return " ".join(" ".join(text.split()) for text in said if text.strip())


def where_and_when(intent: str, catalog: Catalog, location: Location | None) -> str:
    """"We're at ..." for a business with one location; with several, each answer names its
    location ("Harbour is at ..."), for the one asked about or for all of them."""
    if len(catalog.business.locations) == 1:
        only = catalog.business.locations[0]
        if intent == "ask_address":
            return f"We're at {only.address}."
        return f"Our opening hours: {opening_hours(only.opening_hours)}."
    places = (location,) if location else catalog.business.locations
    if intent == "ask_address":
        return " ".join(f"{place.name} is at {place.address}." for place in places)
    return " ".join(f"{place.name} opening hours: {opening_hours(place.opening_hours)}."
                    for place in places)


def opening_hours(hours: WeeklyHours) -> str:
    """"Monday 10 AM to 6 PM, ..., Sunday closed", from the location's weekly hours, on the
    clock the offers use."""
    parts = []
    for offset, spans in enumerate(hours.days):
        midnight = datetime.combine(A_MONDAY + timedelta(days=offset), time(0), WALL)
        said = " and ".join(f"{_wall(midnight, s.start)} to {_wall(midnight, s.end)}"
                            for s in spans)
        parts.append(f"{formats.weekday(midnight, WALL)} {said or 'closed'}")
    return ", ".join(parts)


def _wall(midnight: datetime, clock: time) -> str:
    return formats.clock(midnight.replace(hour=clock.hour, minute=clock.minute), WALL)


def policy_text(catalog: Catalog) -> str:
    policy = catalog.business.policies.cancellation
    currency = catalog.business.policies.currency
    fee = formats.money(policy.late_cancel_fee, currency)
    text = (f"You can cancel or move an appointment for free up to "
            f"{policy.free_cancellation_hours} hours before it starts.")
    if policy.late_cancel_fee:
        text += f" A later cancellation costs {fee}; moving it is then no longer possible."
    if catalog.business.policies.no_show_fee:
        text += (" Missing an appointment without telling us costs "
                 f"{formats.money(catalog.business.policies.no_show_fee, currency)}.")
    return text


class ActionStopFlow(GuardedAction):
    def name(self) -> str:
        return "action_stop_flow"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text="No problem, I've stopped there and nothing was booked or "
                                      "changed. Is there anything else I can help with?")
        return [SlotSet(name, None) for name in FLOW_SLOTS]


class ActionHandoff(GuardedAction):
    """Record the request for a person; on a call the gateway reads `handoff` and transfers."""

    def name(self) -> str:
        return "action_handoff"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        channel = parsing.channel_of(tracker.sender_id)
        await request_person(runtime.uow(), await runtime.business_id(), tracker.sender_id,
                             channel, Turn(tracker).text, now())
        business = (await runtime.catalog()).business
        if channel == "voice":
            dispatcher.utter_message(text=f"I'll put you through to someone at {business.name} "
                                          "now.", json_message={"handoff": True})
        else:
            phone = business.contact.phone
            call = f" You can also call us on {phone}." if phone else ""
            dispatcher.utter_message(text=f"I've asked someone from {business.name} to get back "
                                          f"to you shortly.{call}")
        return [SlotSet("handoff", True)]
