"""Picking an offer: the slot booked is the slot picked, and a question is not a pick."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from actions import choices, parsing
from actions.offer_value import Offer
from scheduling.demo import demo_catalog, demo_id

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=NY)  # a Monday
NAMES = {str(s.id): s.name for s in demo_catalog().staff}


def offer(day: int, hour: int, minute: int, staff: str) -> Offer:
    return Offer(datetime(2026, 11, day, hour, minute, tzinfo=NY), demo_id(f"staff/{staff}"))


# Ana at 1:30 and 2:15 on Tuesday, Marcus on Wednesday at 9:30, Priya on Thursday at 1 pm.
OFFERS = [offer(24, 13, 30, "ana"), offer(24, 14, 15, "ana"), offer(25, 9, 30, "marcus"),
          offer(26, 13, 0, "priya")]


def picked(text: str) -> int | None:
    pick = choices.parse_pick(text, OFFERS, NY, NOW, NAMES)
    return pick.index if pick else None


@pytest.mark.parametrize(
    ("text", "index"),
    [("2:15 with Ana", 1), ("the 2:15 with ana please", 1), ("ana at 2:15", 1),
     ("the thursday one", 3), ("the thursday one, hurry up", 3), ("the wednesday one", 2),
     ("the 930 one", 2), ("the tuesday one at 2:15", 1), ("the later one", 3),
     ("the earlier one", 0), ("the one with Priya", 3), ("the second one", 1)],
)
def test_the_offer_picked_is_the_one_every_detail_fits(text: str, index: int) -> None:
    assert picked(text) == index


@pytest.mark.parametrize(
    "text",
    ["do you have anything with Priya?", "is there anything with marcus", "anything on friday?",
     "have you got any other times", "2:15 with Marcus", "the friday one"],
)
def test_a_question_or_a_detail_no_offer_has_picks_nothing(text: str) -> None:
    assert picked(text) is None


def test_asking_for_later_or_earlier_is_a_wish_not_a_pick() -> None:
    later = choices.parse_pick("is there anything later?", OFFERS, NY, NOW, NAMES)
    earlier = choices.parse_pick("anything earlier", OFFERS, NY, NOW, NAMES)
    assert later is not None and later.later and later.index is None
    assert earlier is not None and earlier.earlier


@pytest.mark.parametrize(
    ("text", "hour"),
    [("the thursday one", None), ("the thursday one, hurry up", None), ("the 930 one", 9),
     ("this afternoon at one", 13), ("the one o'clock", 13), ("the 10 am one on friday", 10),
     ("uh the twelve one", 12), ("I'd like one on thursday at 10", 10)],
)
def test_one_is_the_offer_not_1_oclock_unless_it_is_a_time(text: str, hour: int | None) -> None:
    found = parsing.when_in(text, NOW, NY)
    assert found is not None
    assert (found.start.hour if found.time_explicit else None) == hour


def test_the_number_one_is_the_offer_at_that_time() -> None:
    noon = [offer(24, 12, 0, "ana"), offer(24, 13, 30, "ana")]
    pick = choices.parse_pick("the 12 one", noon, NY, NOW, NAMES)
    assert pick is not None and pick.index == 0
