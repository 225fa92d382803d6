"""Issue 18, kinds 3 and 4 through the real Rasa server, action server and Postgres: a
refusal and a bound said on different turns both reach every offer and the booking made, a
closed day is said to be closed, and the offers come in time order without staff jargon."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.test_conversations import Assistant, assistant_running, conversation
from tests.stack import query

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]

NEW_YORK = ZoneInfo("America/New_York")
LINE = re.compile(r"^\d\. (?P<day>today|tomorrow|\w+day, \w+ \d+) at (?P<clock>\d+(?::\d\d)? [AP]M)"
                  r"(?P<rest>.*)$", re.M)
JARGON = ("no rush", "back to back", "min after", "min before")


@pytest.fixture(scope="module")
def assistant(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with assistant_running(database_url, tmp_path_factory.mktemp("assistant-c")) as running:
        yield running


def offers_in(reply: str) -> list[tuple[datetime, str]]:
    """The numbered offers of an SMS reply as (local start, the rest of the line)."""
    today = datetime.now(NEW_YORK).date()
    found = []
    for match in LINE.finditer(reply):
        said = match["day"]
        if said in ("today", "tomorrow"):
            day = today + timedelta(days=said == "tomorrow")
        else:
            month_day = datetime.strptime(said.split(", ")[1], "%B %d")
            day = date(today.year, month_day.month, month_day.day)
            day = day if day >= today else date(today.year + 1, day.month, day.day)
        said_clock = match["clock"]
        clock = datetime.strptime(said_clock, "%I:%M %p" if ":" in said_clock else "%I %p").time()
        found.append((datetime.combine(day, clock, NEW_YORK), match["rest"]))
    return found


def test_a_refusal_and_a_bound_on_two_turns_reach_every_offer_and_the_booking(
    assistant: Assistant, database_url: str
) -> None:
    sender = "sms:+17185550931"
    reply, _ = assistant.say(sender, "hi can i book a women's cut, any day but monday")
    first = offers_in(reply)
    assert len(first) >= 3 and all(start.weekday() != 0 for start, _ in first), reply
    reply, _ = assistant.say(sender, "oh and not before 11 please")
    offers = offers_in(reply)
    assert len(offers) >= 3, reply
    assert all(s.weekday() != 0 and s.time() >= time(11) for s, _ in offers), reply
    assert [s for s, _ in offers] == sorted(s for s, _ in offers), reply
    assert not any(word in rest for _, rest in offers for word in JARGON), reply
    conversation(assistant, sender, [
        ("the second", "name"), ("Dana Kirby", "email"), ("skip", "To confirm"),
        ("yes", "You're booked"),
    ])
    [(starts_at,)] = query(database_url, "SELECT starts_at FROM appointments "
                                         "WHERE contact_phone = '+17185550931'")
    assert starts_at.astimezone(NEW_YORK) == offers[1][0]


def test_a_sunday_is_said_closed_and_several_days_are_both_offered(
    assistant: Assistant,
) -> None:
    reply, _ = assistant.say("sms:+17185550932", "a women's cut on sunday at 4pm please")
    assert "We're closed on Sundays." in reply, reply
    reply, _ = assistant.say("sms:+17185550932", "ok then tuesday or thursday morning")
    offers = offers_in(reply)
    assert offers and all(s.weekday() in (1, 3) and s.hour < 12 for s, _ in offers), reply
    assert {s.weekday() for s, _ in offers} == {1, 3}, reply
