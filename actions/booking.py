"""Making the booking (or the waitlist entry) once the form has everything and a "yes"."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import group_chat, parsing, series_chat, speech, two_services
from actions.boundary import GuardedAction, refusal
from actions.offer_value import Offer, offers_to_slot
from actions.runtime import now, runtime
from actions.zones import zones_of
from scheduling import formats
from scheduling.booking import payments
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.model import Appointment, Channel, Contact
from scheduling.booking.waitlist import JoinWaitlist, join
from scheduling.catalog import Catalog
from scheduling.desk import customers
from scheduling.errors import NotYetReleased, SlotUnavailable

RESET = ["service", "staff", "location", "language", "when", "when_start", "when_end",
         "when_constraint", "suggestions", "slot_choice", "booking_confirmed", "also_book"]


class ActionBook(GuardedAction):
    """Book the chosen offer (or join the waitlist); a refusal or failure clears the form, so
    the next message starts afresh."""

    def name(self) -> str:
        return "action_book"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if not tracker.get_slot("booking_confirmed"):
            dispatcher.utter_message(text="Nothing was booked. What would you like to do?")
            return _reset()
        catalog = await runtime.catalog()
        try:
            if tracker.get_slot("slot_choice") == "waitlist":
                return await self._waitlist(dispatcher, tracker, catalog)
            return await self._book(dispatcher, tracker, catalog)
        except SlotUnavailable as lost:
            return _race_lost(dispatcher, lost, catalog)

    def after_failure(self, tracker: Tracker) -> list[EventType]:
        return _reset()

    async def _book(self, dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog
                    ) -> list[EventType]:
        who = _proof(tracker)
        if series := await series_chat.book(tracker, _contact(tracker), who):
            text, customer_id = series
            dispatcher.utter_message(text=text)
            return [*_reset(), SlotSet("series", None), *_proved(who, customer_id)]
        choice = Offer.from_slot(tracker.get_slot("slot_choice"))
        slot = SlotChoice(catalog.business.id, UUID(tracker.get_slot("service")),
                          choice.start, choice.staff_id, choice.location_id)
        key = f"{tracker.sender_id}:{slot.service_id}:{choice.start.isoformat()}:{choice.staff_id}"
        channel = Channel(parsing.channel_of(tracker.sender_id))
        cmd = BookAppointment(slot, None, key, channel=channel, contact=_contact(tracker),
                              participants=group_chat.participants(tracker, catalog))
        result = await customers.book_for(cmd, who, runtime.uow(), now())
        appointment = result.appointment
        ref = speech.reference(appointment)
        text = (f"You're booked: {speech.appointment_text(appointment, catalog, now())}. "
                f"Your reference is {ref}.")
        async with runtime.uow() as work:
            online = (await work.appointments.rules(catalog.business.id)).deposits_online
        text += _deposit_words(appointment, catalog, online)
        text += await two_services.book_planned(tracker, catalog, channel, _contact(tracker), who)
        dispatcher.utter_message(text=text + " Is there anything else I can do for you?")
        return [*_reset(), SlotSet("booking_reference", ref),
                *_proved(who, appointment.customer_id)]

    async def _waitlist(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        catalog: Catalog) -> list[EventType]:
        who = _proof(tracker)
        customer = await customers.register(runtime.uow(), catalog.business.id,
                                            _contact(tracker), who, now())
        service_id = UUID(tracker.get_slot("service"))
        staff = tracker.get_slot("staff")
        zones = await zones_of(tracker, catalog)
        cmd = JoinWaitlist(catalog.business.id, customer.id, service_id,
                           (waitlist_window(tracker, zones.customer),),
                           parsing.staff_wanted(staff))
        await join(cmd, runtime.uow(), now())
        service = catalog.service(service_id).name
        dispatcher.utter_message(text=f"You're on the waitlist for {service}. If a time opens "
                                      "up we'll message you, and you can claim it by replying "
                                      "or by telling me. Anything else?")
        return [*_reset(), *_proved(who, customer.id)]


def _deposit_words(appointment: Appointment, catalog: Catalog, online: bool) -> str:
    """What happens about the deposit: paid online now (the link is on its way), or at the
    salon (also for a booking pending for the owner's approval, not for a payment); with no
    deposit, the card to save to confirm it (the link is on its way); nothing when neither
    is asked."""
    if online and payments.awaiting_card(appointment):
        return (" Your time is kept while you add a card: we're texting and e-mailing you a "
                "link to add it now (nothing is charged now). The booking is confirmed once "
                "it's saved; without it, the time is released after a short while and we'll "
                "tell you.")
    owed = payments.owed(appointment)
    if not owed:
        return ""
    deposit = formats.money(owed, catalog.business.policies.currency)
    if online and payments.awaiting_online(appointment):
        return (f" Your time is kept while you pay the {deposit} deposit: we're texting and "
                "e-mailing you a link to pay it online now. The booking is confirmed once it's "
                "paid; unpaid, the time is released after a short while and we'll tell you.")
    return f" The {deposit} deposit is paid at the salon when you come in (cash or card)."


def waitlist_window(tracker: Tracker, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The window the customer asked about: their window, else the whole day they named (a
    day of `zone`, the one their words were read in), else the coming week ("earliest")."""
    start, end = tracker.get_slot("when_start"), tracker.get_slot("when_end")
    if start and end:
        return datetime.fromisoformat(start), datetime.fromisoformat(end)
    if start:
        local = datetime.fromisoformat(start).astimezone(zone)
        day = datetime.combine(local.date(), time(0), local.tzinfo)
        return max(day, now()), day + timedelta(days=1)
    return now(), now() + timedelta(days=7)


def _contact(tracker: Tracker) -> Contact:
    """The name, phone and e-mail the customer gave in this conversation."""
    email = tracker.get_slot("email")
    return Contact(tracker.get_slot("customer_name") or "", tracker.get_slot("phone"),
                   email if email not in (None, "skip") else None)


def _proof(tracker: Tracker) -> customers.Proof:
    """`customer_id` is set only once this conversation proved who it is (the caller's number
    on SMS and voice, a one-time code on the web); a new texting number proves itself."""
    known = tracker.get_slot("customer_id")
    if known:
        return customers.Proof(customer_id=UUID(known))
    caller = parsing.caller_phone(tracker.sender_id, (tracker.latest_message or {}).get("metadata"))
    return customers.Proof(phone=caller) if caller else customers.ANONYMOUS


def _proved(who: customers.Proof, customer_id: UUID | None) -> list[EventType]:
    """Remember the customer for the rest of the conversation only when they proved who they
    are: an anonymous web booking must not open "my appointments" to whoever typed a phone."""
    if who == customers.ANONYMOUS or customer_id is None:
        return []
    return [SlotSet("customer_id", str(customer_id))]


def _race_lost(dispatcher: CollectingDispatcher, lost: SlotUnavailable,
               catalog: Catalog) -> list[EventType]:
    """Someone took the time between offer and "yes" (or it is not released yet): say so,
    offer what is nearest."""
    offers = [Offer(slot.start, slot.staff_ids[0], location_id=slot.location_id)
              for slot in lost.alternatives if slot.staff_ids]
    if isinstance(lost, NotYetReleased):
        dispatcher.utter_message(text=refusal(lost))
        return [SlotSet("slot_choice", None),
                SlotSet("suggestions", offers_to_slot(offers) if offers else None),
                SlotSet("booking_confirmed", None), FollowupAction("booking_form")]
    if not offers:
        dispatcher.utter_message(text="I'm sorry, that time was just taken and I have nothing "
                                      "close to it. Tell me another day, or say waitlist.")
        return [SlotSet("slot_choice", None), SlotSet("suggestions", None),
                SlotSet("booking_confirmed", None), FollowupAction("booking_form")]
    dispatcher.utter_message(text="I'm sorry, someone has just taken that time.")
    return [SlotSet("slot_choice", None), SlotSet("suggestions", offers_to_slot(offers)),
            SlotSet("booking_confirmed", None), FollowupAction("booking_form")]


def _reset() -> list[EventType]:
    return [SlotSet(name, None) for name in RESET]
