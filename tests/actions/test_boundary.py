"""The actions' error boundary: every action the action server registers runs inside it, and a
domain error or a crash under an action or a form validation still ends in words."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from uuid import uuid4

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import ActionExecutor, CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.booking_form import ValidateBookingForm
from actions.boundary import APOLOGY, GuardedAction
from actions.manage import ActionAskManageConfirmed
from actions.runtime import runtime
from scheduling.catalog import Catalog
from scheduling.demo import demo_id
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import CUT, DOMAIN, book_once
from tests.actions.test_manage import start, turn

ANA = str(demo_id("staff/ana"))


def registered() -> dict[str, Any]:
    """What rasa-sdk's executor serves from the `actions` package, as the action server
    registers it (`python -m assistant actions`)."""
    executor = ActionExecutor()
    executor.register_package("actions")
    return {name: run for name, run in executor.actions.items()
            if type(run.__self__).__module__.startswith("actions.")}


def test_every_registered_action_runs_inside_the_boundary() -> None:
    served = registered()
    with open("domain.yml", encoding="utf-8") as file:
        domain = yaml.safe_load(file)
    custom = {name for name in domain["actions"] if not name.startswith("utter_")}
    assert custom <= served.keys()
    outside = [name for name, run in served.items()
               if not isinstance(run.__self__, GuardedAction) or run.__func__ is not
               GuardedAction.run]
    assert outside == []


def test_an_action_cannot_replace_the_boundary() -> None:
    with pytest.raises(TypeError, match="act"):
        class Bypass(GuardedAction):  # noqa: F841 (the class statement itself must fail)
            def name(self) -> str:
                return "action_bypass"

            async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> list[EventType]:
                return []

            async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                          domain: DomainDict) -> list[EventType]:
                return []


@pytest.fixture
def no_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The action server started without DATABASE_URL: every use of the runtime raises
    RuntimeError, an error no action expects."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    runtime.configure("")
    yield
    runtime.configure("")


def said(dispatcher: CollectingDispatcher) -> str:
    return " ".join(m.get("text") or "" for m in dispatcher.messages)


def manage_slots(appointment_id: str, customer_id: str, start: str) -> dict[str, Any]:
    item = {"id": appointment_id, "start": start, "staff_id": ANA, "service_id": CUT,
            "text": "Women's cut with Ana"}
    return {"task": "reschedule", "customer_id": customer_id, "appointments": [item],
            "appointment_id": appointment_id, "service": CUT, "staff": ANA,
            "slot_choice": {"start": start, "staff_id": ANA, "reason": ""}}


async def test_a_crash_while_asking_to_confirm_is_an_apology(no_database: None) -> None:
    dispatcher = CollectingDispatcher()
    slots = manage_slots(str(uuid4()), str(uuid4()), "2030-01-08T15:00:00-05:00")
    events = await ActionAskManageConfirmed().run(
        dispatcher, tracker("", slots=slots, loop="manage_form"), DOMAIN)
    assert said(dispatcher) == APOLOGY and events == []


async def test_a_crash_in_a_form_validation_asks_again(no_database: None) -> None:
    dispatcher = CollectingDispatcher()
    state = tracker("tomorrow at 3", slots={"service": CUT, "staff": "any"}, requested="when",
                    loop="booking_form")
    events = await ValidateBookingForm().run(dispatcher, state, DOMAIN)
    assert said(dispatcher) == APOLOGY
    assert slots_of(events) == {"when": None}  # cleared, so the form asks for it again


@pytest.mark.db
async def test_a_refusal_while_asking_to_confirm_is_said(
    salon: Catalog, engine: AsyncEngine
) -> None:
    """Today's incident: the appointment starts within the free-change window, so the terms
    of the move are a PolicyViolation raised under action_ask_manage_confirmed."""
    phone = "+17185550188"
    _, booked = await book_once(phone)
    assert "booked" in booked, booked
    # the caller's number proves who they are, as a text from them would
    known, _ = await turn("I need to move my appointment", "reschedule_appointment",
                          await start("reschedule_appointment"), sender=f"sms:{phone}")
    shift = "(now() + interval '3 hours' - starts_at)"  # the whole booking, buffers and all
    async with engine.begin() as connection:
        row = (await connection.execute(text(
            f"UPDATE appointments SET starts_at = starts_at + {shift}, "
            f"ends_at = ends_at + {shift}, blocked_start = blocked_start + {shift}, "
            f"blocked_end = blocked_end + {shift} RETURNING id, starts_at"))).one()
    dispatcher = CollectingDispatcher()
    later = (row.starts_at + timedelta(days=2)).isoformat()
    slots = manage_slots(str(row.id), known["customer_id"], later)
    events = await ActionAskManageConfirmed().run(
        dispatcher, tracker("", slots=slots, loop="manage_form"), DOMAIN)
    assert "can only be changed up to 24 hours before they start" in said(dispatcher)
    assert events == []


@pytest.mark.db
async def test_a_domain_error_in_a_form_validation_is_said(salon: Catalog,
                                                           engine: AsyncEngine) -> None:
    """A texting customer is looked up by number on the first turn; with the business gone
    that lookup raises NotFound inside the form's validation."""
    async with engine.begin() as connection:
        await connection.execute(text("TRUNCATE businesses CASCADE"))
    await runtime.dispose()  # forget the business id read before
    dispatcher = CollectingDispatcher()
    state = tracker("a haircut tomorrow", "book", requested="service",
                    sender="sms:+17185550199", loop="booking_form")
    events = await ValidateBookingForm().run(dispatcher, state, DOMAIN)
    assert said(dispatcher).startswith("Sorry, I can't find that business")
    assert slots_of(events) == {"service": None}
