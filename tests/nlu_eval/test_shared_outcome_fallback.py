"""The fallback is undone only when the intents it hesitated between lead to the same flow.

The component lives in the Rasa environment (Python 3.10, rasa 3.6), so its pure function is
called there, as Rasa imports it: from the repository root.
"""

from __future__ import annotations

import json
import subprocess

import pytest

from assistant.rasa_model import RASA_VENV
from assistant.settings import PROJECT_ROOT

pytestmark = [pytest.mark.rasa]

CALL = """
import json, sys
from nlu_components.shared_outcome_fallback import regrouped
for ranking in json.loads(sys.stdin.read()):
    chosen = regrouped(ranking, {"book", "inform"}, 0.4, 0.1)
    print(json.dumps(chosen and chosen["name"]))
"""


def regroup(*rankings: list[tuple[str, float]]) -> list[str | None]:
    data = [[{"name": name, "confidence": c} for name, c in ranking] for ranking in rankings]
    done = subprocess.run([str(RASA_VENV / "bin" / "python"), "-c", CALL], cwd=PROJECT_ROOT,
                          input=json.dumps(data), capture_output=True, text=True, timeout=300,
                          check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_book_and_inform_together_are_a_booking_and_other_doubts_stay_fallbacks() -> None:
    fallback = ("nlu_fallback", 0.2)
    assert regroup(
        [fallback, ("book", 0.41), ("inform", 0.38), ("out_of_scope", 0.1)],  # split: booking
        [fallback, ("inform", 0.3), ("book", 0.25), ("out_of_scope", 0.3)],  # book vs inform
        [fallback, ("out_of_scope", 0.4), ("book", 0.35), ("chitchat", 0.2)],  # a real doubt
        [fallback, ("book", 0.15), ("inform", 0.15), ("greet", 0.1)],  # too unsure
        [fallback, ("stop", 0.45), ("deny", 0.4)],  # nothing of the group
    ) == ["book", "inform", None, None, None]
