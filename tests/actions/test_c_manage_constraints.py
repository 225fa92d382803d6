"""A move asked with a constraint ("move my appointment to any day but Monday, after 2") keeps
it through the flow, and every new time offered keeps it (issue 18, kind 3)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import ActionAskSlotChoice
from scheduling.catalog import Catalog
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_b_managing import start
from tests.actions.test_booking import book_once
from tests.actions.test_manage import DOMAIN, PHONE, turn

pytestmark = [pytest.mark.db]


async def test_a_move_to_any_day_but_monday_after_2_offers_only_such_times(
    salon: Catalog,
) -> None:
    await book_once(PHONE, when="in 3 days at 10am")
    message = "move my appointment to any day but monday, after 2"
    slots = await start(message, f"sms:{PHONE}")
    assert slots["when_constraint"]["not_weekdays"] == [0]
    slots, _ = await turn(message, "reschedule_appointment", slots, sender=f"sms:{PHONE}")
    assert slots["when_constraint"]["earliest"] == "14:00:00"
    dispatcher = CollectingDispatcher()
    state = tracker("", slots=slots, sender=f"sms:{PHONE}", loop="manage_form")
    events = await ActionAskSlotChoice().run(dispatcher, state, DOMAIN)
    offers = slots_of(events)["suggestions"]
    starts = [datetime.fromisoformat(o["start"]).astimezone(ZoneInfo("America/New_York"))
              for o in offers]
    assert starts and all(s.weekday() != 0 and s.time() >= time(14) for s in starts), starts
