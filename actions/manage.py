"""Managing appointments by talking: list, cancel, reschedule, claim a waitlist offer.

Who is asking is settled first: the caller's number on SMS and voice, a one-time code on the
web. The fee or refusal is stated before anything is confirmed, and a move keeps the old
appointment until the new time is secured (the reschedule service does both in one step).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import choices, parsing, returning
from actions.boundary import GuardedAction
from actions.forms import BaseForm, Slots, Turn
from actions.manage_request import chosen, opening_when
from actions.manage_steps import describe_terms, item_lines, items_for, perform
from actions.offer_value import Offer
from actions.runtime import now, runtime
from actions.verify_steps import VerifySteps
from actions.zones import zones_of

TASKS = {"list_appointments": "list", "cancel_appointment": "cancel",
         "reschedule_appointment": "reschedule", "claim_offer": "claim"}
WHICH = {"cancel": "Which appointment would you like to cancel?",
         "reschedule": "Which appointment would you like to move?"}
"""The question before the list, whole for each task."""
MANAGE_SLOTS = ["appointment_id", "appointments", "manage_confirmed", "when", "when_start",
                "when_end", "when_constraint", "suggestions", "slot_choice", "service", "staff"]


class ActionStartManage(GuardedAction):
    def name(self) -> str:
        return "action_start_manage"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        task = TASKS.get(Turn(tracker).intent, "list")
        return [SlotSet("task", task), *(SlotSet(name, None) for name in MANAGE_SLOTS),
                *await opening_when(tracker, task)]


class ValidateManageForm(VerifySteps, BaseForm):
    def name(self) -> str:
        return "validate_manage_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        if not tracker.get_slot("customer_id"):
            return ["verify_contact", "otp_code"]
        task, items = tracker.get_slot("task"), tracker.get_slot("appointments") or []
        if task in (None, "list") or not items:  # None: refused, said, over
            return []
        steps = ["appointment_id"] if task in ("cancel", "reschedule") else []
        if task == "reschedule":
            steps += ["when", "slot_choice"]
        return [*steps, "manage_confirmed"]

    async def identity_events(self, tracker: Tracker) -> list[EventType]:
        """The caller's number identifies them; then their appointments (or offers) load."""
        events = await super().identity_events(tracker)
        known = next((e["value"] for e in events if e.get("name") == "customer_id"), None)
        customer_id = known or tracker.get_slot("customer_id")
        if customer_id and tracker.get_slot("appointments") is None:
            events += await items_for(tracker.get_slot("task"), UUID(customer_id))
        return events

    async def proved(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     customer: UUID) -> Slots:
        """The customer's name, then their appointments (or offers) for the task; the only
        one, when changing it, checked against the policy at once."""
        task = tracker.get_slot("task")
        named = await returning.proved_on_the_web(dispatcher, customer)
        loaded = {event["name"]: event["value"] for event in await items_for(task, customer)}
        if loaded.get("appointment_id") and task in ("cancel", "reschedule"):
            loaded |= await chosen(dispatcher, task, loaded["appointment_id"], str(customer),
                                   loaded["appointments"])
        return {**named, **loaded}

    async def extract_appointment_id(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if not turn.answers("appointment_id"):
            return {}
        items = tracker.get_slot("appointments") or []
        catalog = await runtime.catalog()
        service = parsing.match_service(catalog, turn.text)
        by_service = [i for i in items if service and i["service_id"] == str(service.id)]
        if len(by_service) == 1:
            return {"appointment_id": by_service[0]["id"]}
        names = {str(s.id): s.name for s in catalog.staff}
        times = [Offer.from_slot(item) for item in items]  # each a time with a person
        zone = (await zones_of(tracker, catalog)).customer
        pick = choices.parse_pick(turn.text, times, zone, now(), names)
        index = pick.index if pick else None
        return {"appointment_id": items[index]["id"]} if index is not None else {}

    async def validate_appointment_id(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        """Say at once when the policy forbids the change, instead of asking to confirm."""
        task, customer_id = tracker.get_slot("task"), tracker.get_slot("customer_id")
        if task == "claim" or not value or not customer_id:
            return {"appointment_id": value}
        return await chosen(dispatcher, task, str(value), customer_id,
                            tracker.get_slot("appointments") or [])

    async def extract_manage_confirmed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Slots:
        turn = Turn(tracker)
        if turn.requested != "manage_confirmed" or turn.intent not in ("affirm", "deny"):
            return {}
        return {"manage_confirmed": turn.intent == "affirm"}


class ActionAskAppointmentId(GuardedAction):
    def name(self) -> str:
        return "action_ask_appointment_id"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = WHICH.get(tracker.get_slot("task") or "", WHICH["reschedule"])
        lines = item_lines(tracker.get_slot("appointments") or [])
        dispatcher.utter_message(text=f"{question}\n{lines}\n"
                                      "You can say the first, the second, or the day.")
        return []


class ActionAskManageConfirmed(GuardedAction):
    def name(self) -> str:
        return "action_ask_manage_confirmed"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=await describe_terms(tracker))
        return []


class ActionManage(GuardedAction):
    """Carry out the task once the form has what it needs and the customer said yes."""

    def name(self) -> str:
        return "action_manage"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text, extra = await perform(tracker)
        dispatcher.utter_message(text=text)
        return _finished() + extra

    def after_failure(self, tracker: Tracker) -> list[EventType]:
        return _finished()


def _finished() -> list[EventType]:
    """Done, refused or failed, the task is over: the next message starts afresh."""
    return [SlotSet(name, None) for name in (*MANAGE_SLOTS, "task", "otp_code")]

