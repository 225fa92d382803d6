"""Misreadings of single messages found by issue 18's evaluation: a bare hour, a day relative
to the day under discussion, a day of the month said with a time, an answer that offers to
book."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from actions import choices, info, parsing
from actions.offer_value import Offer
from scheduling.demo import demo_catalog, demo_id

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=NY)  # a Monday; the demo salon opens 9 to 6
FRIDAY_3PM = datetime(2026, 11, 27, 15, 0, tzinfo=NY)
NAMES = {str(s.id): s.name for s in demo_catalog().staff}


def offer(day: int, hour: int, staff: str = "ana") -> Offer:
    return Offer(datetime(2026, 11, day, hour, 0, tzinfo=NY), demo_id(f"staff/{staff}"))


@pytest.mark.parametrize(
    ("text", "hour"),
    [("try 5", 17), ("make it 3 instead", 15), ("ok try 10 then", 10), ("how about 11?", 11),
     ("can you do 2", 14), ("let's say 4 please", 16)],
)
def test_a_bare_hour_is_a_time_inside_business_hours(text: str, hour: int) -> None:
    found = parsing.when_in(text, NOW, NY)
    assert found is not None and found.time_explicit and not found.date_explicit
    assert found.start.hour == hour and found.start.minute == 0
    start, _ = parsing.merge_correction(found, FRIDAY_3PM)  # the day under discussion is kept
    assert (start.date(), start.hour) == (FRIDAY_3PM.date(), hour)


@pytest.mark.parametrize("text", ["5", "for 2 people", "the 2nd", "option 3", "try again"])
def test_a_number_that_is_not_offered_as_an_hour_is_no_time(text: str) -> None:
    found = parsing.when_in(text, NOW, NY)
    assert found is None or not found.time_explicit


def test_a_bare_hour_picks_the_offer_at_that_time() -> None:
    offers = [offer(24, 11), offer(24, 17, "marcus"), offer(25, 15)]
    pick = choices.parse_pick("try 5", offers, NY, NOW, NAMES)
    assert pick is not None and pick.index == 1


@pytest.mark.parametrize(
    ("text", "day"),
    [("the week after?", 4), ("what about the week after", 4), ("the day after", 28),
     ("a week later then", 4), ("the following week", 4)],
)
def test_the_week_after_moves_from_the_day_under_discussion(text: str, day: int) -> None:
    found = parsing.when_in(text, NOW, NY, around=FRIDAY_3PM)
    assert found is not None and found.date_explicit
    start, _ = parsing.merge_correction(found, FRIDAY_3PM)
    assert start.day == day and start.hour == 15  # the time under discussion is kept


def test_the_week_after_with_no_day_under_discussion_is_not_made_up() -> None:
    assert parsing.when_in("the week after?", NOW, NY) is None


def test_a_day_of_the_month_said_with_a_time_is_not_an_offer_position() -> None:
    offers = [offer(24, 11), offer(25, 10), offer(26, 14)]
    pick = choices.parse_pick("ok the 2nd then, before noon", offers, NY, NOW, NAMES)
    assert pick is None or pick.index != 1
    found = parsing.when_in("ok the 2nd then, before noon", NOW, NY)
    assert found is not None and found.start.day == 2 and found.end is not None
    assert found.end.hour == 12
    plain = choices.parse_pick("ok the 2nd then", offers, NY, NOW, NAMES)
    assert plain is not None and plain.index == 1  # alone it still picks the second offer


def test_only_an_answer_that_asks_to_book_sets_the_offer() -> None:
    catalog = demo_catalog()
    cut = catalog.services[0]
    assert info.offers_booking("ask_services", cut, named=True)
    assert info.answer("ask_services", catalog, cut, named=True).endswith(
        "Would you like to book one?")
    assert not info.offers_booking("ask_services", None, named=False)
    assert not info.offers_booking("ask_address", cut, named=True)
