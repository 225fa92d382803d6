"""Endings (issue 18, kind 10): "no thanks", "that's all", "thank you" end the conversation
politely at any step of a form, typed, texted or spoken, and a "no" to "anything else?" says
goodbye instead of asking again. The e-mail question and the read-back keep their own reading.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import ValidateBookingForm
from actions.boundary import GuardedAction
from actions.endings import ActionDefaultOrEnd, ActionEndOrAsk, ending, ends_the_form
from actions.manage import ValidateManageForm
from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import DOMAIN

MENS = str(demo_id("service/Men's cut"))


@pytest.mark.parametrize("text", [
    "no thanks, that's all", "No thanks. That's all!", "no thx thats all", "nope, that's it",
    "um no thanks that's all", "nothing thanks, that's all", "never mind, that's all thanks",
    "great, that's all thanks", "that's all", "bye", "no thank you", "I'm good, thanks",
    "er no thanks", "erm never mind that's all thanks",
])
def test_ways_of_saying_done(text: str) -> None:
    assert ending(text) == "done"


@pytest.mark.parametrize("text", ["thank you", "Thanks!", "ok thx", "cheers"])
def test_thanks_alone(text: str) -> None:
    assert ending(text) == "thanks"


@pytest.mark.parametrize("text", [
    "no", "ok", "yes thanks", "a men's cut", "no, friday instead", "thanks, can I also book",
    "no thanks, I'd rather have Friday", "that's all right, Thursday works", "skip",
])
def test_messages_that_say_more_end_nothing(text: str) -> None:
    assert ending(text) is None


def test_the_email_question_and_the_read_back_keep_their_reading() -> None:
    assert not ends_the_form("no thanks", "email")  # declines to give one
    assert not ends_the_form("thank you", "booking_confirmed")
    assert ends_the_form("no thanks, that's all", "booking_confirmed")
    assert ends_the_form("thank you", "service") and ends_the_form("no thanks", "slot_choice")


async def _run_form(form: Any, text: str, intent: str, requested: str, loop: str,
                    **slots: Any) -> tuple[list[dict[str, Any]], str]:
    dispatcher = CollectingDispatcher()
    state = tracker(text, intent, slots, requested, sender="sms:+16465550101", loop=loop)
    events = await form.run(dispatcher, state, DOMAIN)
    return events, " ".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.mark.db
@pytest.mark.parametrize(("text", "intent", "requested", "slots"), [
    ("no thanks, that's all", "deny", "service", {}),
    ("no thx thats all", "nlu_fallback", "when", {"service": MENS}),
    ("no thanks", "deny", "slot_choice", {"service": MENS, "when": "friday"}),
    ("never mind, that's all thanks", "inform", "customer_name", {"service": MENS}),
    ("no thanks, that's all", "deny", "booking_confirmed", {"service": MENS}),
])
async def test_an_ending_at_any_step_of_the_booking_closes_politely(
    salon: Catalog, text: str, intent: str, requested: str, slots: dict[str, Any],
) -> None:
    events, said = await _run_form(ValidateBookingForm(), text, intent, requested,
                                   "booking_form", **slots)
    assert "goodbye" in said.lower() and "nothing has been booked" in said
    assert "couldn't match" not in said and "?" not in said
    assert {"event": "active_loop", "name": None} in [
        {"event": e["event"], "name": e.get("name")} for e in events if e["event"] == "active_loop"]
    assert any(e["event"] == "followup" and e["name"] == "action_listen" for e in events)
    found = slots_of(events)
    assert found["requested_slot"] is None and found.get("service") is None


@pytest.mark.db
async def test_an_ending_while_checking_who_it_is_closes_politely(salon: Catalog) -> None:
    events, said = await _run_form(ValidateManageForm(), "no thanks, that's all", "deny",
                                   "verify_contact", "manage_form")
    assert "goodbye" in said.lower()
    assert slots_of(events)["requested_slot"] is None


@pytest.mark.db
async def test_no_thanks_to_the_email_question_is_still_a_skip(salon: Catalog) -> None:
    events, said = await _run_form(ValidateBookingForm(), "no thanks", "deny", "email",
                                   "booking_form", service=MENS)
    assert "goodbye" not in said.lower()
    assert slots_of(events).get("email") == "skip"


async def _after(text: str, intent: str, bot_said: str,
                 action: GuardedAction | None = None) -> str:
    state = Tracker.from_dict({
        "sender_id": "web-end", "slots": {},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0},
                           "entities": []},
        "events": [{"event": "bot", "text": bot_said}], "paused": False,
        "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen",
    })
    dispatcher = CollectingDispatcher()
    await (action or ActionEndOrAsk()).run(dispatcher, state, {})
    return " ".join(m.get("text") or "" for m in dispatcher.messages)


async def test_no_thanks_after_a_booking_says_goodbye() -> None:
    booked = "You're booked: Men's cut. Is there anything else I can do for you?"
    for text in ("no thanks, that's all", "no", "nope"):
        reply = await _after(text, "deny", booked)
        assert "Goodbye" in reply and "?" not in reply


async def test_a_stray_no_with_nothing_asked_offers_help() -> None:
    assert (await _after("no", "deny", "Hello! What would you like to do?")).endswith("?")


async def test_an_ending_not_classified_at_all_still_says_goodbye() -> None:
    """"nothing thanks, that's all" was read as nlu_fallback: "Sorry, I didn't catch that"."""
    said = await _after("nothing thanks, that's all", "nlu_fallback", "Hello!",
                        ActionDefaultOrEnd())
    assert "Goodbye" in said
    not_ending = await _after("purple monkey dishwasher", "nlu_fallback", "Hello!",
                              ActionDefaultOrEnd())
    assert "Goodbye" not in not_ending
