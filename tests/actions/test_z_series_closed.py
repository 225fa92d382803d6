"""A series for a number of times keeps that number when a date falls on a closed day (issue
18, kind 8): one more date is added at the end and said so before "yes"; before, the closed
date was only left out and the customer got one appointment fewer than asked."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.booking import ActionBook
from actions.booking_form import ActionAskBookingConfirmed
from actions.recurrence import SeriesAsk
from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from scheduling.desk.series import Unit
from tests.actions.conftest import tracker
from tests.actions.test_booking import DOMAIN, offers_for
from tests.actions.test_two_services import MENS

pytestmark = [pytest.mark.db]
NY = ZoneInfo("America/New_York")


async def test_a_closed_sunday_is_replaced_at_the_end(salon: Catalog) -> None:
    today = datetime.now(NY).date()
    thursday = today + timedelta(days=(3 - today.weekday()) % 7 + 7)
    first = datetime(thursday.year, thursday.month, thursday.day, 11, tzinfo=NY)
    slots: dict[str, Any] = {"service": MENS, "staff": str(demo_id("staff/ana")),
                             "when": "thursday at 11am", "when_start": first.isoformat(),
                             "series": SeriesAsk(3, Unit.DAYS, 4).to_slot()}
    offers = await offers_for(**slots)  # Thursday, Sunday (closed), Wednesday, Saturday
    slots |= {"suggestions": offers, "customer_name": "Jo Lee", "email": "skip",
              "slot_choice": next(o for o in offers
                                  if datetime.fromisoformat(o["start"]) == first)}
    dispatcher = CollectingDispatcher()
    await ActionAskBookingConfirmed().run(dispatcher, tracker("", slots=slots), DOMAIN)
    said = dispatcher.messages[0]["text"]
    assert "every 3 days, 5 times" in said, said
    assert "We're closed on Sunday, " in said and "so I've added Tuesday, " in said
    assert "I'll book the 4 that are free." in said
    dispatcher = CollectingDispatcher()
    await ActionBook().run(dispatcher, tracker("yes", "affirm", {
        **slots, "phone": "+17185550688", "booking_confirmed": True}), DOMAIN)
    assert "You're booked: 4 Men's cut appointments" in dispatcher.messages[0]["text"]
