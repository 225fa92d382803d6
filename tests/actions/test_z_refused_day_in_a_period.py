"""A day refused inside a period ("any day next week but Monday, mornings only", issue 18, kind
3) searches the period without that day; before, the resolver's "next week but Monday" was
that Monday, refused, and the search started today."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from actions.constraints import when_slots
from actions.parsing import when_in

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 2, 9, tzinfo=NY)  # a Wednesday


@pytest.mark.parametrize("text", ["a men's cut any day next week but Monday, mornings only",
                                  "a mens cut any day next week but mon mornings only"])
def test_the_period_is_searched_without_the_refused_day(text: str) -> None:
    slots = when_slots(text, when_in(text, NOW, NY), None, NOW, NY)
    assert slots is not None
    assert (slots["when_start"], slots["when_end"]) == ("2026-12-07T00:00:00-05:00",
                                                        "2026-12-14T00:00:00-05:00")
    assert slots["when_constraint"]["not_weekdays"] == [0]
    assert slots["when_constraint"]["window"] == ["08:00:00", "12:00:00"]


def test_a_refused_single_day_still_searches_from_the_earliest() -> None:
    text = "any day but monday"
    slots = when_slots(text, when_in(text, NOW, NY), None, NOW, NY)
    assert slots is not None and slots["when_start"] is None
