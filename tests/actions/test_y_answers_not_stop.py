"""During a form, an answer heard as "stop" or small talk is an answer; only asking to stop stops.

Issue 18, kind 1: "let's try the 5th" or "can you change that to the 12th", said to "What day
and time would suit you?", was classified `stop`; the form extracted nothing, rejected, and the
rule "stop a booking" answered "No problem, I've stopped there and nothing was booked".
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import asks_to_stop, heard_as
from actions.booking_form import ValidateBookingForm
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog, demo_id
from tests.actions.conftest import slots_of, tracker
from tests.branches import two_branch_catalog

ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZONE)
CUT = str(demo_id("service/Women's cut"))
DOMAIN: dict[str, Any] = {"forms": {"booking_form": {"required_slots": [
    "service", "when", "slot_choice", "customer_name", "phone", "email", "booking_confirmed",
]}}, "slots": {}}


@pytest.mark.parametrize(("intent", "text"), [
    ("stop", "let's try the 5th"),
    ("stop", "can you change that to the 12th"),
    ("stop", "thursday is better"),
    ("goodbye", "what about 4pm"),
    ("chitchat", "men's cut"),
    ("out_of_scope", "is the 17th free"),
    ("thank", "friday at 2 thanks"),
    ("list_appointments", "what have you got on friday"),
    ("claim_offer", "i'll take wednesday at 10"),
])
def test_a_message_naming_a_value_is_an_answer(intent: str, text: str) -> None:
    assert heard_as(intent, text, demo_catalog(), NOW, ZONE) == "inform"


@pytest.mark.parametrize(("intent", "text"), [
    ("stop", "stop"),
    ("stop", "cancel that, thursday is no good"),
    ("stop", "forget it, I'll call on monday"),
    ("stop", "never mind about friday"),
    ("goodbye", "bye, see you tuesday"),
    ("stop", "don't bother with the 5th"),
    ("list_appointments", "what are my appointments on friday"),
    ("ask_price", "how much is a men's cut"),  # a question to answer, not a choice
    ("human_handoff", "can I talk to a person on friday"),
    ("chitchat", "how are you"),
])
def test_asking_to_stop_or_a_question_keeps_its_intent(intent: str, text: str) -> None:
    assert heard_as(intent, text, demo_catalog(), NOW, ZONE) == intent


def test_the_stop_words() -> None:
    assert all(asks_to_stop(t) for t in ("Stop!", "cancel that", "forget it", "never mind",
                                         "nevermind", "I've changed my mind", "that's all"))
    assert not any(asks_to_stop(t) for t in ("let's try the 5th", "change that to the 12th",
                                             "what about 4", "men's cut"))


async def form_slots(text: str, intent: str) -> dict[str, Any]:
    """The slots the booking form sets for `text` heard as `intent`, asked for a day."""
    state = tracker(text, intent, {"service": CUT, "staff": "any"}, "when", loop="booking_form")
    return slots_of(await ValidateBookingForm().run(CollectingDispatcher(), state, DOMAIN))


@pytest.mark.db
async def test_the_form_reads_a_date_heard_as_stop(salon: Catalog) -> None:
    """The form fills `when` (so it does not reject and the stop rule never fires)."""
    found = await form_slots("let's try the 15th", "stop")
    assert found.get("when") == "let's try the 15th"
    assert datetime.fromisoformat(found["when_start"]).astimezone(ZONE).day == 15


@pytest.mark.db
async def test_stop_still_stops_the_form(salon: Catalog) -> None:
    found = await form_slots("stop, forget the 15th", "stop")
    assert "when" not in found and "when_start" not in found


@pytest.mark.parametrize("intent", ["out_of_scope", "chitchat"])
def test_a_branch_named_to_which_location_is_an_answer(intent: str) -> None:
    """"Harbour" answering "Which location would you like?" was heard as out of scope, and
    the question was asked again (found by tests/e2e/test_own_business_chat.py)."""
    two = two_branch_catalog()
    assert heard_as(intent, "Harbour", two, NOW, ZONE) == "inform"
    assert heard_as(intent, "Harbour", demo_catalog(), NOW, ZONE) == intent  # one branch
