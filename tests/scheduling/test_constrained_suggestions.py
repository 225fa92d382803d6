"""The suggester keeps what the customer refused or allowed (issue 18, kind 3)."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from catalog_builders import at
from hypothesis import given, settings
from hypothesis import strategies as st

from scheduling.availability import AvailabilityQuery
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog
from scheduling.suggestions import SuggestionRequest, suggest
from scheduling.timeexpr.constraint import Constraint
from scheduling.timeexpr.constraints import read_constraint

NY = "America/New_York"
NOW = at(NY, 2026, 11, 20, 9)  # a Friday


@pytest.fixture(scope="module")
def salon() -> Catalog:
    return demo_catalog()


def two_weeks(salon: Catalog) -> AvailabilityQuery:
    cut = salon.find_service("haircut").id
    return AvailabilityQuery(cut, NOW, NOW + timedelta(days=14), NOW)


@pytest.mark.parametrize(("text", "keeps"), [
    ("any day but Monday", lambda s: s.weekday() != 0),
    ("afternoons except Wednesday", lambda s: s.weekday() != 2 and 12 <= s.hour < 17),
    ("not before 10", lambda s: s.time() >= time(10)),
    ("after 2 but not Friday", lambda s: s.weekday() != 4 and s.hour >= 14),
    ("tuesday or thursday morning", lambda s: s.weekday() in (1, 3) and s.hour < 12),
])
def test_every_offer_keeps_the_constraint_said(salon: Catalog, text: str, keeps: object) -> None:
    constraint = read_constraint(text, NOW, NY)
    offers = suggest(salon, SuggestionRequest(two_weeks(salon), constraint=constraint), 4)
    starts = [offer.slot.start.astimezone(ZoneInfo(NY)) for offer in offers]
    assert len(starts) == 4 and all(keeps(start) for start in starts), starts  # type: ignore[operator]


def test_before_my_1_pm_lunch_ends_before_1(salon: Catalog) -> None:
    constraint = read_constraint("before my 1 pm lunch", NOW, NY)
    offers = suggest(salon, SuggestionRequest(two_weeks(salon), constraint=constraint), 6)
    ends = [offer.slot.end.astimezone(ZoneInfo(NY)) for offer in offers]
    assert ends and all(end.time() <= time(13) for end in ends)
    assert any(end.time() == time(13) for end in ends)  # a cut from 12:15 is still offered


@settings(max_examples=30, deadline=None)
@given(st.frozensets(st.integers(0, 6), max_size=5), st.integers(8, 16))
def test_no_offer_breaks_a_constraint(salon_days: frozenset[int], hour: int) -> None:
    salon = demo_catalog()
    constraint = Constraint(NY, not_weekdays=salon_days, earliest=time(hour))
    for offer in suggest(salon, SuggestionRequest(two_weeks(salon), constraint=constraint), 4):
        assert constraint.admits(offer.slot.start, offer.slot.end)


def test_several_days_are_spread_over_and_one_full_day_fills_up(salon: Catalog) -> None:
    both = read_constraint("tuesday or thursday morning", NOW, NY)
    offers = suggest(salon, SuggestionRequest(two_weeks(salon), constraint=both), 4)
    days = [offer.slot.start.astimezone(ZoneInfo(NY)).date() for offer in offers]
    assert len(days) == 4 and max(days.count(day) for day in days) == 2
    only_one = Constraint(NY, weekdays=frozenset({1, 3}),
                          not_dates=frozenset(d for d in {*days} if d.weekday() == 1))
    one_week = AvailabilityQuery(two_weeks(salon).service_id, NOW, NOW + timedelta(days=7), NOW)
    offers = suggest(salon, SuggestionRequest(one_week, constraint=only_one), 4)
    assert len(offers) == 4  # Thursday alone, when that week's Tuesday is refused
