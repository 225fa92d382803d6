"""Catalog values refuse what they cannot mean, and find services by what people say."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta
from decimal import Decimal

import pytest
from catalog_builders import catalog, service, staff, uid

from scheduling.assignment import check_choice
from scheduling.catalog import Customer, Location, TimeOfDay
from scheduling.deposit_rules import DepositRule
from scheduling.errors import InvalidRequest, NotFound, PolicyViolation
from scheduling.hours import TimeSpan, WeeklyHours


def test_bad_values_are_refused() -> None:
    with pytest.raises(InvalidRequest, match="E.164"):
        Customer(uid("c"), "C", phone="555-1234")
    with pytest.raises(InvalidRequest, match="time zone"):
        Location(uid("l"), "L", "Mars/Olympus", WeeklyHours())
    with pytest.raises(InvalidRequest):
        TimeSpan(time(17), time(9))
    with pytest.raises(InvalidRequest, match="deposit"):
        service(deposit=DepositRule.fixed(Decimal("99")))
    with pytest.raises(InvalidRequest, match="participants"):
        service(max_participants=3)
    with pytest.raises(InvalidRequest):
        service(duration=timedelta(seconds=90))
    with pytest.raises(InvalidRequest, match="weekdays"):
        WeeklyHours.of({"funday": ["09:00-10:00"]})


def test_weekly_hours_round_trip_and_midnight_end() -> None:
    hours = WeeklyHours.of({"mon": ["09:00-12:00", "13:00-00:00"], "sat": ["10:00-14:00"]})
    assert WeeklyHours.of(hours.as_dict()) == hours
    assert hours.as_dict()["mon"] == ["09:00-12:00", "13:00-00:00"]


def test_find_service_by_alias_ignoring_case_accents_and_articles() -> None:
    cat = catalog(services=[service("Coloración", aliases=("colour", "a dye job"))])
    assert cat.find_service("COLORACION").name == "Coloración"
    assert cat.find_service("the dye job").name == "Coloración"
    with pytest.raises(NotFound):
        cat.find_service("massage")


def test_check_choice_names_the_policy() -> None:
    elsewhere = staff("bo", location_ids=frozenset({uid("other")}))
    cat = catalog([staff("ana"), elsewhere])
    svc = cat.services[0]
    with pytest.raises(PolicyViolation) as refused:
        check_choice(cat, svc, uid("bo"), uid("loc"), None)
    assert refused.value.policy == "staff_location"
    with pytest.raises(PolicyViolation, match="does not speak fr"):
        check_choice(cat, svc, uid("ana"), uid("loc"), "fr")
    assert check_choice(cat, svc, uid("ana"), uid("loc"), "en").name == "ana"


def test_time_of_day_and_cancellation_fallback() -> None:
    assert TimeOfDay.of_hour(9) is TimeOfDay.MORNING
    assert TimeOfDay.of_hour(2) is None
    cat = catalog()
    svc = cat.services[0]
    assert cat.cancellation_policy(svc) == cat.business.policies.cancellation
    own = replace(svc, cancellation=replace(cat.business.policies.cancellation,
                                            free_cancellation_hours=48))
    assert cat.cancellation_policy(own).free_cancellation_hours == 48
