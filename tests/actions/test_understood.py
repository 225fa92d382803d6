"""The day, time and constraint understood are said back with the offers (issue 18, kind 4),
so a misreading shows before a pick instead of hiding behind "as you asked"."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from actions.understood import said_back
from actions.zones import Zones
from scheduling.timeexpr.constraint import Constraint
from tests.actions.conftest import tracker

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 2, 9, tzinfo=NY)  # a Wednesday


def back(**slots: Any) -> str:
    constraint = slots.pop("constraint", None)
    values = {"when": "x", **{k: v.isoformat() for k, v in slots.items()}}
    values["when_constraint"] = constraint.to_json() if constraint else None
    return said_back(tracker(slots=values), Zones(NY, NY), NOW)


@pytest.mark.parametrize(("slots", "words"), [
    ({"when_start": datetime(2026, 12, 4, 15, tzinfo=NY)}, " for Friday, December 4 at 3 PM"),
    ({"when_start": datetime(2026, 12, 3, tzinfo=NY), "when_end": datetime(2026, 12, 4, tzinfo=NY)},
     " for tomorrow"),
    ({"when_start": datetime(2026, 12, 4, 12, tzinfo=NY),
      "when_end": datetime(2026, 12, 4, 17, tzinfo=NY)}, " for Friday, December 4, 12 PM to 5 PM"),
    ({"when_start": datetime(2026, 12, 7, tzinfo=NY),
      "when_end": datetime(2026, 12, 14, tzinfo=NY)},
     " from Monday, December 7 to Sunday, December 13"),
    ({"constraint": Constraint("America/New_York", not_weekdays=frozenset({0}),
                               earliest=time(11))}, " (not on Mondays, from 11 AM)"),
    ({"constraint": Constraint("America/New_York", weekdays=frozenset({1, 3}),
                               window=(time(8), time(12)))},
     " (Tuesdays or Thursdays, 8 AM to 12 PM)"),
    ({"when_start": datetime(2026, 12, 4, tzinfo=NY), "when_end": datetime(2026, 12, 5, tzinfo=NY),
      "constraint": Constraint("America/New_York", weekdays=frozenset(range(5)),
                               ends_by=time(13))},
     " for Friday, December 4 (weekdays, over by 1 PM)"),
])
def test_what_was_understood_is_said_back(slots: dict[str, Any], words: str) -> None:
    assert back(**slots) == words


def test_nothing_is_said_back_for_the_earliest_or_something_later() -> None:
    moment = datetime(2026, 12, 4, 15, tzinfo=NY).isoformat()
    for when in ("earliest", "later"):
        state = tracker(slots={"when": when, "when_start": moment})
        assert said_back(state, Zones(NY, NY), NOW) == ""
