"""What a request to manage an appointment settles before the form asks anything.

"Move my appointment to Friday afternoon" says the new time in its first message; on the web
the identity check comes first, and the form would otherwise ask "what day and time?" again
after the code. And an appointment the policy no longer lets the customer change is said so
(with the rule in words) as soon as it is chosen, whichever way it was chosen: picked from
the list, the only one, or loaded after a code.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import constraints, parsing
from actions.boundary import refusal
from actions.runtime import now, runtime
from actions.zones import zones_of
from scheduling.desk.changes import terms
from scheduling.errors import DomainError, PolicyViolation

VERBS = {"cancel": ("cancel", "cancelled"), "reschedule": ("move", "moved")}


async def opening_when(tracker: Tracker, task: str) -> list[EventType]:
    """The day or time the request to move named, as the form's `when` slots; none when it
    named none (or the task is not a move)."""
    return await said_when(tracker) if task == "reschedule" else []


async def said_when(tracker: Tracker) -> list[EventType]:
    """The day or time this message names, as the forms' `when` slots (none if none), for a
    step that comes before the form reads it (an identity check)."""
    text = (tracker.latest_message or {}).get("text") or ""
    if not text:
        return []
    zone = (await zones_of(tracker, await runtime.catalog())).customer
    found = parsing.when_in(text, now(), zone)
    slots = constraints.when_slots(text, found, None, now(), zone)  # "to any day but Monday"
    return [SlotSet(name, value) for name, value in slots.items()] if slots else []


async def chosen(dispatcher: CollectingDispatcher, task: str | None, appointment_id: str,
                 customer_id: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The slots once `appointment_id` is the one to change: its service, person and place
    (a move offers times for them), or, when the policy forbids the change now, the rule said
    and the task ended (`task` None), so the form stops instead of offering times."""
    try:
        found = await terms(runtime.uow(), UUID(appointment_id), UUID(customer_id),
                            task or "", now())
    except DomainError as error:
        text = next((i["text"] for i in items if i["id"] == appointment_id), "")
        dispatcher.utter_message(text=refused(error, task, text))
        return {"appointment_id": appointment_id, "manage_confirmed": False, "task": None}
    return {"appointment_id": appointment_id, "service": str(found.appointment.service_id),
            "staff": str(found.appointment.staff_id),
            "location": str(found.appointment.location_id)}


def refused(error: DomainError, task: str | None, what: str) -> str:
    """The notice window in words, naming the appointment: "appointments can only be moved up
    to 24 hours before they start"; any other refusal as the boundary says it."""
    if not (isinstance(error, PolicyViolation) and error.policy == "cancellation_window"):
        return refusal(error)
    hours = error.details.get("free_cancellation_hours")
    verb, done = VERBS.get(task or "", ("change", "changed"))
    subject = f"your {what[0].lower()}{what[1:]}" if what else "it"
    return (f"Sorry, appointments can only be {done} up to {hours} hours before they start, "
            f"so I can't {verb} {subject} now. I can put you through to a person if you like.")
