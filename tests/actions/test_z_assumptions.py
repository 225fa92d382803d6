"""Honest labels (issue 18, kind 4): what the bot chose that the words did not say (am/pm from
the opening hours, a passed day moved forward) is said in words, and no offer for such a
reading is labelled "as you asked"; a time said in full keeps its label."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.assumptions import reading, words
from actions.offers import ActionAskSlotChoice
from actions.runtime import now
from actions.zones import Zones
from scheduling.catalog import Catalog
from scheduling.timeexpr import resolve
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import DOMAIN, validate
from tests.actions.test_two_services import MENS

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 2, 9, tzinfo=NY)  # a Wednesday


def said(when: str, **slots: Any) -> str:
    found = resolve(when, NOW, NY)
    assert found is not None
    values = {"when": when, "when_start": found.start.isoformat(),
              "when_end": found.end.isoformat() if found.end else None, **slots}
    chosen = reading(tracker(slots=values), Zones(NY, NY), NOW)
    return words(tracker(slots=values), chosen, Zones(NY, NY), NOW) if chosen else ""


@pytest.mark.parametrize(("when", "expected"), [
    ("thursday at 3", "I took 3 as 3 PM. "),
    ("wed half 3", "I took 3:30 as 3:30 PM. "),
    ("the 1st of this month at 10am", "The 1st has passed, so I looked at Friday, January 1. "),
    ("thursday at 3pm", ""),
    ("friday afternoon", ""),
])
def test_what_was_chosen_is_said(when: str, expected: str) -> None:
    assert said(when) == expected


def test_the_usual_time_is_not_a_guess() -> None:
    start = resolve("monday at 10", NOW, NY).start.isoformat()  # type: ignore[union-attr]
    assert said("monday at 10", usual=start) == ""


async def offered(when: str) -> tuple[str, list[str]]:
    found = resolve(when, now(), NY)
    assert found is not None
    slots = {"service": MENS, "staff": "any", "when": when, "when_start": found.start.isoformat()}
    dispatcher = CollectingDispatcher()
    events = await ActionAskSlotChoice().run(dispatcher, tracker("", slots=slots), DOMAIN)
    return dispatcher.messages[0]["text"], [o["reason"] for o in slots_of(events)["suggestions"]]


@pytest.mark.db
async def test_a_guessed_pm_is_said_and_never_labelled_as_asked(salon: Catalog) -> None:
    text, reasons = await offered("next tuesday at 3")
    assert text.startswith("I took 3 as 3 PM. ") and not any("asked" in r for r in reasons)
    text, reasons = await offered("next tuesday at 3pm")
    assert not text.startswith("I took") and "at 3 PM, as you asked" in reasons


@pytest.mark.db
async def test_a_time_not_understood_is_said_not_searched_as_the_whole_day(
    salon: Catalog
) -> None:
    found, words_said = await validate("men's cut on thursday at quarter to never", "book")
    assert "couldn't work out" in words_said and not found.get("when_start")
    found, words_said = await validate("men's cut on thursday at half past three", "book")
    assert found["when_start"] and "couldn't work out" not in words_said
