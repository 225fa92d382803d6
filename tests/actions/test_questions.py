"""Every form question the domain relies on is a registered action that asks it."""

from __future__ import annotations

import yaml
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher

from actions.questions import QUESTIONS
from assistant.settings import PROJECT_ROOT
from tests.actions.conftest import tracker


async def test_each_question_is_registered_listed_in_the_domain_and_asked() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    listed = {next(iter(a)) if isinstance(a, dict) else a
              for a in yaml.safe_load((PROJECT_ROOT / "domain.yml").read_text())["actions"]}
    for slot, question in QUESTIONS.items():
        name = f"action_ask_{slot}"
        assert name in listed and name in executor.actions
        dispatcher = CollectingDispatcher()
        await executor.actions[name](dispatcher, tracker(requested=slot), {})
        assert [m["text"] for m in dispatcher.messages] == [question]


async def test_moving_an_appointment_the_question_names_it() -> None:
    executor = ActionExecutor()
    executor.register_package("actions")
    item = {"id": "a1", "text": "Men's cut with Marcus Monday, November 23 at 12:30 PM"}
    slots = {"appointment_id": "a1", "appointments": [item], "task": "reschedule"}
    dispatcher = CollectingDispatcher()
    await executor.actions["action_ask_when"](
        dispatcher, tracker(requested="when", slots=slots, loop="manage_form"), {})
    assert dispatcher.messages[0]["text"] == (
        f"Let's move your {item['text']}. {QUESTIONS['when']}")
