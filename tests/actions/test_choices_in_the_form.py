"""Choices and corrections in the booking form, against real Postgres with the demo salon:
the slot read back is the slot picked, a question is answered with offers, an ambiguous
service is asked about."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import parsing
from actions.booking_form import ActionAskBookingConfirmed, ActionAskService
from actions.offer_value import Offer
from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from tests.actions.conftest import tracker
from tests.actions.test_booking import CUT, offers_for, validate

pytestmark = [pytest.mark.db]

NY = ZoneInfo("America/New_York")
MENS = str(demo_id("service/Men's cut"))
ANA, PRIYA = str(demo_id("staff/ana")), str(demo_id("staff/priya"))


def local(offer: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(offer["start"]).astimezone(NY)


async def test_a_haircut_is_asked_about_then_the_answer_is_taken(salon: Catalog) -> None:
    found, _ = await validate("can I get a haircut with Ana next Tuesday afternoon?", "book")
    assert found["service"] is None and found["staff"] == ANA and found["when_start"]
    dispatcher = CollectingDispatcher()
    asked = tracker("can I get a haircut with Ana next Tuesday afternoon?", "book")
    await ActionAskService().run(dispatcher, asked, {})
    question = dispatcher.messages[0]
    assert question["text"] == "Women's cut or men's cut?"
    payloads = [button["payload"] for button in question["buttons"]]
    assert payloads == ["Women's cut", "Men's cut"]
    for answer in ("men's", payloads[1]):  # said, or the button's payload as the widget sends
        found, _ = await validate(answer, requested="service", staff=ANA)
        assert found["service"] == MENS


async def test_mens_is_never_read_as_womens(salon: Catalog) -> None:
    found, _ = await validate("a men's haircut tomorrow", "book")
    assert found["service"] == MENS
    found, _ = await validate("gents haircut please", requested="service")
    assert found["service"] == MENS


async def test_the_time_and_person_said_pick_that_offer(salon: Catalog) -> None:
    slots = {"service": CUT, "staff": ANA, "when": "earliest"}
    offers = await offers_for(**slots)
    assert len(offers) >= 2
    second = local(offers[1])
    said = f"{second:%-I:%M} with Ana"  # e.g. "2:15 with Ana", never Ana's first offer
    found, _ = await validate(said, requested="slot_choice", suggestions=offers, **slots)
    assert found["slot_choice"] == offers[1], said


async def test_a_question_about_someone_else_is_answered_with_their_offers(
    salon: Catalog,
) -> None:
    slots = {"service": CUT, "staff": "any", "when": "earliest"}
    offers = [*(await offers_for(**slots))[:2], (await offers_for(**{**slots, "staff": PRIYA}))[0]]
    found, _ = await validate("do you have anything with Priya?", requested="slot_choice",
                              suggestions=offers, **slots)
    assert found["staff"] == PRIYA and found["suggestions"] is None
    assert not found.get("slot_choice")
    assert all(o["staff_id"] == PRIYA for o in await offers_for(**{**slots, **found}))


async def test_another_offer_picked_at_the_confirmation_is_read_back(salon: Catalog) -> None:
    slots = {"service": CUT, "staff": "any", "when": "earliest", "customer_name": "Jo Lee",
             "phone": "+17185550101", "email": "skip"}
    first = (await offers_for(**slots))[0]
    later = local(first).replace(hour=11, minute=0) + timedelta(days=2)
    offers = [first, (await offers_for(**{**slots, "when": "in two days",
                                          "when_start": later.isoformat()}))[0]]
    assert local(offers[1]).date() != local(first).date()
    other = 1
    weekday = f"{local(offers[other]):%A}".lower()
    state = {**slots, "suggestions": offers, "slot_choice": offers[0],
             "requested": "booking_confirmed"}
    found, _ = await validate(f"the {weekday} one, hurry up", "nlu_fallback", **state)
    assert found == {"slot_choice": offers[other], "booking_confirmed": None}
    dispatcher = CollectingDispatcher()
    reread = tracker("the one", "nlu_fallback", {**slots, "slot_choice": offers[other]},
                     "booking_confirmed")
    await ActionAskBookingConfirmed().run(dispatcher, reread, {})
    assert f"{local(offers[other]):%A}" in dispatcher.messages[0]["text"]
    assert Offer.from_slot(found["slot_choice"]).start == Offer.from_slot(offers[other]).start


async def test_another_person_at_the_read_back_keeps_the_time(salon: Catalog) -> None:
    ten = datetime(2030, 1, 8, 10, tzinfo=NY)
    marcus_ten, priya_ten, priya_nine = (
        Offer(start, demo_id(f"staff/{who}")).to_slot()
        for start, who in ((ten, "marcus"), (ten, "priya"), (ten.replace(hour=9), "priya")))
    state = {"service": MENS, "staff": "any", "when": "tuesday at 10",
             "suggestions": [priya_nine, marcus_ten, priya_ten], "slot_choice": marcus_ten,
             "customer_name": "Jo Lee", "phone": "+17185550101", "email": "skip",
             "requested": "booking_confirmed"}
    found, _ = await validate("wait, can it be with Priya instead", **state)
    assert found == {"slot_choice": priya_ten, "booking_confirmed": None}


async def test_the_offer_read_back_named_again_is_no_new_search(salon: Catalog) -> None:
    coming = parsing.when_in("thursday", datetime.now(NY), NY)
    assert coming is not None
    thursday = coming.start.astimezone(NY).replace(hour=9, minute=0)
    chosen = Offer(thursday, demo_id("staff/ana")).to_slot()
    later = Offer(thursday.replace(hour=9, minute=30), demo_id("staff/ana")).to_slot()
    state = {"service": MENS, "staff": "any", "when": "tuesday or thursday morning",
             "suggestions": [chosen, later], "slot_choice": chosen, "customer_name": "Kim Rush",
             "phone": "+17185550961", "email": "skip", "requested": "booking_confirmed"}
    found, _ = await validate("the thursday one, hurry up", "nlu_fallback", **state)
    assert found == {"slot_choice": chosen, "booking_confirmed": None}  # read back again
    found, _ = await validate("yes, the 9 am one", "affirm", **state)
    assert found["booking_confirmed"] is True and "when_start" not in found
