"""Asking the engine for times and offering them: shared by booking and rescheduling."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import (
    assumptions,
    constraints,
    group_chat,
    offer_heading,
    parsing,
    returning,
    speech,
    two_services,
)
from actions.boundary import GuardedAction
from actions.offer_value import Offer, offers_from_slot, offers_to_slot
from actions.places import place_of
from actions.runtime import now, runtime
from actions.understood import said_back
from actions.zones import zones_of
from scheduling.catalog import Catalog
from scheduling.desk.slots import SlotSearch
from scheduling.errors import DomainError


def search_for(tracker: Tracker, catalog: Catalog, service_id: UUID,
               exclude: tuple[UUID, ...] = ()) -> SlotSearch:
    """The search the conversation so far describes (day/time, staff, location, language,
    customer)."""
    when, start, end = (tracker.get_slot(n) for n in ("when", "when_start", "when_end"))
    staff, customer = tracker.get_slot("staff"), tracker.get_slot("customer_id")
    place = place_of(tracker, catalog)
    begin = datetime.fromisoformat(start) if start else None
    return SlotSearch(
        catalog.business.id, service_id,
        preferred_start=begin, preferred_end=datetime.fromisoformat(end) if end else None,
        staff_id=parsing.staff_wanted(staff),
        location_id=place.id if place else None,
        language=tracker.get_slot("language"),
        seats=group_chat.seats(tracker, catalog, service_id),
        habitual=returning.habitual(tracker),
        customer_id=UUID(customer) if customer else None,
        after=begin if when == "later" else None, before=begin if when == "earlier" else None,
        exclude=exclude, constraint=constraints.of(tracker.get_slot(constraints.SLOT)),
    )


class ActionAskSlotChoice(GuardedAction):
    """Offer the best few times with the engine's reasons; say so plainly when none fit."""

    def name(self) -> str:
        return "action_ask_slot_choice"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        catalog = await runtime.catalog()
        offers = offers_from_slot(tracker.get_slot("suggestions"))
        zones = await zones_of(tracker, catalog)
        heading = f"Here is what I have{said_back(tracker, zones, now())}:"
        if not offers:
            chosen = assumptions.reading(tracker, zones, now())  # "I took 3 as 3 PM."
            try:
                offers = await self._search(tracker, catalog, unasked=chosen is not None)
                heading = offer_heading.heading(tracker, offers, zones, catalog, now()) or heading
                if chosen is not None:
                    heading = assumptions.words(tracker, chosen, zones, now()) + heading
            except DomainError as error:
                dispatcher.utter_message(text=f"Sorry, I can't search that: {error}. "
                                              "Could you choose another person or time?")
                return [SlotSet("staff", None), SlotSet("suggestions", None)]
        if not offers:
            dispatcher.utter_message(text="Sorry, nothing is free then. Tell me another day or "
                                          "time, or say waitlist and I'll tell you when "
                                          "something opens up.")
            return [SlotSet("suggestions", None)]
        web = parsing.channel_of(tracker.sender_id) == "web"  # the widget shows buttons
        listing = "" if web else "\n" + speech.offer_lines(offers, catalog, zones, now())
        how = ("Tap it, or say a time or something later." if web
               else "You can say the first, a time, or something later.")
        dispatcher.utter_message(
            text=f"{heading}{listing}\nWhich one would you like? {how}",
            buttons=speech.offer_buttons(offers, catalog, zones, now()) if web else [])
        return [SlotSet("suggestions", offers_to_slot(offers))]

    async def _search(self, tracker: Tracker, catalog: Catalog, unasked: bool) -> list[Offer]:
        """The offers, in time order; `unasked`: the time searched was partly chosen by the
        bot, so no offer is said to be "as you asked"."""
        service_id, exclude = self.service_and_exclusion(tracker)
        search = search_for(tracker, catalog, service_id, exclude)
        refused, shown = parsing.staff_refused(tracker.get_slot("staff")), search.count
        if refused is not None:  # "not with Ana": look further, then leave her out
            search = replace(search, count=shown * 3)
        found = await two_services.find(search, tracker, catalog)  # who can do them all
        found = [suggestion for suggestion in found if suggestion.staff_id != refused][:shown]
        shifted = unasked or tracker.get_slot("when") in ("later", "earlier")  # not asked
        offers = [Offer.from_suggestion(suggestion, shifted) for suggestion in found]
        return sorted(offers, key=lambda offer: offer.start)  # said in time order

    def service_and_exclusion(self, tracker: Tracker) -> tuple[UUID, tuple[UUID, ...]]:
        """Rescheduling searches for the appointment's service and frees its own time."""
        moving = tracker.get_slot("appointment_id") if tracker.active_loop_name == "manage_form" \
            else None
        return UUID(tracker.get_slot("service")), (UUID(moving),) if moving else ()
