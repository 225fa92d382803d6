"""What both forms share: reading a turn, knowing the caller, and choosing a time.

Every turn the form's validation action reads the whole message for anything it says (a new
day, a pick among the offers), so a customer can correct or switch at any point; a message
with nothing for the form (a question, "stop") extracts nothing, the form rejects, and the
rules answer it before the form picks up where it was.
"""

from __future__ import annotations

import abc
from datetime import datetime, timedelta
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import (
    answers,
    choices,
    constraints,
    corrections,
    group_chat,
    parsing,
    returning,
    series_chat,
)
from actions.boundary import GuardedForm
from actions.endings import close, ends_the_form
from actions.offer_value import Offer, offers_from_slot
from actions.request_words import requests_booking
from actions.runtime import now, runtime
from actions.zones import Zones, zones_of
from scheduling.catalog import Catalog
from scheduling.desk import customers

VALUE_INTENTS = {"book", "inform", "deny", "join_waitlist", "affirm", "nlu_fallback",
                 "reschedule_appointment", "cancel_appointment"}
"""Intents whose words may carry slot values; questions, help and "stop" never do."""
FREE_TEXT = {"customer_name", "phone", "email", "verify_contact", "otp_code"}
"""Slots answered with free text (a name is often not recognised as any intent)."""
REDIRECTS = {"stop", "human_handoff", "help", "ask_price", "ask_duration", "ask_address",
             "ask_hours", "ask_policy", "ask_prepare", "ask_services", "list_appointments",
             "goodbye"}
NEW_TIME_CLEARS = {"slot_choice": None, "suggestions": None, "booking_confirmed": None,
                   "manage_confirmed": None}

Slots = dict[str, Any]


class Turn:
    """The latest message as the forms read it."""

    def __init__(self, tracker: Tracker) -> None:
        message = tracker.latest_message or {}
        self.text: str = message.get("text") or ""
        self.intent: str = (message.get("intent") or {}).get("name") or ""
        self.metadata: dict[str, Any] = message.get("metadata") or {}
        self.requested: str | None = tracker.get_slot("requested_slot")

    def carries_values(self) -> bool:
        """A question that also asks for a booking ("how long is a colour? I'd like one on
        thursday at 10") carries the booking's values too."""
        return self.intent in VALUE_INTENTS or requests_booking(self.intent, self.text)

    def names_itself(self) -> bool:
        """Asked for a name, a plain name is the answer whatever intent it was heard as."""
        return self.requested == "customer_name" and parsing.plain_name(self.text)

    def answers(self, slot: str) -> bool:
        """Whether this message is the answer to the question about `slot`."""
        if self.requested != slot:
            return False
        if self.intent in REDIRECTS:
            return self.names_itself()
        return slot in FREE_TEXT or self.carries_values()


class BaseForm(GuardedForm, metaclass=abc.ABCMeta):
    """Identity from the channel on the first turn; time and offer slots for every form.

    Abstract, so rasa-sdk's executor (which registers every non-abstract Action subclass)
    skips it: registering it would call `name()` and stop the action server.
    """

    @abc.abstractmethod
    def name(self) -> str: ...

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if ends_the_form(Turn(tracker).text, tracker.get_slot("requested_slot")):
            return close(dispatcher, self.domain_slots(domain))  # "no thanks, that's all"
        known = await self.identity_events(tracker)
        tracker.add_slots(known)
        known += await returning.welcome(dispatcher, tracker, known)
        if self.form_name() == "booking_form":  # "every other Tuesday": the rest reads the first
            known += await series_chat.heard(tracker) + await group_chat.heard(tracker)
        tracker.add_slots(known)
        await _hear_answers(tracker)
        rest = await super().act(dispatcher, tracker, domain)
        return known + rest

    async def identity_events(self, tracker: Tracker) -> list[EventType]:
        """On SMS and voice the number is the customer, proved by the carrier: look them up
        (and record the proof) once per conversation."""
        if tracker.get_slot("customer_id") or tracker.get_slot("phone"):
            return []
        phone = parsing.caller_phone(tracker.sender_id, Turn(tracker).metadata)
        if phone is None:
            return []
        found = await customers.caller(runtime.uow(), await runtime.business_id(), phone, now())
        if found is None:
            return [SlotSet("phone", phone)]
        return [SlotSet("phone", phone), SlotSet("customer_id", str(found.id)),
                SlotSet("customer_name", found.name), SlotSet("email", found.email or "skip")]

    # -- when ------------------------------------------------------------------------------

    async def extract_when(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if not turn.carries_values() or turn.requested in FREE_TEXT | {"appointment_id"}:
            return {}
        if parsing.wants_earliest(turn.text):
            return {"when": "earliest"}
        catalog = await runtime.catalog()
        zones = await zones_of(tracker, catalog)
        if turn.answers("slot_choice") and _pick(turn, tracker, catalog, zones) is not None:
            return {}  # "ok the second" picks an offer: it is not the 2nd of the month
        if turn.requested == "booking_confirmed" and await repick(turn, tracker, catalog):
            return {}  # "yes, the thursday one": the offer read back, not a new search
        text = corrections.last_said(turn.text)  # "saturday at 10, no sorry, friday at 10"
        found = parsing.when_in(text, now(), zones.customer, _discussed(tracker))
        if found is None and turn.answers("when"):
            return {"when": text}
        if found is None and constraints.said(text, now(), zones.customer) is None:
            return {}
        return {"when": text}

    async def validate_when(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if not value:
            return {"when": None}
        zone = (await zones_of(tracker, await runtime.catalog())).customer
        if value == "earliest":  # "the earliest, but not Monday" keeps what it refuses
            kept = constraints.kept_with(Turn(tracker).text, tracker, now(), zone)
            return {"when": "earliest", "when_start": None, "when_end": None, **kept,
                    **NEW_TIME_CLEARS}
        found = parsing.when_in(str(value), now(), zone, _discussed(tracker))
        slots = constraints.when_slots(str(value), found, tracker, now(), zone)
        if slots is None:
            dispatcher.utter_message(text="Sorry, I couldn't work out a day or time from that. "
                                          "You could say, for example, Friday at 3 PM.")
            return {"when": None}
        return {**slots, **NEW_TIME_CLEARS}

    # -- picking an offer ------------------------------------------------------------------

    async def extract_slot_choice(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if turn.intent == "join_waitlist" and self.form_name() == "booking_form":
            return {"slot_choice": "waitlist"}
        if not turn.answers("slot_choice"):
            return {}
        offers = offers_from_slot(tracker.get_slot("suggestions"))
        catalog = await runtime.catalog()
        pick = _pick(turn, tracker, catalog, await zones_of(tracker, catalog))
        if pick is None and turn.intent == "affirm":  # "yes" to a list: only one can be meant
            return {"slot_choice": offers[0].to_slot() if len(offers) == 1 else "which"}
        if pick is None:
            return {"slot_choice": "none"} if turn.intent == "deny" else {}
        if pick.later or pick.earlier:
            return {"slot_choice": "later" if pick.later else "earlier"}
        return {"slot_choice": offers[pick.index].to_slot()} if pick.index is not None else {}

    def validate_slot_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        offers = offers_from_slot(tracker.get_slot("suggestions"))
        if value in ("later", "earlier") and offers:
            return _shifted(value, offers)
        if value == "none":  # "none of those": ask again, not the same list again
            if "when" in tracker.slots_to_validate():
                return {"slot_choice": None}  # "none of those, friday?": friday answers
            dispatcher.utter_message(text="No problem, let's find another time; you can also "
                                          "say waitlist and I'll tell you when something "
                                          "opens up.")
            return {"slot_choice": None, "suggestions": None, "when": None, "when_start": None,
                    "when_end": None}
        if value == "which":
            dispatcher.utter_message(text=f"Which one? Say its number, 1 to {len(offers)}, "
                                          "or its time.")
            return {"slot_choice": None}
        if value == "waitlist":
            return {"slot_choice": value}
        offer = Offer.parse(value)
        return {"slot_choice": offer.to_slot() if offer else None}


def _discussed(tracker: Tracker) -> datetime | None:
    """The day under discussion: the one searched around ("the week after?" moves from it)."""
    start = tracker.get_slot("when_start")
    return datetime.fromisoformat(start) if start else None


async def _hear_answers(tracker: Tracker) -> None:
    """A message heard as stop or small talk that names a value is read as the answer it is
    (`answers.heard_as`); the tracker is this action call's own copy."""
    turn = Turn(tracker)
    if turn.intent not in answers.MISHEARD:
        return
    catalog = await runtime.catalog()
    zone = (await zones_of(tracker, catalog)).customer
    heard = answers.heard_as(turn.intent, turn.text, catalog, now(), zone)
    if heard != turn.intent:
        message = tracker.latest_message or {}
        tracker.latest_message = {**message, "intent": {"name": heard, "confidence": 1.0}}


def _pick(turn: Turn, tracker: Tracker, catalog: Catalog, zones: Zones
          ) -> choices.Pick | None:
    """Which of the offers on the table the message chooses, if any; a time is read as each
    offer was said (its branch's clock, or the customer's)."""
    names = {str(s.id): s.name for s in catalog.staff}
    offers = offers_from_slot(tracker.get_slot("suggestions"))
    clocks = [zones.at(catalog, offer.location_id).customer for offer in offers]
    return choices.parse_pick(turn.text, offers, zones.customer, now(), names, clocks)


async def repick(turn: Turn, tracker: Tracker, catalog: Catalog) -> dict[str, str] | None:
    """The offer on the table a message picks after one was chosen ("the thursday one" said
    to "Shall I book it?"), the chosen one or another; else None. A person alone ("with Priya
    instead") keeps the time: their offer at that time, else None (the form then searches
    with them)."""
    offers = offers_from_slot(tracker.get_slot("suggestions"))
    if not offers:
        return None
    zones = await zones_of(tracker, catalog)
    names = {str(s.id): s.name for s in catalog.staff}
    current = tracker.get_slot("slot_choice")
    if _index(turn.text, offers, catalog, zones, {}) is None:  # no time, day or position said
        chosen = Offer.parse(current)
        offers = [offer for offer in offers if chosen and offer.start == chosen.start]
    index = _index(turn.text, offers, catalog, zones, names)
    return offers[index].to_slot() if index is not None else None


def _index(text: str, offers: list[Offer], catalog: Catalog, zones: Zones,
           names: dict[str, str]) -> int | None:
    clocks = [zones.at(catalog, offer.location_id).customer for offer in offers]
    pick = choices.parse_pick(text, offers, zones.customer, now(), names, clocks)
    return pick.index if pick else None


def _shifted(direction: str, offers: list[Offer]) -> Slots:
    """New search bounds past the offers already made: "later" searches from just after the
    last offer, "earlier" up to just before the first (`offers.search_for` reads the bound)."""
    starts = sorted(offer.start for offer in offers)
    step = timedelta(minutes=1)
    bound = starts[-1] + step if direction == "later" else starts[0] - step
    return {"slot_choice": None, "suggestions": None, "when": direction,
            "when_start": bound.isoformat(), "when_end": None}
