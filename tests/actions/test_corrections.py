"""Corrections at any step are applied and said back, against real Postgres with the demo
salon; a "no" that corrects something gets the booking read again, not "what should I
change?"."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import ActionAskBookingConfirmed
from actions.corrections import name_given
from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from tests.actions.conftest import tracker
from tests.actions.test_booking import CUT, offers_for, validate

pytestmark = [pytest.mark.db]

NY = ZoneInfo("America/New_York")
MENS = str(demo_id("service/Men's cut"))
ANA = str(demo_id("staff/ana"))


async def booked_so_far() -> dict[str, Any]:
    """Everything asked, the booking about to be read back: a men's cut with anyone."""
    slots = {"service": MENS, "staff": "any", "when": "earliest"}
    offers = await offers_for(**slots)
    start = datetime.fromisoformat(offers[0]["start"]).astimezone(NY)
    return {**slots, "when": "the first", "when_start": start.isoformat(), "when_end": None,
            "suggestions": offers, "slot_choice": offers[0], "customer_name": "Jo Lee",
            "phone": "+17185550101", "email": "jo@example.com", "requested": "booking_confirmed"}


async def test_another_day_is_said_back_and_offered(salon: Catalog) -> None:
    state = await booked_so_far()
    start = datetime.fromisoformat(state["when_start"])
    friday = start + timedelta(days=(4 - start.weekday()) % 7 or 7)
    found, said = await validate("actually make it friday", **state)
    assert datetime.fromisoformat(found["when_start"]).date() == friday.date()
    assert found["slot_choice"] is None and found["requested_slot"] == "slot_choice"
    assert said.startswith(f"OK, Friday, {friday:%B} {friday.day}") and said.endswith(
        " instead."), said


async def test_another_service_or_person_is_said_back(salon: Catalog) -> None:
    state = await booked_so_far()
    found, said = await validate("sorry, I meant the women's cut", **state)
    assert found["service"] == CUT and said == "OK, women's cut instead."
    chosen = state["slot_choice"]["staff_id"]
    other = next(s for s in salon.staff if str(s.id) != chosen)
    found, said = await validate(f"wait, with {other.name} instead",
                                 **{**state, "suggestions": [state["slot_choice"]]})
    assert found["staff"] == str(other.id) and said == f"OK, with {other.name} instead."
    found, said = await validate(f"the first one with {other.name}", "inform",
                                 **{**state, "slot_choice": None, "requested": "slot_choice"})
    assert "instead" not in said  # a person named while choosing corrects nothing


@pytest.mark.parametrize(
    ("text", "slot", "value", "words"),
    [("no, my number is 718 555 0199", "phone", "+17185550199", "the number (718) 555-0199"),
     ("no, my name is Jo Smith", "customer_name", "Jo Smith", "the name Jo Smith"),
     ("no my email is jo.smith@example.com", "email", "jo.smith@example.com",
      "the e-mail jo.smith@example.com")],
)
async def test_a_no_that_corrects_details_is_applied_and_read_back(
    salon: Catalog, text: str, slot: str, value: str, words: str,
) -> None:
    state = await booked_so_far()
    found, said = await validate(text, "deny", **state)
    assert found[slot] == value and said == f"OK, {words} instead."
    dispatcher = CollectingDispatcher()
    slots = {k: v for k, v in state.items() if k != "requested"} | {slot: value}
    asked = tracker(text, "deny", slots, "booking_confirmed")
    asked.events = [{"event": "user", "text": text},
                    {"event": "slot", "name": slot, "value": value},
                    {"event": "slot", "name": "booking_confirmed", "value": None}]
    await ActionAskBookingConfirmed().run(dispatcher, asked, {})
    reply = dispatcher.messages[0]["text"]
    assert reply.startswith("To confirm: Men's cut"), reply


async def test_a_plain_no_still_asks_what_to_change(salon: Catalog) -> None:
    state = await booked_so_far()
    slots = {k: v for k, v in state.items() if k != "requested"}
    asked = tracker("no", "deny", slots, "booking_confirmed")
    asked.events = [{"event": "user", "text": "no"},
                    {"event": "slot", "name": "booking_confirmed", "value": None}]
    dispatcher = CollectingDispatcher()
    await ActionAskBookingConfirmed().run(dispatcher, asked, {})
    assert dispatcher.messages[0]["text"].startswith("No problem. What should I change")


def test_a_name_is_heard_in_a_correction_at_any_step() -> None:
    assert name_given("no, my name is Jo Smith") == "Jo Smith"
    assert name_given("put it under Sam Patel please") == "Sam Patel"
    assert name_given("the 3pm one") is None


async def test_a_time_taken_back_in_the_same_breath_is_the_later_one(salon: Catalog) -> None:
    found, _ = await validate("saturday at 10, no sorry, friday at 10", requested="when",
                              service=MENS, staff="any")
    start = datetime.fromisoformat(found["when_start"]).astimezone(NY)
    assert (start.weekday(), start.hour) == (4, 10)
