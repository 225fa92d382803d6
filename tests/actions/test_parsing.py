"""Slot parsing: pure functions over the demo catalog and fixed instants."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from actions import choices, parsing
from actions.offer_value import Offer
from scheduling.demo import demo_catalog, demo_id

NY = ZoneInfo("America/New_York")
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=NY)  # a Monday
CATALOG = demo_catalog()


@pytest.mark.parametrize(
    ("text", "service"),
    [("I'd like a ladies trim", "Women's cut"), ("the beard thing please", "Beard trim"),
     ("can I get my hair colored", "Colour"), ("mens hairct tomorrow", "Men's cut"),
     ("mens haircut at 3", "Men's cut"), ("highlights", "Colour"), ("blow dry", "Blow-dry"),
     ("BEARD TIDY", "Beard trim"), ("a pizza", None)],
)
def test_services_are_matched_by_name_alias_or_close_spelling(
    text: str, service: str | None
) -> None:
    found = parsing.match_service(CATALOG, text)
    assert (found.name if found else None) == service


def test_staff_by_name_language_anyone_or_unsupported() -> None:
    assert parsing.match_staff(CATALOG, "with ana please").staff.id == demo_id("staff/ana")
    assert parsing.match_staff(CATALOG, "someone who speaks Spanish").language == "es"
    assert parsing.match_staff(CATALOG, "anyone is fine").anyone
    assert parsing.match_staff(CATALOG, "a woman please").unsupported
    assert not parsing.match_staff(CATALOG, "tomorrow at 3").said_something




def offer(day: int, hour: int, minute: int, staff: str) -> Offer:
    return Offer(datetime(2026, 11, day, hour, minute, tzinfo=NY), demo_id(f"staff/{staff}"))


OFFERS = [offer(24, 10, 0, "ana"), offer(24, 15, 15, "marcus"), offer(25, 11, 0, "priya")]
NAMES = {str(s.id): s.name for s in CATALOG.staff}


@pytest.mark.parametrize(
    ("text", "index"),
    [("the second", 1), ("the first one", 0), ("option 3", 2), ("3:15 works", 1),
     ("the one with Priya", 2), ("the last", 2), ("the 10 o'clock one", 0), ("number two", 1),
     ("2", 1), (" 3. ", 2), ("#1", 0)],
)
def test_picks_by_position_time_or_staff(text: str, index: int) -> None:
    pick = choices.parse_pick(text, OFFERS, NY, NOW, NAMES)
    assert pick is not None and pick.index == index


def test_a_lone_number_past_the_list_picks_nothing() -> None:
    assert choices.parse_pick("7", OFFERS, NY, NOW, NAMES) is None


def test_later_and_earlier_are_wishes_not_picks() -> None:
    assert choices.parse_pick("something later", OFFERS, NY, NOW, NAMES).later
    assert choices.parse_pick("anything earlier?", OFFERS, NY, NOW, NAMES).earlier
    assert choices.parse_pick("hmm", OFFERS, NY, NOW, NAMES) is None


def test_a_correction_keeps_the_day_or_the_time_it_does_not_change() -> None:
    previous = datetime(2026, 11, 24, 15, 0, tzinfo=NY)
    eleven = parsing.when_in("no, I said 11 am", NOW, NY)
    start, _ = parsing.merge_correction(eleven, previous)
    assert start == datetime(2026, 11, 24, 11, 0, tzinfo=NY)
    thursday = parsing.when_in("make it Thursday", NOW, NY)
    start, end = parsing.merge_correction(thursday, previous)
    assert (start, end) == (datetime(2026, 11, 26, 15, 0, tzinfo=NY), None)


def test_a_bare_day_is_the_whole_day() -> None:
    friday = parsing.when_in("on friday", NOW, NY)
    assert friday is not None
    start, end = parsing.merge_correction(friday, None)
    assert (start.hour, end - start) == (0, timedelta(days=1))


def test_a_new_day_keeps_the_part_of_the_day_said_before() -> None:
    afternoon = (datetime(2026, 11, 27, 12, 0, tzinfo=NY), datetime(2026, 11, 27, 17, 0, tzinfo=NY))
    thursday = parsing.when_in("make it Thursday", NOW, NY)
    assert parsing.merge_correction(thursday, *afternoon) == (
        datetime(2026, 11, 26, 12, 0, tzinfo=NY), datetime(2026, 11, 26, 17, 0, tzinfo=NY))


@pytest.mark.parametrize("text", ["actually make it saturday morning", "saturday at 10am",
                                  "next week"])
def test_a_correction_that_says_a_time_or_window_replaces_the_old_one(text: str) -> None:
    afternoon = (datetime(2026, 11, 27, 12, 0, tzinfo=NY), datetime(2026, 11, 27, 17, 0, tzinfo=NY))
    said = parsing.when_in(text, NOW, NY)
    assert said is not None
    assert parsing.merge_correction(said, *afternoon) == (said.start, said.end)


def test_contacts_are_validated_and_normalised() -> None:
    assert parsing.phone_in("my number is (718) 555-0199") == "+17185550199"
    assert parsing.phone_in("call me on 12") is None
    assert parsing.email_in("it's Jo.Lee@Example.COM thanks") == "Jo.Lee@example.com"
    assert parsing.email_in("jo@") is None
    assert parsing.email_in("ann dot lee at example dot com") == "ann.lee@example.com"
    assert parsing.email_in("it's jo underscore b at mail dot co dot uk") == "jo_b@mail.co.uk"
    assert parsing.email_in("call me at noon") is None
    assert parsing.declines("skip") and parsing.declines("no thanks")
    assert parsing.name_in("it's sam patel") == "Sam Patel"
    assert parsing.name_in("1234") is None
    assert [parsing.name_in(t) for t in ("skip", "No thanks", "n/a", "Pass")] == [None] * 4
    assert parsing.plain_name("Jo Quick") and not parsing.plain_name("is it quick")
    assert not parsing.plain_name("quick?")
    assert parsing.code_in("the code is 104 772") == "104772"
    assert parsing.code_in("12345") is None


def test_the_caller_number_comes_from_the_sender_or_metadata() -> None:
    assert parsing.caller_phone("sms:+15551230000", None) == "+15551230000"
    assert parsing.caller_phone("voice:+15551230000", None) == "+15551230000"
    assert parsing.caller_phone("web-abc", {"phone": "+15550001111"}) == "+15550001111"
    assert parsing.caller_phone("web-abc", None) is None
    assert parsing.channel_of("voice:+1555") == "voice" and parsing.channel_of("x") == "web"


@pytest.mark.parametrize(("text", "group"), [
    ("a haircut for me and my daughter on friday", True), ("can I book for 2 people", True),
    ("both of us need a trim", True), ("my husband and I want cuts", True),
    ("a haircut for me on friday", False), ("my daughter needs a haircut", False),
    ("two o'clock please", False),
])
def test_requests_for_several_people_are_noticed(text: str, group: bool) -> None:
    assert parsing.mentions_group(text) is group
