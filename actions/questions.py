"""The forms' plain questions, asked by custom `action_ask_<slot>` actions.

Rasa asks a form's next slot with `action_ask_<slot>` or the response `utter_ask_<slot>`.
As responses these six were reported unused by `rasa data validate` (Rasa 3.6 counts a response
as used only when a story or rule names it, and a form asks from inside its loop), so
`--fail-on-warnings` could never be clean. The validator does not check custom actions for use,
so the same sentences are asked from here, exactly as before, on every channel (plain text,
readable aloud on voice).
"""

from __future__ import annotations

import abc

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.boundary import GuardedAction
from actions.manage_steps import chosen_item

QUESTIONS = {
    "when": "What day and time would suit you? You can also say earliest.",
    "customer_name": "What name should I put the booking under?",
    "phone": "What's the best phone number to reach you on?",
    "email": "And your email address for the confirmation? You can say skip if you'd rather "
             "not give one.",
    "verify_contact": "First I need to check it's you. What email address or phone number "
                      "did you book with?",
    "otp_code": "I've sent a six digit code there. Please tell me the code.",
}


class AskQuestion(GuardedAction, metaclass=abc.ABCMeta):
    """Asks the question of the slot its name ends with. Abstract, so rasa-sdk's executor
    registers only the concrete ones below."""

    @abc.abstractmethod
    def name(self) -> str: ...

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(text=QUESTIONS[self.name().removeprefix("action_ask_")])
        return []


class AskWhen(AskQuestion):
    """When moving an appointment, the question first names the one being moved (after a
    one-time code the customer has not heard it yet)."""

    def name(self) -> str:
        return "action_ask_when"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        moving = chosen_item(tracker)
        if tracker.active_loop_name != "manage_form" or moving is None:
            return await super().act(dispatcher, tracker, domain)
        dispatcher.utter_message(text=f"Let's move your {moving['text']}. {QUESTIONS['when']}")
        return []


def _asker(slot: str) -> type[AskQuestion]:
    """A concrete `action_ask_<slot>`; rasa-sdk registers it as a subclass of `Action`."""
    return type(f"Ask_{slot}", (AskQuestion,),
                {"name": lambda self: f"action_ask_{slot}", "__module__": __name__})


ASKERS = [_asker(slot) for slot in QUESTIONS if slot != "when"]
"""One action per question, made from the table so the two cannot drift apart."""
