"""Undo the NLU fallback when the intents it hesitated between all lead to the same place.

Why: `book` ("a haircut friday") and `inform` ("friday, a haircut") both start the booking flow
and are both read the same way by the form, and many real requests sit between them ("could you
fit in a quick trim at lunchtime": book 0.41, inform 0.38). Rasa's FallbackClassifier then
answers "Sorry, I didn't catch that", because the top two intents are closer than its ambiguity
threshold, although either reading does the same thing. This component, placed after the
FallbackClassifier, treats a group of intents as one outcome: when the fallback was predicted
and the group's summed confidence is at least `threshold` and beats every other intent by
`ambiguity`, the group's top intent is restored (and the fallback entry dropped from the
ranking). Anything else stays the fallback.

Config (config.yml), all optional:

    - name: nlu_components.shared_outcome_fallback.SharedOutcomeFallback
      intents: [book, inform]   # the group that starts the same flow
      threshold: 0.4
      ambiguity: 0.1
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
)
from rasa.shared.nlu.training_data.message import Message


def regrouped(ranking: list[dict[str, Any]], group: set[str], threshold: float,
              ambiguity: float) -> dict[str, Any] | None:
    """The group's top intent if the group as one outcome is a clear reading, else None."""
    ranking = [r for r in ranking if r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME]
    inside = [r for r in ranking if r.get(INTENT_NAME_KEY) in group]
    if not inside:
        return None
    together = sum(float(r.get(PREDICTED_CONFIDENCE_KEY, 0.0)) for r in inside)
    best_other = max((float(r.get(PREDICTED_CONFIDENCE_KEY, 0.0)) for r in ranking
                      if r.get(INTENT_NAME_KEY) not in group), default=0.0)
    if together < threshold or together - best_other < ambiguity:
        return None
    return max(inside, key=lambda r: float(r.get(PREDICTED_CONFIDENCE_KEY, 0.0)))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SharedOutcomeFallback(GraphComponent):
    """Restores a flow intent the FallbackClassifier replaced although its rivals agree."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"intents": ["book", "inform"], "threshold": 0.4, "ambiguity": 0.1}

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = {**self.get_default_config(), **config}

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SharedOutcomeFallback:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        group = set(self.config["intents"])
        for message in messages:
            intent = message.get(INTENT) or {}
            if intent.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue
            ranking = message.get(INTENT_RANKING_KEY) or []
            chosen = regrouped(ranking, group, float(self.config["threshold"]),
                               float(self.config["ambiguity"]))
            if chosen is None:
                continue
            message.set(INTENT, dict(chosen), add_to_output=True)
            message.set(INTENT_RANKING_KEY, [r for r in ranking if r.get(INTENT_NAME_KEY)
                                             != DEFAULT_NLU_FALLBACK_INTENT_NAME],
                        add_to_output=True)
        return messages
