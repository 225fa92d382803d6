"""Managing by chat as customers ask (issue 18, kind 9): the new time said with "move my
appointment" survives the web's identity check, and an appointment inside the notice window
gets the rule in words at once, on SMS and on the web, and the form stops there."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.manage import ActionManage, ActionStartManage
from actions.runtime import now
from scheduling.catalog import Catalog
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import book_once
from tests.actions.test_manage import DOMAIN, PHONE, turn

pytestmark = [pytest.mark.db]

WEB = "web-b-visitor"
NOTICE_RULE = "appointments can only be moved up to 24 hours before they start"


def weekday_in(days: int) -> str:
    """The weekday name `days` from now in the salon's zone ("Friday")."""
    return (now().astimezone(ZoneInfo("America/New_York")) + timedelta(days=days)).strftime("%A")


async def start(message: str, sender: str) -> dict[str, Any]:
    """The manage flow as the rule starts it: the request, then the form's first turn."""
    state = tracker(message, "reschedule_appointment", sender=sender)
    slots = slots_of(await ActionStartManage().run(CollectingDispatcher(), state, DOMAIN))
    return slots


async def prove_on_the_web(slots: dict[str, Any], engine: AsyncEngine) -> tuple[dict[str, Any],
                                                                                  str]:
    slots, _ = await turn(PHONE, "inform", slots, "verify_contact", sender=WEB)
    async with engine.connect() as connection:
        code = await connection.scalar(text(
            "SELECT payload->>'code' FROM outbox WHERE kind = 'verification_code'"))
    return await turn(str(code), "inform", slots, "otp_code", sender=WEB)


async def test_the_time_asked_for_is_kept_through_the_code(
    salon: Catalog, engine: AsyncEngine
) -> None:
    await book_once(PHONE, when="in 2 days at 10am")
    day = weekday_in(5)
    slots = await start(f"move my appointment to {day} afternoon", WEB)
    slots, _ = await turn(f"move my appointment to {day} afternoon", "reschedule_appointment",
                          slots, sender=WEB)
    assert slots["requested_slot"] == "verify_contact"
    slots, _ = await prove_on_the_web(slots, engine)
    assert slots["customer_id"] and slots["requested_slot"] == "slot_choice"
    start_at = datetime.fromisoformat(slots["when_start"]).astimezone(ZoneInfo("America/New_York"))
    assert start_at.strftime("%A") == day and start_at.hour == 12


async def test_a_move_with_a_time_inside_the_notice_window_ends_with_the_rule_by_sms(
    salon: Catalog,
) -> None:
    await book_once(PHONE)  # the earliest slot: less than 24 hours away
    message = f"move my appointment to {weekday_in(5)} afternoon"
    slots, said = await turn(message, "reschedule_appointment",
                             await start(message, f"sms:{PHONE}"))
    assert NOTICE_RULE in said and said.count(NOTICE_RULE) == 1
    assert "your women's cut with" in said
    assert slots["task"] is None and slots["requested_slot"] is None
    dispatcher = CollectingDispatcher()
    await ActionManage().run(dispatcher, tracker("", slots=slots), DOMAIN)
    assert "no upcoming" not in dispatcher.messages[0]["text"]


async def test_the_only_appointment_inside_the_window_is_refused_right_after_the_code(
    salon: Catalog, engine: AsyncEngine
) -> None:
    await book_once(PHONE)
    slots = await start("can I move my booking", WEB)
    slots, _ = await turn("can I move my booking", "reschedule_appointment", slots, sender=WEB)
    slots, said = await prove_on_the_web(slots, engine)
    assert NOTICE_RULE in said
    assert slots["task"] is None and slots["requested_slot"] is None
