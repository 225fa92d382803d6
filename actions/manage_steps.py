"""The manage form's words and service calls: what the customer has, what a change costs,
and doing it. Kept apart from the form so each stays short."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet

from actions import parsing, speech
from actions.offer_value import Offer
from actions.runtime import now, runtime
from actions.zones import Zones, zones_of
from scheduling import formats
from scheduling.booking.changes import cancel, reschedule
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor, Channel
from scheduling.booking.policies import CancelOutcome
from scheduling.booking.waitlist import claim
from scheduling.desk import customers
from scheduling.desk.changes import terms
from scheduling.errors import SlotUnavailable

Item = dict[str, Any]


async def items_for(task: str | None, customer_id: UUID) -> list[EventType]:
    """The customer's upcoming appointments (or open offers, to claim) as slot values; one
    item is chosen at once. Each appointment is said in the zone it was booked for, as its
    messages say it; an offer in the customer's zone."""
    catalog = await runtime.catalog()
    if task == "claim":
        offers = await customers.open_offers(runtime.uow(), customer_id, now())
        zones = Zones.of(catalog, await runtime.customer_zone(customer_id))
        items = [_item(str(o.id), o.start, o.staff_id, None,
                       f"The opening with {catalog.staff_member(o.staff_id).name} "
                       f"{zones.when(o.start, now())}") for o in offers]
    else:
        found = await customers.upcoming(runtime.uow(), customer_id, now())
        items = [_item(str(a.id), a.start, a.staff_id, a.service_id,
                       speech.appointment_text(a, catalog, now())) for a in found]
    events: list[EventType] = [SlotSet("appointments", items)]
    if len(items) == 1 and task != "list":
        events.append(SlotSet("appointment_id", items[0]["id"]))
        if task == "reschedule":
            events += [SlotSet("service", items[0]["service_id"]),
                       SlotSet("staff", items[0]["staff_id"])]
    return events


def _item(item_id: str, start: datetime, staff_id: UUID, service_id: UUID | None,
          text: str) -> Item:
    return {"id": item_id, "start": start.isoformat(), "staff_id": str(staff_id),
            "service_id": str(service_id) if service_id else None, "text": text}


def item_lines(items: list[Item]) -> str:
    return "\n".join(f"{number}. {item['text']}" for number, item in enumerate(items, 1))


def chosen_item(tracker: Tracker) -> Item | None:
    """The appointment (or offer) the conversation has settled on, if any yet."""
    wanted = tracker.get_slot("appointment_id")
    items = tracker.get_slot("appointments") or []
    return next((item for item in items if item["id"] == wanted), None)


def _chosen(tracker: Tracker) -> Item:
    item = chosen_item(tracker)
    if item is None:
        raise LookupError("no appointment chosen")  # the form requires one before this step
    return item


async def describe_terms(tracker: Tracker) -> str:
    """The question before a change, with its price: free, a late fee, or the new time."""
    task, item = tracker.get_slot("task"), _chosen(tracker)
    if task == "claim":
        return f"You were offered: {item['text']}. Shall I book it for you? Please say yes or no."
    found = await terms(runtime.uow(), UUID(item["id"]), UUID(tracker.get_slot("customer_id")),
                        task, now())
    catalog = await runtime.catalog()
    if task == "cancel":
        if found.outcome is CancelOutcome.LATE:
            fee = formats.money(found.fee, catalog.business.policies.currency)
            cost = (f"It starts in less than {found.free_cancellation_hours} hours, so a late "
                    f"cancellation fee of {fee} applies.")
        else:
            cost = "Cancelling now is free."
        return f"{item['text']}. {cost} Shall I cancel it? Please say yes or no."
    choice = Offer.from_slot(tracker.get_slot("slot_choice"))
    new = (await zones_of(tracker, catalog)).when(choice.start, now())
    staff = catalog.staff_member(choice.staff_id).name
    return (f"I'll move {item['text']} to {new} with {staff}. Your current time stays booked "
            "until the new one is confirmed. Shall I move it? Please say yes or no.")


async def perform(tracker: Tracker) -> tuple[str, list[EventType]]:
    """Do the task; the reply and any further events (a lost race goes back to the offers)."""
    task, items = tracker.get_slot("task"), tracker.get_slot("appointments") or []
    if task is None:
        return "Is there anything else I can help you with?", []
    if not items:
        return _nothing(task), []
    if task == "list":
        return "Here is what you have booked:\n" + item_lines(items), []
    if not tracker.get_slot("manage_confirmed"):
        return "All right, I've left it as it is. Anything else?", []
    item = _chosen(tracker)
    if task == "cancel":
        return await _cancel(item), []
    if task == "claim":
        return await _claim(tracker, item), []
    try:
        return await _move(tracker, item), []
    except SlotUnavailable:
        return (f"I'm sorry, that time was just taken, so {item['text']} stays as it is. "
                "Here are other times.", _back_to_offers(tracker, item))


def _nothing(task: str) -> str:
    if task == "claim":
        return "I can't find an open waitlist offer for you; it may have expired. " \
               "Would you like me to look for a time instead?"
    return "You have no upcoming appointments. Would you like to book one?"


async def _cancel(item: Item) -> str:
    done = await cancel(CancelAppointment(UUID(item["id"]), Actor.CUSTOMER, "asked in chat"),
                        runtime.uow(), now())
    currency = (await runtime.catalog()).business.policies.currency
    fee = (f" A late cancellation fee of {formats.money(done.fee, currency)} applies."
           if done.fee else "")
    return f"Done: {item['text']} is cancelled.{fee} Is there anything else?"


async def _move(tracker: Tracker, item: Item) -> str:
    choice = Offer.from_slot(tracker.get_slot("slot_choice"))
    cmd = RescheduleAppointment(UUID(item["id"]), choice.start, staff_id=choice.staff_id,
                                reason="asked in chat")
    moved = await reschedule(cmd, runtime.uow(), now())
    catalog = await runtime.catalog()
    text = speech.appointment_text(moved.new, catalog, now())
    return (f"Done: you're now booked for {text}. Your new reference is "
            f"{speech.reference(moved.new)}. Anything else?")


async def _claim(tracker: Tracker, item: Item) -> str:
    channel = Channel(parsing.channel_of(tracker.sender_id))
    result = await claim(UUID(item["id"]), f"claim:{item['id']}", runtime.uow(), now(), channel)
    catalog = await runtime.catalog()
    text = speech.appointment_text(result.appointment, catalog, now())
    return (f"It's yours: {text}. Your reference is {speech.reference(result.appointment)}. "
            "Anything else?")


def _back_to_offers(tracker: Tracker, item: Item) -> list[EventType]:
    return [SlotSet("task", "reschedule"),
            SlotSet("appointments", tracker.get_slot("appointments")),
            SlotSet("appointment_id", item["id"]), SlotSet("service", item["service_id"]),
            SlotSet("staff", item["staff_id"]), SlotSet("when", tracker.get_slot("when")),
            SlotSet("when_start", tracker.get_slot("when_start")),
            FollowupAction("manage_form")]
