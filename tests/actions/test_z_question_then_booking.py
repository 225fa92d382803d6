"""A booking asked for inside a question (issue 18, kind 6), against Postgres with the demo
salon: the question is answered, then the booking starts from the same message with its
service, day and time; a question alone ("can I get a price") starts nothing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.info import ActionAnswerQuestion
from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from tests.actions.conftest import tracker
from tests.actions.test_booking import DOMAIN, validate

pytestmark = [pytest.mark.db]


@pytest.mark.parametrize(("text", "intent", "books"), [
    ("what time do you open on saturday? I'd like a women's cut first thing", "ask_hours", True),
    ("how long does a colour take? id like one on thurs at 10", "ask_duration", True),
    ("can I get a price for a colour", "ask_price", False),
    ("I'd like to know how long a colour takes", "ask_duration", False),
])
async def test_the_answer_is_followed_by_the_booking_asked_for(
    salon: Catalog, text: str, intent: str, books: bool
) -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionAnswerQuestion().run(dispatcher, tracker(text, intent), DOMAIN)
    assert dispatcher.messages  # the question is answered first
    followed = [e.get("name") for e in events if e.get("event") == "followup"]
    assert followed == (["booking_form"] if books else [])


async def test_the_booking_reads_the_question_s_message(salon: Catalog) -> None:
    found, said = await validate("how long does a colour take? I'd like one on thursday at 10",
                                 "ask_duration")
    assert found["service"] == str(demo_id("service/Colour"))
    start = datetime.fromisoformat(found["when_start"]).astimezone(ZoneInfo("America/New_York"))
    assert (start.strftime("%A"), start.hour) == ("Thursday", 10)
    assert "Colour: 1 hour 30 minutes" not in said  # answered once, by the question's rule
