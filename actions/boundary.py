"""The error boundary every custom action runs inside.

rasa-sdk answers an action that raises with HTTP 500; Rasa then ends the turn with no reply at
all, and the customer is left looking at an empty chat. So no action implements `run`: they
implement `act`, and `GuardedAction.run` (which subclasses cannot override) calls it. A domain
error becomes the refusal in words; anything else is logged with its traceback and answered
with an apology and what to do next. A form validation that fails asks its question again.
"""

from __future__ import annotations

import abc
import logging
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from scheduling.errors import (
    DomainError,
    NotFound,
    NotYetReleased,
    PolicyViolation,
    SlotUnavailable,
)
from scheduling.releases_words import not_open_words

log = logging.getLogger(__name__)

APOLOGY = ("Sorry, something went wrong on my side. Could you say that again? If it keeps "
           "happening, ask for a person and someone from our team will get back to you.")


def refusal(error: DomainError) -> str:
    """A domain error in words, with what the customer can do next."""
    if isinstance(error, PolicyViolation) and error.policy == "max_active_bookings":
        return (f"Sorry, you already have the most upcoming bookings we allow "
                f"({error.details.get('limit')}). You can cancel or move one first.")
    if isinstance(error, PolicyViolation) and error.policy == "cancellation_window":
        hours = error.details.get("free_cancellation_hours")
        return (f"Sorry, appointments can only be changed up to {hours} hours before they "
                "start, so I can't do that now. I can put you through to a person if you like.")
    if isinstance(error, NotYetReleased):
        return (not_open_words(error.opens_at, error.zone or ZoneInfo("UTC")) + " Would you like "
                "another day, or shall I tell you what is free before then?")
    if isinstance(error, SlotUnavailable):
        return ("Sorry, that time is no longer free. Tell me another day or time and I'll "
                "look again.")
    if isinstance(error, NotFound):
        return (f"Sorry, I can't find that {error.kind} any more; it may have just changed. "
                "What would you like to do?")
    return (f"Sorry, I couldn't do that: {error}. Would you like to try something else, "
            "or talk to a person?")


class GuardedAction(Action, metaclass=abc.ABCMeta):
    """Base of every custom action: implement `act`; `run` is the boundary around it.

    Abstract, so rasa-sdk's executor (which registers every non-abstract `Action` subclass)
    registers only the concrete actions.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "run" in vars(cls):
            raise TypeError(f"{cls.__name__} overrides run(), which is the error boundary; "
                            "implement act() instead")

    @abc.abstractmethod
    def name(self) -> str: ...

    @abc.abstractmethod
    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """What the action does; may raise."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        try:
            return await self.act(dispatcher, tracker, domain)
        except DomainError as error:
            log.info("%s refused: %s", self.name(), error.code)
            dispatcher.utter_message(text=refusal(error))
            return self.after_failure(tracker)
        except Exception:
            log.exception("%s failed", self.name())
            dispatcher.utter_message(text=APOLOGY)
            return self.after_failure(tracker)

    def after_failure(self, tracker: Tracker) -> list[EventType]:
        """Events after a refusal or a failure: none, the conversation goes on from where it
        was; subclasses say otherwise when they must."""
        return []


class GuardedForm(GuardedAction, FormValidationAction, metaclass=abc.ABCMeta):
    """A form's validation inside the boundary: `act` runs rasa-sdk's extraction and
    validation; on failure the form asks the slot it was asking again (clearing it keeps Rasa
    from rejecting the form, which would drop the apology)."""

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # named, not super(): super().run is the boundary itself
        events: list[EventType] = await FormValidationAction.run(self, dispatcher, tracker,
                                                                 domain)
        return events

    def after_failure(self, tracker: Tracker) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        return [SlotSet(requested, None)] if requested else []
