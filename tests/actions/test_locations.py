"""Two branches in two zones: the chat asks which one only when it matters, searches and books
there, says where each offer is, and answers address and hours for the branch asked about
(or for each)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from actions.booking import ActionBook
from actions.booking_form import ActionAskLocation, ValidateBookingForm
from actions.info import ActionAnswerQuestion, answer
from actions.offers import ActionAskSlotChoice
from actions.runtime import runtime
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog, demo_id
from scheduling.desk.slots import SlotSearch, search_range
from tests import branches
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import CUT, DOMAIN

CATALOG = branches.two_branch_catalog()
HARBOUR, MAIN = str(branches.HARBOUR), str(branches.MAIN_STREET)
CHICAGO = ZoneInfo("America/Chicago")


def test_address_and_hours_name_each_branch_when_none_is_meant() -> None:
    address = answer("ask_address", CATALOG, None)
    assert address == ("Main Street is at 120 Main Street, Brooklyn, NY 11201. "
                       "Harbour is at 8 Pier Road, Chicago, IL 60611.")
    hours = answer("ask_hours", CATALOG, None)
    assert hours.startswith("Main Street opening hours: Monday 10 AM to 6 PM")
    assert "Harbour opening hours: Monday 8 AM to 5 PM" in hours


def test_address_and_hours_of_the_branch_asked_about() -> None:
    harbour = CATALOG.location(branches.HARBOUR)
    assert answer("ask_address", CATALOG, None, location=harbour) == (
        "Harbour is at 8 Pier Road, Chicago, IL 60611.")
    hours = answer("ask_hours", CATALOG, None, location=harbour)
    assert hours.startswith("Harbour opening hours:") and "Main Street" not in hours


def test_one_location_answers_as_before() -> None:
    assert answer("ask_address", demo_catalog(), None) == (
        "We're at 120 Main Street, Brooklyn, NY 11201.")


@pytest.fixture
async def two_branches(
    database_url: str, session_factory: async_sessionmaker[AsyncSession], clean_tables: None
) -> AsyncIterator[Catalog]:
    catalog = await branches.seed(session_factory)
    runtime.configure(database_url)
    yield catalog
    await runtime.dispose()


async def validate(text: str, intent: str = "inform", **slots: Any) -> tuple[dict[str, Any], str]:
    dispatcher = CollectingDispatcher()
    requested = slots.pop("requested", None)
    state = tracker(text, intent, slots, requested, loop="booking_form")
    events = await ValidateBookingForm().run(dispatcher, state, DOMAIN)
    return slots_of(events), " ".join(m.get("text") or "" for m in dispatcher.messages)


async def said_by(action: Any, text: str = "", intent: str = "inform",
                  sender: str = "web-test", **slots: Any) -> tuple[dict[str, Any], str]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker(text, intent, slots, sender=sender), DOMAIN)
    return slots_of(events), " ".join(m.get("text") or "" for m in dispatcher.messages)


@pytest.mark.db
async def test_which_branch_is_asked_when_both_do_the_service(two_branches: Catalog) -> None:
    found, _ = await validate("a women's cut next tuesday", "book")
    assert found["service"] == CUT and found["requested_slot"] == "location"
    dispatcher = CollectingDispatcher()
    await ActionAskLocation().run(dispatcher, tracker(slots={"service": CUT}), DOMAIN)
    [question] = dispatcher.messages
    assert question["text"].startswith("Which location would you like: Main Street or Harbour?")
    assert "8 Pier Road" in question["text"]
    assert [b["payload"] for b in question["buttons"]] == ["Main Street", "Harbour"]
    found, _ = await validate("Harbour", "nlu_fallback", service=CUT, staff="any",
                              requested="location")
    assert found["location"] == HARBOUR


@pytest.mark.db
async def test_a_branch_said_with_the_service_is_not_asked_again(two_branches: Catalog) -> None:
    found, _ = await validate("a women's cut at the Harbour one next tuesday", "book")
    assert found["location"] == HARBOUR and found["requested_slot"] == "slot_choice"


@pytest.mark.db
async def test_no_question_when_only_one_branch_can_serve(two_branches: Catalog) -> None:
    found, _ = await validate("a hot towel shave tomorrow", "book")
    assert found["service"] == str(branches.SHAVE) and found["requested_slot"] == "slot_choice"
    found, _ = await validate("a women's cut with Ana tomorrow", "book")
    assert found["requested_slot"] == "slot_choice"


@pytest.mark.db
async def test_the_answer_to_which_branch(two_branches: Catalog) -> None:
    asked = {"service": CUT, "staff": "any", "requested": "location"}
    found, _ = await validate("main street please", **asked)
    assert found["location"] == MAIN
    found, _ = await validate("either is fine", **asked)
    assert found["location"] == "any" and found["requested_slot"] == "when"
    found, said = await validate("the moon", **asked)
    assert found["location"] is None and said == (
        "Sorry, which location would you like: Main Street or Harbour?")


@pytest.mark.db
async def test_a_service_only_one_branch_can_do_is_searched_there(two_branches: Catalog
                                                                  ) -> None:
    colour = str(demo_id("service/Colour"))  # listed everywhere; no colourist at Harbour
    found, _ = await validate("colour at harbour", "book")
    assert found["service"] == colour and found["requested_slot"] == "when"
    events, _ = await said_by(ActionAskSlotChoice(), service=colour, staff="any",
                              location=HARBOUR, when="earliest")
    assert {o["location_id"] for o in events["suggestions"]} == {MAIN}


@pytest.mark.db
async def test_offers_at_a_branch_are_there_on_its_clock_and_say_so(
    two_branches: Catalog, engine: AsyncEngine
) -> None:
    slots = {"service": CUT, "staff": "any", "location": HARBOUR, "when": "earliest"}
    events, said = await said_by(ActionAskSlotChoice(), sender="sms:+17185550100", **slots)
    offers = events["suggestions"]
    assert offers and {o["location_id"] for o in offers} == {HARBOUR}
    assert {o["staff_id"] for o in offers} == {str(branches.DANA)}
    first = datetime.fromisoformat(offers[0]["start"]).astimezone(CHICAGO)
    assert "with Dana at Harbour" in said and "(C" not in said  # no zone note on its own clock
    assert 8 <= first.hour < 17 and f"{first:%-I}" in said
    done = {**slots, "slot_choice": offers[0], "customer_name": "Jo Lee",
            "phone": "+17185550100", "email": "jo@example.com", "booking_confirmed": True}
    _, booked = await said_by(ActionBook(), "yes", "affirm", **done)
    assert "with Dana at Harbour" in booked
    async with engine.connect() as connection:
        where = await connection.scalar(text("SELECT location_id FROM appointments"))
    assert str(where) == HARBOUR


@pytest.mark.db
async def test_the_address_question_reads_the_branch_from_the_message(
    two_branches: Catalog,
) -> None:
    _, said = await said_by(ActionAnswerQuestion(), "where is your harbour branch?",
                            "ask_address")
    assert said == "Harbour is at 8 Pier Road, Chicago, IL 60611."
    _, said = await said_by(ActionAnswerQuestion(), "when are you open?", "ask_hours",
                            service=str(branches.SHAVE))
    assert said.startswith("Harbour opening hours:")


@pytest.mark.db
async def test_a_time_said_for_a_branch_is_read_on_its_clock(two_branches: Catalog) -> None:
    found, _ = await validate("a women's cut at harbour tomorrow at 3pm", "book")
    start = datetime.fromisoformat(found["when_start"])
    assert found["location"] == HARBOUR and start.utcoffset() == start.astimezone(
        CHICAGO).utcoffset() and start.astimezone(CHICAGO).hour == 15


def test_a_late_evening_at_a_branch_is_searched_from_that_branchs_day() -> None:
    evening = datetime(2030, 1, 8, 23, 30, tzinfo=CHICAGO)  # already the 9th in New York
    search = SlotSearch(CATALOG.business.id, CATALOG.services[0].id, preferred_start=evening,
                        location_id=branches.HARBOUR)
    start, _ = search_range(CATALOG, search, evening - timedelta(days=2))
    assert start == datetime(2030, 1, 8, tzinfo=CHICAGO)


@pytest.mark.db
async def test_offers_at_either_branch_each_read_their_branchs_clock(
    two_branches: Catalog,
) -> None:
    start = "2030-01-08T15:00:00+00:00"  # 10 AM in New York, 9 AM in Chicago
    offers = [{"start": start, "staff_id": str(demo_id("staff/marcus")), "reason": "",
               "location_id": MAIN},
              {"start": start, "staff_id": str(branches.DANA), "reason": "",
               "location_id": HARBOUR}]
    slots = {"service": str(demo_id("service/Men's cut")), "staff": "any", "location": "any",
             "when": "earliest", "suggestions": offers}
    _, said = await said_by(ActionAskSlotChoice(), sender="sms:+17185550100", **slots)
    assert "1. Tuesday, January 8 at 10 AM with Marcus at Main Street\n" in said
    assert "2. Tuesday, January 8 at 9 AM with Dana at Harbour\n" in said
    picked, _ = await validate("the 9 am one", requested="slot_choice", **slots)
    assert picked["slot_choice"] == offers[1]
