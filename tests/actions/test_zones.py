"""The chat says and reads times on the customer's clock when it knows their zone, naming the
zone when it is not the salon's; otherwise on the salon's clock with no zone named."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ActionBook
from actions.booking_form import ValidateBookingForm
from actions.offers import ActionAskSlotChoice
from actions.runtime import runtime
from actions.zones import Zones
from scheduling import formats
from scheduling.catalog import Catalog, Customer
from scheduling.demo import demo_catalog, demo_id
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import CUT, DOMAIN

LONDON, NEW_YORK = ZoneInfo("Europe/London"), ZoneInfo("America/New_York")
AFTERNOON = datetime(2027, 3, 12, 20, 30, tzinfo=UTC)  # 3:30 PM in New York, 8:30 PM in London
INES = Customer(demo_id("customer/ines"), "Inés Ruiz", phone="+447700900123",
                time_zone="Europe/London")
SENDER = f"sms:{INES.phone}"
NOTE = re.compile(r" \((GMT|BST)\)")


def test_the_salons_clock_is_said_without_a_zone() -> None:
    zones = Zones.of(demo_catalog(), None)
    assert zones.when(AFTERNOON, AFTERNOON.replace(day=1)) == "Friday, March 12 at 3:30 PM"
    assert zones.day(AFTERNOON, AFTERNOON) == "today"


def test_a_customer_abroad_hears_their_clock_and_its_zone() -> None:
    zones = Zones.of(demo_catalog(), "Europe/London")
    assert zones.when(AFTERNOON, AFTERNOON.replace(day=1)) == "Friday, March 12 at 8:30 PM (GMT)"
    assert zones.customer == LONDON and zones.business == NEW_YORK


@pytest.fixture
async def ines(salon: Catalog) -> Customer:
    async with runtime.uow() as uow:
        await uow.catalog.save_customer(salon.business.id, INES)
        await uow.commit()
    return INES


async def offers_said(**slots: Any) -> tuple[str, list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    events = await ActionAskSlotChoice().run(dispatcher, tracker("", slots=slots, sender=SENDER),
                                             DOMAIN)
    return dispatcher.messages[0]["text"], slots_of(events)["suggestions"]


@pytest.mark.db
async def test_a_customer_abroad_is_offered_picks_and_books_on_their_clock(ines: Customer
                                                                          ) -> None:
    slots = {"service": CUT, "staff": "any", "when": "earliest", "customer_id": str(ines.id)}
    said, offers = await offers_said(**slots)
    lines = [line for line in said.splitlines() if re.match(r"\d\. ", line)]
    assert len(lines) == len(offers) and all(NOTE.search(line) for line in lines), said
    second = datetime.fromisoformat(offers[1]["start"])
    clock = formats.clock(second, LONDON)
    told = f"at {clock}{formats.zone_note(second, LONDON, NEW_YORK)} with"
    assert told in lines[1], said

    # the customer picks by the time they were told
    dispatcher = CollectingDispatcher()
    state = tracker(f"the {clock} one", "inform", {**slots, "suggestions": offers},
                    "slot_choice", sender=SENDER, loop="booking_form")
    picked = slots_of(await ValidateBookingForm().run(dispatcher, state, DOMAIN))
    assert picked["slot_choice"] == offers[1]

    dispatcher = CollectingDispatcher()
    done = {**slots, "slot_choice": offers[1], "booking_confirmed": True}
    await ActionBook().run(dispatcher, tracker("yes", "affirm", done, sender=SENDER), DOMAIN)
    booked = dispatcher.messages[0]["text"]
    assert told.removesuffix(" with") in booked, booked


@pytest.mark.db
async def test_a_customer_abroad_is_understood_on_their_clock(ines: Customer) -> None:
    dispatcher = CollectingDispatcher()
    state = tracker("friday at 3pm", "inform", {"service": CUT, "customer_id": str(ines.id)},
                    "when", sender=SENDER, loop="booking_form")
    found = slots_of(await ValidateBookingForm().run(dispatcher, state, DOMAIN))
    start = datetime.fromisoformat(found["when_start"]).astimezone(LONDON)
    assert (start.weekday(), start.hour, start.minute) == (4, 15, 0)


@pytest.mark.db
async def test_a_customer_at_home_hears_no_zone(salon: Catalog) -> None:
    said, _ = await offers_said(service=CUT, staff="any", when="earliest")
    assert not NOTE.search(said) and "(EST)" not in said and "(EDT)" not in said
