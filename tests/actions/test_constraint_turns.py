"""Constraints said in the conversation reach every offer and stay across turns (issue 18,
kind 3), and offers are listed in time order (kind 4): the booking form and the offer action
against real Postgres with the demo salon."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.offers import ActionAskSlotChoice
from scheduling.catalog import Catalog
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import CUT, DOMAIN, validate

pytestmark = [pytest.mark.db]
NY = ZoneInfo("America/New_York")
KEEP = ("when", "when_start", "when_end", "when_constraint")


async def offered(**slots: Any) -> tuple[list[datetime], str]:
    """The offers' starts (in New York) for these slots, and what was said with them."""
    dispatcher = CollectingDispatcher()
    events = await ActionAskSlotChoice().run(
        dispatcher, tracker("", slots={"service": CUT, "staff": "any", **slots}), DOMAIN)
    found = slots_of(events)["suggestions"] or []
    return ([datetime.fromisoformat(o["start"]).astimezone(NY) for o in found],
            dispatcher.messages[0]["text"])


async def answer(text: str, **before: Any) -> dict[str, Any]:
    found, _ = await validate(text, requested="when", service=CUT, staff="any", **before)
    return {key: found.get(key, before.get(key)) for key in KEEP}


async def test_any_day_but_monday_is_kept_by_every_offer(salon: Catalog) -> None:
    slots = await answer("any day but Monday")
    assert slots["when_constraint"]["not_weekdays"] == [0]
    starts, _ = await offered(**slots)
    assert len(starts) >= 3 and all(start.weekday() != 0 for start in starts)
    assert starts == sorted(starts)  # in time order


async def test_tuesday_or_thursday_morning_offers_both_days(salon: Catalog) -> None:
    starts, _ = await offered(**await answer("tuesday or thursday morning"))
    assert starts and all(s.weekday() in (1, 3) and s.hour < 12 for s in starts)
    assert {s.weekday() for s in starts} == {1, 3}, starts


async def test_before_my_1_pm_lunch_ends_before_1_and_is_not_offered_at_1(
    salon: Catalog,
) -> None:
    slots = await answer("friday, before my 1 pm lunch")
    starts, said = await offered(**slots)
    assert starts and all(s.weekday() == 4 and s.hour < 13 for s in starts), starts
    assert all(s.time() <= time(12, 15) for s in starts)  # a 45-minute cut is over by 1
    assert "at 1 PM" not in said, said
    assert "for Friday, December" in said and "(over by 1 PM):" in said, said  # said back


async def test_a_constraint_is_kept_when_the_day_changes(salon: Catalog) -> None:
    first = await answer("not before 10")
    then = await answer("how about friday", **first)
    assert then["when_constraint"]["earliest"] == "10:00:00"
    starts, _ = await offered(**then)
    assert starts and all(s.time() >= time(10) for s in starts)
    assert starts[0].weekday() == 4


async def test_naming_a_refused_day_lifts_the_refusal(salon: Catalog) -> None:
    first = await answer("not monday")
    then = await answer("ok monday then", **first)
    assert then["when_constraint"] is None
    starts, _ = await offered(**then)
    assert starts and starts[0].weekday() == 0


async def test_the_earliest_but_not_monday_keeps_the_refusal(salon: Catalog) -> None:
    slots = await answer("the earliest you have, but not monday")
    assert slots["when"] == "earliest" and slots["when_constraint"]["not_weekdays"] == [0]
    starts, _ = await offered(**slots)
    assert starts and all(start.weekday() != 0 for start in starts)


async def test_several_days_keep_the_part_of_the_day_the_resolver_read(salon: Catalog) -> None:
    slots = await answer("tuesday or wednesday after work")
    assert slots["when_start"] is None
    starts, _ = await offered(**slots)
    assert starts and all(s.weekday() in (1, 2) and s.hour >= 17 for s in starts), starts


async def test_several_days_at_one_time_keep_the_time(salon: Catalog) -> None:
    starts, _ = await offered(**await answer("tuesday or thursday at 3pm"))
    assert starts and starts[0].weekday() in (1, 3)
    assert any(s.weekday() in (1, 3) and s.time() == time(15) for s in starts), starts


async def test_none_of_those_asks_again_keeping_the_constraint(salon: Catalog) -> None:
    slots = {"service": CUT, "staff": "any", **await answer("not before 11")}
    listed = slots_of(await ActionAskSlotChoice().run(
        CollectingDispatcher(), tracker("", slots=slots), DOMAIN))["suggestions"]
    found, said = await validate("none of those", "deny", requested="slot_choice",
                                 suggestions=listed, **slots)
    assert found["when"] is None and found["suggestions"] is None, found
    assert found["requested_slot"] == "when" and "waitlist" in said
    assert found.get("when_constraint", slots["when_constraint"])["earliest"] == "11:00:00"
    picked, _ = await validate("none of those, friday?", "deny", requested="slot_choice",
                               suggestions=listed, **slots)
    assert picked["when"] == "none of those, friday?" and picked["when_start"]
