"""Read a message that says it wants no booking as `stop`, whatever the classifier heard.

Why: ways out of a booking the bot started by mistake ("no i don't want to book anything",
"i didn't ask for an appointment", "not booking, thanks") share most of their words with
refusals of one offer ("no, don't book that one") and with booking requests ("book"). The
classifier hears many of them as `deny` or `book`; inside the booking form both are "not
understood" and the form asks its question again, so the customer cannot get out. This
component, placed last, turns such a message into `stop` when:

- it says that no booking is wanted at all (a negation with book/appointment/booking:
  `NO_BOOKING`), heard as deny, book, inform or the fallback; or
- it is heard as `book` but asks to stop in plain words ("abort this booking", "scrap it").

The phrases are in `exit_phrases`.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

from nlu_components.exit_phrases import exit_intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class ExitWords(GraphComponent):
    """Sets `stop` for a message that says no booking is wanted (`exit_intent`)."""

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> ExitWords:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = message.get(INTENT) or {}
            changed = exit_intent(message.get("text") or "", str(intent.get(INTENT_NAME_KEY)))
            if changed is not None:
                message.set(INTENT, {INTENT_NAME_KEY: changed, PREDICTED_CONFIDENCE_KEY: 1.0},
                            add_to_output=True)
        return messages
