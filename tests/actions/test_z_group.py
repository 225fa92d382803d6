"""A party for a one-person service (issue 18, kind 8), against real Postgres with the demo
salon: "two men's cuts for me and my son" is said at once to be one appointment each, read
back as two back to back with the same person, and one "yes" books both, the second for the
son (its participant)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.booking import ActionBook
from actions.booking_form import ActionAskBookingConfirmed
from scheduling.catalog import Catalog
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import DOMAIN, offers_for, validate
from tests.actions.test_two_services import MENS

pytestmark = [pytest.mark.db]
SMS = "sms:+17185550677"


async def test_two_mens_cuts_for_me_and_my_son_are_booked_back_to_back(
    salon: Catalog, engine: AsyncEngine
) -> None:
    found, said = await validate("two men's cuts for me and my son next tuesday after 3",
                                 "book", sender=SMS)
    assert said.startswith("That's one appointment each, so I'll book yours and your son's "
                           "together: at the same time when you name one")
    assert found["service"] == MENS and found["party"] == {"count": 2, "with": "son"}
    slots: dict[str, Any] = {k: found[k] for k in ("service", "staff", "when", "when_start",
                                                   "when_end", "party")}
    offers = await offers_for(**slots)
    slots |= {"suggestions": offers, "slot_choice": offers[0], "customer_name": "Jo Lee",
              "phone": "+17185550677", "email": "skip"}
    dispatcher = CollectingDispatcher()
    events = await ActionAskBookingConfirmed().run(
        dispatcher, tracker("", slots=slots, requested="booking_confirmed", sender=SMS), DOMAIN)
    read_back = dispatcher.messages[0]["text"]
    assert ", then Men's cut for your son with " in read_back and "Shall I book them?" in read_back
    planned = slots_of(events)["also_book"]
    assert [item["for"] for item in planned] == ["Jo Lee's son"]
    again = CollectingDispatcher()  # a second read-back plans the son once, not twice
    await ActionAskBookingConfirmed().run(again, tracker("", slots={**slots, "also_book": planned},
                                                         requested="booking_confirmed",
                                                         sender=SMS), DOMAIN)
    assert again.messages[0]["text"].count("for your son") == 1
    dispatcher = CollectingDispatcher()
    await ActionBook().run(dispatcher, tracker("yes", "affirm", {
        **slots, "also_book": planned, "booking_confirmed": True}, sender=SMS), DOMAIN)
    reply = dispatcher.messages[0]["text"]
    assert reply.startswith("You're booked: Men's cut") and "Also booked for your son:" in reply
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT a.starts_at, a.ends_at, a.staff_id, a.customer_id, a.seats, a.participants "
            "FROM appointments a ORDER BY a.starts_at"))).all()
    assert len(rows) == 2 and rows[0].ends_at <= rows[1].starts_at
    assert rows[0].staff_id == rows[1].staff_id and rows[0].customer_id == rows[1].customer_id
    assert [r.seats for r in rows] == [1, 1]
    assert [p["name"] for p in rows[1].participants] == ["Jo Lee's son"]


async def test_me_and_my_husband_at_2_are_served_side_by_side(
    salon: Catalog, engine: AsyncEngine
) -> None:
    found, _ = await validate("men's cuts for me and my husband next friday at 2pm", "book",
                              sender=SMS)
    slots: dict[str, Any] = {k: found[k] for k in ("service", "staff", "when", "when_start",
                                                   "when_end", "party")}
    offers = await offers_for(**slots)
    asked = datetime.fromisoformat(found["when_start"])
    two = next(o for o in offers if datetime.fromisoformat(o["start"]) == asked)
    slots |= {"suggestions": offers, "slot_choice": two, "customer_name": "Jo Lee",
              "phone": "+17185550677", "email": "skip"}
    dispatcher = CollectingDispatcher()
    events = await ActionAskBookingConfirmed().run(
        dispatcher, tracker("", slots=slots, requested="booking_confirmed", sender=SMS), DOMAIN)
    read_back = dispatcher.messages[0]["text"]
    assert ", and Men's cut for your husband with " in read_back and "at the same time" in \
        read_back and "Shall I book them?" in read_back
    planned = slots_of(events)["also_book"]
    assert datetime.fromisoformat(planned[0]["start"]) == asked
    assert planned[0]["staff_id"] != two["staff_id"]
