"""The new-booking form read without a server: what was typed kept whole and safe, the
choices it makes (a calendar link's local time on the location's clock, a staff account's
own staff member), and when a time is a walk-in inside the minimum notice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from assistant.gateway.admin import booking_form as bf
from scheduling.demo import demo_catalog
from scheduling.errors import InvalidRequest

CATALOG = demo_catalog()
NY = ZoneInfo("America/New_York")
NOW = datetime(2027, 3, 10, 15, 0, tzinfo=UTC)  # 10 AM in New York, a Wednesday
ANA = next(s for s in CATALOG.staff if s.name == "Ana")
MARCUS = next(s for s in CATALOG.staff if s.name == "Marcus")
COLOUR = next(s for s in CATALOG.services if s.name == "Colour")


def test_typed_keeps_text_only_without_nul_and_makes_a_key() -> None:
    form = bf.typed({"name": "  Zoë\x00 ", "notes": "x" * 50_000, "q": "q" * 500,
                     "phone": b"bytes", "key": "bad key"})
    assert form["name"] == "Zoë" and form["phone"] == ""
    assert len(form["notes"]) == bf.KEPT and len(form["q"]) == bf.LIMITS["q"]
    assert bf.is_key(form["key"]) and form["key"] != "bad key"
    assert bf.typed({"key": form["key"]})["key"] == form["key"]


def test_a_calendar_link_reads_its_local_time_on_the_locations_clock() -> None:
    location = CATALOG.business.locations[0]
    form = bf.typed({"staff_id": str(ANA.id), "start": "2027-03-11T14:30",
                     "location_id": str(location.id)})
    chosen = bf.choose(CATALOG, form, None, NOW)
    assert chosen.staff == ANA and chosen.location == location and not chosen.problems
    assert chosen.start == datetime(2027, 3, 11, 14, 30, tzinfo=NY)
    assert chosen.day.isoformat() == "2027-03-11"


@pytest.mark.parametrize("start, problem", [
    ("2027-03-09T10:00", "has passed"), ("9999-12-31T10:00", "Choose a time"),
    ("not a time", "Choose a time"), ("2027-02-30T10:00", "Choose a time"),
])
def test_a_time_that_cannot_be_booked_is_said_beside_its_field(start: str, problem: str) -> None:
    chosen = bf.choose(CATALOG, bf.typed({"start": start}), None, NOW)
    assert chosen.start is None and problem in chosen.problems["start"]


def test_a_staff_account_is_fixed_to_its_own_staff_member() -> None:
    form = bf.typed({"staff_id": str(ANA.id)})
    chosen = bf.choose(CATALOG, form, MARCUS.id, NOW)
    assert chosen.staff == MARCUS and not chosen.problems
    with pytest.raises(InvalidRequest):
        bf.choose(CATALOG, form, uuid4(), NOW)


def test_a_time_inside_the_notice_is_a_walk_in() -> None:
    soon = (NOW + timedelta(hours=3)).astimezone(NY).replace(tzinfo=None).isoformat()
    chosen = bf.choose(CATALOG, bf.typed({"service_id": str(COLOUR.id), "start": soon}),
                       None, NOW)
    assert bf.within_notice(chosen, NOW)  # the colour needs a day's notice
    later = (NOW + timedelta(days=2)).astimezone(NY).replace(tzinfo=None).isoformat()
    chosen = bf.choose(CATALOG, bf.typed({"service_id": str(COLOUR.id), "start": later}),
                       None, NOW)
    assert not bf.within_notice(chosen, NOW)


def test_a_repeat_and_a_group_are_read_or_refused() -> None:
    assert bf.repeat_of(bf.typed({})) is None
    repeat = bf.repeat_of(bf.typed({"repeat": "yes", "every": "2", "unit": "weeks",
                                    "count": "6"}))
    assert repeat is not None and (repeat.every, repeat.count) == (2, 6)
    for bad in ({"every": "x", "count": "3"}, {"every": "1", "count": "27"},
                {"every": "1", "count": "3", "unit": "years"}):
        with pytest.raises(InvalidRequest):
            bf.repeat_of(bf.typed({"repeat": "yes", **bad}))
    cut = CATALOG.services[0]
    assert bf.participants_of(bf.typed({"participants": ""}), cut) == ()
    with pytest.raises(InvalidRequest):
        bf.participants_of(bf.typed({"participants": "A\nB"}), cut)
