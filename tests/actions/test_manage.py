"""Managing appointments through the actions: identity, list, cancel with the fee stated,
reschedule keeping the old slot until the new one is secured, one-time codes."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.manage import (
    ActionAskManageConfirmed,
    ActionManage,
    ActionStartManage,
    ValidateManageForm,
)
from actions.offers import ActionAskSlotChoice
from scheduling.catalog import Catalog
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import book_once

pytestmark = [pytest.mark.db]

DOMAIN: dict[str, Any] = {"forms": {"manage_form": {"required_slots": [
    "verify_contact", "otp_code", "appointment_id", "when", "slot_choice", "manage_confirmed",
]}}, "slots": {}}
PHONE = "+17185550177"


async def turn(
    text: str, intent: str, slots: dict[str, Any], requested: str | None = None,
    sender: str = f"sms:{PHONE}",
) -> tuple[dict[str, Any], str]:
    dispatcher = CollectingDispatcher()
    state = tracker(text, intent, slots, requested, sender=sender, loop="manage_form")
    events = await ValidateManageForm().run(dispatcher, state, DOMAIN)
    said = " ".join(m.get("text") or "" for m in dispatcher.messages)
    return {**slots, **slots_of(events)}, said


async def finish(slots: dict[str, Any], sender: str = f"sms:{PHONE}") -> str:
    dispatcher = CollectingDispatcher()
    await ActionManage().run(dispatcher, tracker("yes", "affirm", slots, sender=sender), DOMAIN)
    return dispatcher.messages[0]["text"]


async def start(intent: str) -> dict[str, Any]:
    events = await ActionStartManage().run(CollectingDispatcher(), tracker("", intent), DOMAIN)
    return slots_of(events)


async def test_a_caller_lists_their_appointments_by_phone(salon: Catalog) -> None:
    await book_once(PHONE)
    slots, _ = await turn("show my appointments", "list_appointments",
                          await start("list_appointments"))
    assert slots["customer_id"] and len(slots["appointments"]) == 1
    assert slots["requested_slot"] is None
    assert "Women's cut with" in await finish(slots)


async def test_a_late_cancel_states_the_fee_before_and_charges_it(
    salon: Catalog, engine: AsyncEngine
) -> None:
    await book_once(PHONE)  # the earliest slot: less than 24 hours away
    slots, _ = await turn("cancel my appointment", "cancel_appointment",
                          await start("cancel_appointment"))
    assert slots["appointment_id"] and slots["requested_slot"] == "manage_confirmed"
    dispatcher = CollectingDispatcher()
    await ActionAskManageConfirmed().run(dispatcher, tracker("", slots=slots), DOMAIN)
    assert "late cancellation fee of $25" in dispatcher.messages[0]["text"]
    slots, _ = await turn("yes", "affirm", slots, "manage_confirmed")
    assert "$25" in await finish(slots)
    async with engine.connect() as connection:
        status = await connection.scalar(text("SELECT status FROM appointments"))
    assert status == "late_cancel"


async def test_saying_no_leaves_the_appointment(salon: Catalog, engine: AsyncEngine) -> None:
    await book_once(PHONE)
    slots, _ = await turn("cancel it", "cancel_appointment", await start("cancel_appointment"))
    slots, _ = await turn("no", "deny", slots, "manage_confirmed")
    assert "left it as it is" in await finish(slots)
    async with engine.connect() as connection:
        assert await connection.scalar(text("SELECT status FROM appointments")) == "confirmed"


async def test_a_move_inside_the_notice_window_is_refused_with_the_reason(
    salon: Catalog,
) -> None:
    await book_once(PHONE)
    slots, said = await turn("move my appointment", "reschedule_appointment",
                             await start("reschedule_appointment"))
    assert "24 hours" in said and slots["task"] is None


async def test_reschedule_moves_to_an_offered_time(salon: Catalog, engine: AsyncEngine) -> None:
    await book_once(PHONE, when="in 3 days at 10am")
    slots, _ = await turn("move my appointment", "reschedule_appointment",
                          await start("reschedule_appointment"))
    assert slots["requested_slot"] == "when"
    slots, _ = await turn("in 4 days at 2pm", "inform", slots, "when")
    events = await ActionAskSlotChoice().run(
        CollectingDispatcher(), tracker("", slots=slots, loop="manage_form"), DOMAIN
    )
    slots |= slots_of(events)
    slots, _ = await turn("the first", "inform", slots, "slot_choice")
    slots, _ = await turn("yes", "affirm", slots, "manage_confirmed")
    assert "new reference" in await finish(slots)
    async with engine.connect() as connection:
        rows = (await connection.execute(
            text("SELECT status FROM appointments ORDER BY created_at"))).scalars().all()
    assert rows == ["rescheduled", "confirmed"]


async def test_the_web_asks_for_a_one_time_code(salon: Catalog, engine: AsyncEngine) -> None:
    await book_once(PHONE)
    web = "web-visitor"
    slots, _ = await turn("show my appointments", "list_appointments",
                          await start("list_appointments"), sender=web)
    assert slots["requested_slot"] == "verify_contact"
    slots, _ = await turn(f"it's {PHONE}", "inform", slots, "verify_contact", sender=web)
    assert slots["requested_slot"] == "otp_code"
    async with engine.connect() as connection:
        code = await connection.scalar(text(
            "SELECT payload->>'code' FROM outbox WHERE kind = 'verification_code'"))
    slots, said = await turn("000000" if code != "000000" else "111111", "inform", slots,
                             "otp_code", sender=web)
    assert "doesn't match" in said and slots.get("customer_id") is None
    slots, _ = await turn(f"the code is {code}", "inform", slots, "otp_code", sender=web)
    assert slots["customer_id"] and len(slots["appointments"]) == 1


async def test_an_unknown_contact_is_not_sent_a_code(salon: Catalog) -> None:
    slots, said = await turn("nobody@example.com", "inform", await start("list_appointments"),
                             "verify_contact", sender="web-x")
    assert slots["verify_contact"] is None and "couldn't find" in said
