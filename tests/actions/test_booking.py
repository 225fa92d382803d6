"""The booking form and the book action against real Postgres with the demo salon."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.booking import ActionBook
from actions.booking_form import ActionAskBookingConfirmed, ValidateBookingForm
from actions.info import ActionAnswerQuestion
from actions.offers import ActionAskSlotChoice
from actions.runtime import runtime
from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from tests.actions.conftest import slots_of, tracker

pytestmark = [pytest.mark.db]

DOMAIN: dict[str, Any] = {"forms": {"booking_form": {"required_slots": [
    "service", "when", "slot_choice", "customer_name", "phone", "email", "booking_confirmed",
]}}, "slots": {}}
CUT = str(demo_id("service/Women's cut"))


async def validate(
    text: str, intent: str = "inform", sender: str = "web-test", **slots: Any
) -> tuple[dict[str, Any], str]:
    dispatcher = CollectingDispatcher()
    requested = slots.pop("requested", None)
    state = tracker(text, intent, slots, requested, sender=sender, loop="booking_form")
    events = await ValidateBookingForm().run(dispatcher, state, DOMAIN)
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    return slots_of(events), said


async def test_one_sentence_fills_service_staff_and_time(salon: Catalog) -> None:
    found, _ = await validate("can I get a women's cut with Ana next Tuesday afternoon?", "book")
    assert found["service"] == CUT
    assert found["staff"] == str(demo_id("staff/ana"))
    assert found["when_start"] and found["when_end"]
    assert found["requested_slot"] == "slot_choice"


async def test_a_day_alone_is_searched_across_that_day(salon: Catalog) -> None:
    found, _ = await validate("a women's cut on friday week", "book")
    start, end = (datetime.fromisoformat(found[k]) for k in ("when_start", "when_end"))
    assert end - start == timedelta(days=1)
    offers = await offers_for(service=CUT, staff="any", **{
        k: found[k] for k in ("when", "when_start", "when_end")})
    assert all(start <= datetime.fromisoformat(o["start"]) < end for o in offers)
    assert all(o["reason"] == "when you asked" for o in offers)


async def test_a_request_for_two_people_says_they_are_booked_one_by_one(
    salon: Catalog,
) -> None:
    found, said = await validate("a women's cut for me and my daughter next tuesday", "book")
    assert found["service"] == CUT
    assert said.startswith("That's one appointment each, so I'll book yours and your "
                           "daughter's together")


async def test_unknown_service_is_said_and_asked_again(salon: Catalog) -> None:
    found, said = await validate("a pedicure", requested="service")
    assert found["service"] is None and "couldn't match" in said


async def test_a_question_fills_nothing_so_the_form_rejects(salon: Catalog) -> None:
    found, said = await validate("how much is a haircut", "ask_price", requested="when",
                                 service=CUT, staff="any")
    assert {k: v for k, v in found.items() if k != "requested_slot"} == {} and said == ""


async def test_a_correction_clears_the_pick_and_keeps_the_day(salon: Catalog) -> None:
    before = {"service": CUT, "staff": "any", "when": "tuesday at 3",
              "when_start": "2030-01-08T15:00:00-05:00", "slot_choice": {"start": "x"},
              "booking_confirmed": None, "requested": "booking_confirmed"}
    found, _ = await validate("no, I said 11 am", "deny", **before)
    assert found["when_start"] == "2030-01-08T11:00:00-05:00"
    assert found["slot_choice"] is None and found["requested_slot"] == "slot_choice"


async def test_staff_wishes_the_catalog_cannot_answer_are_explained(salon: Catalog) -> None:
    found, said = await validate("a woman please", service=CUT, requested="when")
    assert found["staff"] == "any" and "Ana, Marcus, Priya" in said
    found, _ = await validate("someone who speaks Spanish", service=CUT, requested="when")
    assert found["language"] == "es"


async def test_offers_come_from_the_engine_with_reasons(salon: Catalog) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"service": CUT, "staff": "any", "when": "earliest"}
    events = await ActionAskSlotChoice().run(dispatcher, tracker("", slots=slots), DOMAIN)
    offers = slots_of(events)["suggestions"]
    assert 3 <= len(offers) <= 4
    buttons = dispatcher.messages[0]["buttons"]  # on the web, the widget's buttons
    assert [b["payload"] for b in buttons] == ["the first", "the second", "the third",
                                               "the fourth"][:len(offers)]
    assert "earliest" in buttons[0]["title"]
    pick, _ = await validate("the second", requested="slot_choice", suggestions=offers, **slots)
    assert pick["slot_choice"] == offers[1]


async def test_by_sms_the_offers_are_a_numbered_list(salon: Catalog) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"service": CUT, "staff": "any", "when": "earliest"}
    await ActionAskSlotChoice().run(dispatcher, tracker("", slots=slots,
                                                        sender="sms:+17185550100"), DOMAIN)
    said = dispatcher.messages[0]
    assert not said["buttons"] and "\n1. " in said["text"] and "\n3. " in said["text"]


async def test_a_closed_day_is_said_before_the_nearest_offers(salon: Catalog) -> None:
    zone = ZoneInfo("America/New_York")
    today = datetime.now(zone).date()
    sunday = today + timedelta(days=(6 - today.weekday()) % 7 + 7)  # the salon's closed day
    asked = datetime.combine(sunday, time(16), zone)
    dispatcher = CollectingDispatcher()
    slots = {"service": CUT, "staff": "any", "when": "sunday at 4pm",
             "when_start": asked.isoformat()}
    events = await ActionAskSlotChoice().run(dispatcher, tracker("", slots=slots), DOMAIN)
    said = dispatcher.messages[0]["text"]
    assert said.startswith("We're closed on Sundays. The nearest I have:"), said
    offers = slots_of(events)["suggestions"]
    assert {datetime.fromisoformat(o["start"]).astimezone(zone).hour for o in offers} == {16}


async def offers_for(**slots: Any) -> list[dict[str, Any]]:
    events = await ActionAskSlotChoice().run(CollectingDispatcher(), tracker("", slots=slots),
                                             DOMAIN)
    found: list[dict[str, Any]] = slots_of(events)["suggestions"]
    return found


async def test_asking_for_someone_else_drops_the_offers_made(salon: Catalog) -> None:
    ana, priya = str(demo_id("staff/ana")), str(demo_id("staff/priya"))
    slots = {"service": CUT, "staff": ana, "when": "earliest"}
    offers = await offers_for(**slots)
    assert {o["staff_id"] for o in offers} == {ana}
    found, _ = await validate("with priya instead", requested="slot_choice",
                              suggestions=offers, **slots)
    assert found["staff"] == priya and found["suggestions"] is None
    assert await offers_for(**{**slots, "staff": priya}) and all(
        o["staff_id"] == priya for o in await offers_for(**{**slots, "staff": priya}))


async def test_a_pick_that_names_the_person_keeps_the_pick(salon: Catalog) -> None:
    slots = {"service": CUT, "staff": "any", "when": "earliest"}
    offers = await offers_for(**slots)
    name = {str(s.id): s.name for s in salon.staff}[offers[0]["staff_id"]]
    found, _ = await validate(f"the first one with {name}", requested="slot_choice",
                              suggestions=offers, **slots)
    assert found["slot_choice"] == offers[0]


async def test_picking_the_second_offer_is_not_the_second_of_the_month(salon: Catalog) -> None:
    slots = {"service": CUT, "staff": "any", "when": "earliest"}
    offers = await offers_for(**slots)
    found, _ = await validate("ok the second", requested="slot_choice", suggestions=offers,
                              **slots)
    assert found["slot_choice"] == offers[1]
    assert "when" not in found and "when_start" not in found


async def test_yes_to_a_list_asks_which_and_yes_to_one_offer_takes_it(salon: Catalog) -> None:
    slots = {"service": CUT, "staff": "any", "when": "earliest"}
    offers = await offers_for(**slots)
    found, said = await validate("yes", "affirm", requested="slot_choice", suggestions=offers,
                                 **slots)
    assert found["slot_choice"] is None
    assert said == f"Which one? Say its number, 1 to {len(offers)}, or its time."
    found, _ = await validate("yes please", "affirm", requested="slot_choice",
                              suggestions=offers[:1], **slots)
    assert found["slot_choice"] == offers[0]


async def test_something_later_searches_after_the_last_offer(salon: Catalog) -> None:
    slots = {"service": CUT, "staff": "any", "when": "earliest"}
    offers = await offers_for(**slots)
    found, _ = await validate("something later", requested="slot_choice",
                              suggestions=offers, **slots)
    assert found["when"] == "later" and found["suggestions"] is None
    later = await offers_for(**{**slots, **found})
    last = max(datetime.fromisoformat(o["start"]) for o in offers)
    assert later and all(datetime.fromisoformat(o["start"]) > last for o in later)


async def test_contact_details_are_validated(salon: Catalog) -> None:
    found, said = await validate("12", requested="phone", service=CUT)
    assert found["phone"] is None and "phone number" in said
    found, _ = await validate("(718) 555-0101", requested="phone", service=CUT)
    assert found["phone"] == "+17185550101"
    found, _ = await validate("skip", "deny", requested="email", service=CUT)
    assert found["email"] == "skip"
    found, _ = await validate("jo lee", "nlu_fallback", requested="customer_name", service=CUT)
    assert found["customer_name"] == "Jo Lee"


async def test_a_name_heard_as_a_question_is_still_the_name(salon: Catalog) -> None:
    """Chatting with the running product: "Jo Quick" was heard as "how quick is it?", answered
    with the trim's duration, and the name asked again; then "skip" became the name."""
    found, said = await validate("Jo Quick", "ask_duration", requested="customer_name",
                                 service=CUT)
    assert found["customer_name"] == "Jo Quick" and said == ""
    dispatcher = CollectingDispatcher()
    state = tracker("Jo Quick", "ask_duration", {"service": CUT}, "customer_name",
                    loop="booking_form")
    assert await ActionAnswerQuestion().run(dispatcher, state, DOMAIN) == []
    assert dispatcher.messages == []
    found, said = await validate("how quick is it?", "ask_duration", requested="customer_name",
                                 service=CUT)
    assert "customer_name" not in found
    found, said = await validate("skip", "deny", requested="customer_name", service=CUT)
    assert found["customer_name"] is None and "your name" in said


async def test_a_known_caller_is_not_asked_for_details(salon: Catalog) -> None:
    await book_once("+17185550155")
    found, _ = await validate("book a beard trim", "book", sender="sms:+17185550155")
    assert found["customer_name"] == "Jo Lee" and found["customer_id"]


async def book_once(
    phone: str, taken: tuple[datetime, str] | None = None, when: str = "earliest"
) -> tuple[dict[str, Any], str]:
    """Book the first offer for `when` ("earliest" or words) as a new conversation."""
    dispatcher = CollectingDispatcher()
    slots: dict[str, Any] = {"service": CUT, "staff": "any", "when": "earliest"}
    if when != "earliest":
        slots |= (await validate(when, service=CUT, staff="any", requested="when"))[0]
    events = await ActionAskSlotChoice().run(dispatcher, tracker("", slots=slots), DOMAIN)
    offer = slots_of(events)["suggestions"][0]
    if taken is not None:
        offer = {**offer, "start": taken[0].isoformat(), "staff_id": taken[1]}
    done = {**slots, "slot_choice": offer, "customer_name": "Jo Lee", "phone": phone,
            "email": f"jo{phone[-4:]}@example.com",
            "booking_confirmed": True}
    dispatcher = CollectingDispatcher()
    state = tracker("yes", "affirm", done, sender=f"web-{phone}")
    events = await ActionBook().run(dispatcher, state, DOMAIN)
    return slots_of(events), dispatcher.messages[0]["text"]


async def test_booking_reads_back_then_books_with_a_reference(
    salon: Catalog, engine: AsyncEngine
) -> None:
    dispatcher = CollectingDispatcher()
    slots = {"service": CUT, "customer_name": "Jo Lee",
             "slot_choice": {"start": "2030-01-08T15:00:00-05:00",
                             "staff_id": str(demo_id("staff/ana"))}}
    await ActionAskBookingConfirmed().run(dispatcher, tracker("", slots=slots), DOMAIN)
    assert "Women's cut with Ana" in dispatcher.messages[0]["text"] and "$65" in \
        dispatcher.messages[0]["text"]
    found, said = await book_once("+17185550100")
    assert found["booking_reference"] in said and "You're booked" in said
    async with engine.connect() as connection:
        status = await connection.scalar(text("SELECT status FROM appointments"))
    assert status == "confirmed"


async def test_a_lost_race_offers_the_alternatives(salon: Catalog) -> None:
    await book_once("+17185550100")
    found, said = await book_once("+17185550111", taken=await taken_slot())
    assert "just taken" in said
    assert found["slot_choice"] is None and found["suggestions"]


async def taken_slot() -> tuple[datetime, str]:
    async with runtime.uow() as uow:
        rows = await uow.session.execute(text("SELECT starts_at, staff_id FROM appointments"))
        start, staff = next(iter(rows))
    return start, str(staff)


async def test_the_waitlist_is_joined_when_chosen(salon: Catalog, engine: AsyncEngine) -> None:
    slots = {"service": CUT, "staff": "any", "when": "tuesday",
             "when_start": "2030-01-08T00:00:00-05:00", "slot_choice": "waitlist",
             "customer_name": "Jo Lee", "phone": "+17185550122", "email": "skip",
             "booking_confirmed": True}
    dispatcher = CollectingDispatcher()
    await ActionBook().run(dispatcher, tracker("yes", "affirm", slots), DOMAIN)
    assert "waitlist" in dispatcher.messages[0]["text"]
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT count(*) FROM waitlist_entries")) == 1


async def test_later_without_offers_is_not_taken_as_a_choice(salon: Catalog) -> None:
    found, _ = await validate("something later", requested="slot_choice", service=CUT,
                              staff="any", when="earliest")
    assert found["slot_choice"] is None
