"""The booking form: service, staff, time, an offer, contact details, then a confirmation."""

from __future__ import annotations

import re
from typing import Any
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import (
    deposit_policy,
    group_chat,
    parsing,
    returning,
    series_chat,
    service_words,
    side_questions,
    speech,
    two_services,
)
from actions.boundary import GuardedAction
from actions.corrections import corrected_this_turn, name_given, say_back
from actions.forms import (
    FREE_TEXT,
    NEW_TIME_CLEARS,
    REDIRECTS,
    BaseForm,
    Slots,
    Turn,
    repick,
)
from actions.offer_value import Offer
from actions.places import NOT_CHOSEN, choices
from actions.runtime import now, runtime
from actions.verify_steps import VerifySteps
from actions.zones import zones_of
from scheduling import formats, locations
from scheduling.catalog import Catalog

CONTACT = ["customer_name", "phone", "email"]


class ValidateBookingForm(VerifySteps, BaseForm):
    def name(self) -> str:
        return "validate_booking_form"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """A request for several people for a one-person service is said at once to be booked
        one after another (`group_chat.one_by_one`), not silently cut down to one."""
        turn = Turn(tracker)
        if not await group_chat.together(tracker, turn.text) and parsing.mentions_group(turn.text):
            dispatcher.utter_message(text=group_chat.one_by_one(turn.text))
        if turn.requested == "booking_confirmed" and turn.intent not in REDIRECTS:
            picked = await repick(turn, tracker, await runtime.catalog())
            again = picked == tracker.get_slot("slot_choice") and turn.intent == "affirm"
            if picked and not again:  # "the thursday one" said to "Shall I book it?"
                return [SlotSet("slot_choice", picked), SlotSet("booking_confirmed", None)]
        before = dict(tracker.slots)
        events = await super().act(dispatcher, tracker, domain)
        await say_back(dispatcher, tracker, before, events)  # "OK, Friday instead."
        catalog = await runtime.catalog()
        await side_questions.answer(dispatcher, tracker, catalog)  # "..., how much is it?"
        return events + two_services.heard(dispatcher, tracker, catalog)

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        """Staff is read whenever mentioned but never asked (anyone will do); the location
        is asked only while it is open (`choices`); a caller we know is not asked for their
        details again; the waitlist needs no offer."""
        contact = [] if tracker.get_slot("customer_id") else CONTACT
        if contact and tracker.get_slot(returning.WANTED):  # "my usual" on the web: code first
            return ["verify_contact", "otp_code", "service"]
        place = ["location"] if _place_open(tracker, await runtime.catalog()) else []
        return ["service", "staff", *place, "when", "slot_choice", *contact,
                "booking_confirmed"]

    async def proved(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     customer: UUID) -> Slots:
        """After the code: their name and proved contacts, and the usual they asked for."""
        named = await returning.proved_on_the_web(dispatcher, customer)
        return {**named, **await returning.the_usual(dispatcher, customer,
                                                     returning.asked_in(tracker))}

    async def extract_location(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """A location named anywhere in a message; "either" (or "anywhere") as the answer to
        the question leaves it to the earliest time."""
        turn = Turn(tracker)
        if not turn.carries_values() or turn.requested in FREE_TEXT:
            return {}
        found = locations.named_in(await runtime.catalog(), turn.text)
        value = str(found.id) if found else None
        if value is None and turn.answers("location"):
            value = "any" if parsing.anywhere(turn.text) else "unknown"
        return {} if value in (None, tracker.get_slot("location")) else {"location": value}

    async def validate_location(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """Another place means other times; a place that does not do the service is said so."""
        places = choices(tracker, await runtime.catalog())
        if value == "any" or any(str(place.id) == value for place in places):
            return {"location": value, **NEW_TIME_CLEARS}
        if not places:  # no service yet: `choices` weighs the place once there is one
            return {"location": value if value != "unknown" else None}
        named = locations.names(places)
        dispatcher.utter_message(text=f"Sorry, which location would you like: {named}?"
                                 if value == "unknown" else
                                 f"Sorry, we can't do that there; we can at {named}.")
        return {"location": None}

    async def extract_service(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if not turn.carries_values() or turn.requested in FREE_TEXT:
            return {}
        reading = service_words.read(await runtime.catalog(), turn.text, turn.answers("service"))
        current = tracker.get_slot("service")
        if reading.first is not None:
            return {} if str(reading.first.id) == current else {"service": str(reading.first.id)}
        if reading.ambiguous and current not in {str(s.id) for s in reading.ambiguous}:
            return {"service": "which"}  # "a haircut": men's or women's is asked, not guessed
        return {"service": "unknown"} if turn.answers("service") else {}

    async def validate_service(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if value == "unknown":
            dispatcher.utter_message(text="Sorry, I couldn't match that to one of our services.")
            return {"service": None}
        if value == "which":
            return {"service": None}  # `ActionAskService` asks which of the family
        return {"service": value, **NEW_TIME_CLEARS} if value else {"service": None}

    async def extract_staff(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if not turn.carries_values() or turn.requested in FREE_TEXT:
            return {}
        wish = parsing.match_staff(await runtime.catalog(), turn.text)
        current = tracker.get_slot("staff")
        if wish.unsupported:
            return {"staff": "unsupported"}
        if wish.refused is not None:
            value = f"{parsing.REFUSED_PREFIX}{wish.refused.id}"
        elif wish.staff is not None:
            value = str(wish.staff.id)
        elif wish.language:
            value = f"language:{wish.language}"
            current = f"language:{tracker.get_slot('language')}" if current == "any" else current
        elif wish.anyone or current is None:
            value = "any"
        else:
            return {}
        return {} if value == current else {"staff": value}  # only a change is validated

    async def validate_staff(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        # Only a change of person gets here (extract_staff): other people mean other times, so
        # the offers go, unless this same message picked one of them ("the 3 pm with Ana").
        picked = Turn(tracker).requested == "slot_choice" and Offer.parse(
            tracker.get_slot("slot_choice")) is not None
        clears = {} if picked else NEW_TIME_CLEARS
        if value == "unsupported":
            names = ", ".join(s.name for s in (await runtime.catalog()).staff)
            dispatcher.utter_message(text=f"I can't choose staff that way, sorry. Our team is "
                                          f"{names}; you can ask for one of them by name.")
            return {"staff": "any", "language": None}
        if isinstance(value, str) and value.startswith("language:"):
            return {"staff": "any", "language": value.partition(":")[2], **clears}
        refused = parsing.staff_refused(value)
        if refused is not None:  # said here; the offers leave them out (offers._search)
            name = (await runtime.catalog()).staff_member(refused).name
            dispatcher.utter_message(text=f"OK, not with {name}.")
        return {"staff": value, "language": None, **clears}

    async def extract_customer_name(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if turn.answers("customer_name"):
            return {"customer_name": turn.text}
        given = name_given(turn.text) if tracker.get_slot("customer_name") else None
        return {"customer_name": given} if given else {}  # "no, my name is Jo Lee"

    def validate_customer_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        name = parsing.name_in(str(value or ""))
        if name is None:
            dispatcher.utter_message(text="Sorry, I didn't get your name. Just your first and "
                                          "last name, please.")
        return {"customer_name": name}

    async def extract_phone(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        found = parsing.phone_in(turn.text) if turn.intent not in ("ask_price",) else None
        if found:
            return {"phone": found}
        return {"phone": "invalid"} if turn.answers("phone") else {}

    def validate_phone(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if value == "invalid":
            dispatcher.utter_message(text="That doesn't look like a phone number I can use. "
                                          "Please give it with the area code, like 718 555 0123.")
            return {"phone": None}
        return {"phone": value}

    async def extract_email(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        found = parsing.email_in(turn.text)
        if found:
            return {"email": found}
        if not turn.answers("email"):
            return {}
        return {"email": "skip" if parsing.declines(turn.text) else "invalid"}

    def validate_email(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if value == "invalid":
            dispatcher.utter_message(text="That e-mail address doesn't look right. Could you "
                                          "give it again, or say skip?")
            return {"email": None}
        return {"email": value}

    async def extract_booking_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if turn.requested == "booking_confirmed" and turn.intent == "book" \
                and parsing.goes_ahead(turn.text):  # "yes, make the appointment"
            return {"booking_confirmed": True}
        if turn.requested != "booking_confirmed" or turn.intent not in ("affirm", "deny"):
            return {}
        return {"booking_confirmed": turn.intent == "affirm"}

    def validate_booking_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        if value is False:
            return {"booking_confirmed": None}
        return {"booking_confirmed": value}


class ActionAskService(GuardedAction):
    """Ask which service, naming what the catalog offers (never a made-up list); after "a
    haircut", only which of the cuts ("Women's cut or men's cut?")."""

    def name(self) -> str:
        return "action_ask_service"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        catalog = await runtime.catalog()
        family = service_words.read(catalog, Turn(tracker).text).ambiguous
        if family:
            web = parsing.channel_of(tracker.sender_id) == "web"  # the widget shows buttons
            buttons = [{"title": s.name, "payload": s.name} for s in family]
            dispatcher.utter_message(text=service_words.which_question(family),
                                     buttons=buttons if web else [])
            return []
        names = ", ".join(s.name for s in catalog.services)
        dispatcher.utter_message(text=f"Which service would you like? We offer {names}.")
        return []


def _place_open(tracker: Tracker, catalog: Catalog) -> bool:
    """Whether the location is a question: more than one could serve the booking, or no
    service is known yet (so a place said along with the service is read with it)."""
    if len(catalog.business.locations) < 2:
        return False
    service = tracker.get_slot("service")
    return not service or service in NOT_CHOSEN or len(choices(tracker, catalog)) > 1


class ActionAskLocation(GuardedAction):
    """"Main Street or Harbour?": only the locations that can do the service, with their
    addresses, so the customer can tell them apart."""

    def name(self) -> str:
        return "action_ask_location"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        places = choices(tracker, await runtime.catalog())
        where = "; ".join(f"{place.name}, {place.address}" for place in places)
        web = parsing.channel_of(tracker.sender_id) == "web"  # the widget shows buttons
        buttons = [{"title": place.name, "payload": place.name} for place in places]
        dispatcher.utter_message(text=f"Which location would you like: "
                                      f"{locations.names(places)}? ({where})",
                                 buttons=buttons if web else [])
        return []


class ActionAskBookingConfirmed(GuardedAction):
    """Read the booking back before it is made; after a "no", ask what to change."""

    def name(self) -> str:
        return "action_ask_booking_confirmed"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        turn = Turn(tracker)
        denied = turn.requested == "booking_confirmed" and turn.intent == "deny"
        if denied and not corrected_this_turn(tracker):
            dispatcher.utter_message(text="No problem. What should I change: the service, the "
                                          "person, the day or time, or your details?")
            return []
        then, planned = await two_services.plan(tracker, await runtime.catalog())
        dispatcher.utter_message(text=await read_back(tracker, then))
        return planned


async def read_back(tracker: Tracker, then: str = "") -> str:
    """The booking as it will be made; `then`: the services booked straight after it."""
    if series := await series_chat.read_back(tracker):
        return series  # every date, the ones not free named
    catalog = await runtime.catalog()
    service = catalog.service(UUID(tracker.get_slot("service")))
    currency = catalog.business.policies.currency
    choice = tracker.get_slot("slot_choice")
    name = group_chat.who(tracker, catalog, tracker.get_slot("customer_name") or "you")
    if choice == "waitlist":
        when = tracker.get_slot("when")
        around = "as soon as something opens" if when == "earliest" else f"around {when}"
        return (f"So that's the waitlist for {service.name}, {around}, for {name}. "
                "Shall I add you? Please say yes or no.")
    offer = Offer.from_slot(choice)
    zones = await zones_of(tracker, catalog)
    when = zones.at(catalog, offer.location_id).when(offer.start, now())
    staff = catalog.staff_member(offer.staff_id).name + speech.at_location(catalog,
                                                                           offer.location_id)
    async with runtime.uow() as work:
        rules = await work.appointments.rules(catalog.business.id)
        deposit, asked_of = await deposit_policy.owed(work, catalog, service,
                                                      tracker.get_slot("customer_id"))
    terms = speech.deposit_terms(deposit, catalog, rules, asked_of, service)
    return (f"To confirm: {service.name} with {staff} {when}, {speech.minutes(service.duration)},"
            f" {formats.money(service.price, currency)}{then}, for {name}.{terms} Shall I book "
            f"{'them' if re.search(r', (then|and) ', then) else 'it'}? "
            "Please say yes or no.")
