"""Two things at once (issue 18, kind 6), against real Postgres with the demo salon: "a men's
cut and a beard trim" is read back as one booking, back to back with the same person, and one
"yes" books both; a question inside a request is answered as the booking goes on."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.booking import ActionBook
from actions.booking_form import ActionAskBookingConfirmed
from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import DOMAIN, offers_for, validate

pytestmark = [pytest.mark.db]

NY = ZoneInfo("America/New_York")
MENS, BEARD = str(demo_id("service/Men's cut")), str(demo_id("service/Beard trim"))
MARCUS = str(demo_id("staff/marcus"))


def next_tuesday_at_ten() -> datetime:
    today = datetime.now(NY).date()
    tuesday = today + timedelta(days=(1 - today.weekday()) % 7 + 7)
    return datetime(tuesday.year, tuesday.month, tuesday.day, 10, tzinfo=NY)


async def marcus_at_ten() -> dict[str, Any]:
    ten = next_tuesday_at_ten()
    offers = await offers_for(service=MENS, staff=MARCUS, when="tuesday at 10",
                              when_start=ten.isoformat())
    offer = next(o for o in offers if datetime.fromisoformat(o["start"]) == ten)
    return {"service": MENS, "staff": MARCUS, "slot_choice": offer, "customer_name": "Jo Lee",
            "phone": "+17185550123", "email": "jo@example.com"}


async def test_both_services_are_heard_and_what_happens_is_said(salon: Catalog) -> None:
    found, said = await validate("a men's cut and a beard trim next tuesday", "book")
    assert found["service"] == MENS and found["also_book"] == [BEARD]
    assert "I'll book the men's cut first, then the beard trim straight after it" in said


async def test_one_read_back_lists_both_and_one_yes_books_both(
    salon: Catalog, engine: AsyncEngine,
) -> None:
    slots = {**await marcus_at_ten(), "also_book": [BEARD]}
    dispatcher = CollectingDispatcher()
    events = await ActionAskBookingConfirmed().run(
        dispatcher, tracker("", slots=slots, requested="booking_confirmed"), DOMAIN)
    said = dispatcher.messages[0]["text"]
    assert "Men's cut with Marcus" in said and ", then Beard trim with Marcus at 10:30 AM" in said
    assert "Shall I book them?" in said
    planned = slots_of(events)["also_book"]
    dispatcher = CollectingDispatcher()
    done = {**slots, "also_book": planned, "booking_confirmed": True}
    events = await ActionBook().run(dispatcher, tracker("yes", "affirm", done), DOMAIN)
    reply = dispatcher.messages[0]["text"]
    assert reply.startswith("You're booked: Men's cut") and "Also booked: Beard trim" in reply
    assert slots_of(events)["also_book"] is None
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT s.name, a.starts_at, a.ends_at, a.staff_id, a.customer_id FROM appointments a"
            " JOIN services s ON s.id = a.service_id ORDER BY a.starts_at"))).all()
    assert [row[0] for row in rows] == ["Men's cut", "Beard trim"]
    assert rows[0][2] == rows[1][1]  # back to back
    assert {str(row[3]) for row in rows} == {MARCUS} and rows[0][4] == rows[1][4]


async def test_a_question_inside_a_request_is_answered_as_it_goes_on(salon: Catalog) -> None:
    found, said = await validate("can I book a women's cut friday, how much is it?", "book")
    assert found["service"] == str(demo_id("service/Women's cut")) and found["when_start"]
    assert "Women's cut: 45 minutes, $65." in said


async def test_the_cut_is_asked_about_and_the_trim_kept_for_after_it(salon: Catalog) -> None:
    found, said = await validate("a haircut and a beard trim next tuesday", "book")
    assert found["service"] is None and found["also_book"] == [BEARD]
    assert "I'll book your cut first, then the beard trim straight after it" in said
    found, _ = await validate("men's", requested="service", also_book=[BEARD])
    assert found["service"] == MENS and "also_book" not in found


async def test_where_are_you_inside_a_request_is_answered_too(salon: Catalog) -> None:
    found, said = await validate("a men's cut monday at 2pm, and where are you?", "book")
    assert found["service"] == MENS and found["when_start"]
    assert "We're at 120 Main Street" in said


async def test_the_first_is_offered_with_people_who_can_do_both(salon: Catalog) -> None:
    slots = {"service": MENS, "staff": "any", "when": "earliest"}
    alone = {o["staff_id"] for o in await offers_for(**slots)}
    both = {o["staff_id"] for o in await offers_for(**slots, also_book=[BEARD])}
    assert str(demo_id("staff/ana")) in alone  # Ana cuts, but does no beards
    assert both and both <= {MARCUS, str(demo_id("staff/priya"))}
