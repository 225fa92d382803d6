"""Recurring requests by chat (issue 18, kind 8): the repeating words are read (every, how
many, until when), the rest of the request finds the first date as usual, every date is read
back before "yes" with the ones not free named, and "yes" books the free ones as one series
through the front desk's `book_series` (channel of the chat, one `booking_series` row)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from actions.booking import ActionBook
from actions.booking_form import ActionAskBookingConfirmed
from actions.recurrence import SeriesAsk, series_in
from actions.series_chat import occurrence_line
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog, demo_id
from scheduling.desk.series import Occurrence, Unit
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import CUT, DOMAIN, book_once, offers_for, validate

NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 2, 14, tzinfo=UTC)  # a Wednesday
SMS = "sms:+17185550321"


@pytest.mark.parametrize(("said", "ask", "rest"), [
    ("a haircut every other tuesday at 10 until march",
     SeriesAsk(2, Unit.WEEKS, None, datetime(2027, 3, 1, tzinfo=NEW_YORK)),
     "a haircut tuesday at 10"),
    ("book me a beard trim weekly for 6 weeks", SeriesAsk(1, Unit.WEEKS, 6),
     "book me a beard trim"),
    ("a colour every 4 weeks, 3 times", SeriesAsk(4, Unit.WEEKS, 3), "a colour ,"),
    ("a blow-dry every friday at 5 for a month", SeriesAsk(1, Unit.WEEKS, 4),
     "a blow-dry friday at 5"),
    ("every other week on thursdays at 2pm for 3 months", SeriesAsk(2, Unit.WEEKS, 6),
     "on thursday at 2pm"),
    ("a cut every friday till march 15",
     SeriesAsk(1, Unit.WEEKS, None, datetime(2027, 3, 16, tzinfo=NEW_YORK)), "a cut friday"),
    ("fortnightly please", SeriesAsk(2, Unit.WEEKS), "please"),
    ("until the end of january", SeriesAsk(0, Unit.WEEKS, None,
                                           datetime(2027, 2, 1, tzinfo=NEW_YORK)), ""),
])
def test_the_repeating_words_are_read_and_taken_out(said: str, ask: SeriesAsk,
                                                    rest: str) -> None:
    assert series_in(said, NOW, NEW_YORK) == (ask, rest)


@pytest.mark.parametrize("said", ["a haircut next tuesday at 10", "every bit helps, friday 3pm",
                                  "a trim for 20 minutes", "until then",
                                  "I'm free every day this week, any time"])
def test_a_single_request_is_no_series(said: str) -> None:
    assert series_in(said, NOW, NEW_YORK) is None


def test_until_counts_the_dates_before_it() -> None:
    ask = SeriesAsk(2, Unit.WEEKS, None, datetime(2027, 3, 1, tzinfo=NEW_YORK))
    first = datetime(2026, 12, 8, 10, tzinfo=NEW_YORK)  # Dec 8, 22, Jan 5, 19, Feb 2, 16
    assert ask.starts_from(first) == 6


@pytest.mark.db
async def test_a_series_is_read_back_with_the_taken_date_and_booked_without_it(
    salon: Catalog, engine: AsyncEngine
) -> None:
    found, _ = await validate("a women's cut with ana every other tuesday at 10 for 8 weeks",
                              "book", sender=SMS)
    assert found["series"] == {"every": 2, "unit": "weeks", "count": 4, "until": None}
    assert found["service"] == CUT and found["requested_slot"] == "slot_choice"
    first = datetime.fromisoformat(found["when_start"]).astimezone(NEW_YORK)
    assert (first.strftime("%A"), first.hour) == ("Tuesday", 10)
    ana = str(demo_id("staff/ana"))
    third = first + timedelta(weeks=4)
    await book_once("+17185550999", taken=(third, ana))  # someone has the third date
    slots: dict[str, Any] = {k: found[k] for k in ("service", "staff", "when", "when_start",
                                                   "when_end", "series")}
    offers = await offers_for(**slots)
    slots |= {"suggestions": offers, "customer_name": "Jo Lee", "phone": "+17185550321",
              "email": "skip",
              "slot_choice": next(o for o in offers
                                  if datetime.fromisoformat(o["start"]) == first)}
    said = await _read_back(slots)
    assert "every 2 weeks, 4 times" in said
    assert said.count("\n") >= 5 and ": not free (free that day: 9 AM, 9:15 AM" in said
    assert "leave out" in said and f"{third:%B} {third.day}" in said.split("leave out")[1]
    assert "Shall I book them?" in said
    dispatcher = CollectingDispatcher()
    events = await ActionBook().run(dispatcher, tracker("yes", "affirm", {
        **slots, "booking_confirmed": True}, sender=SMS), DOMAIN)
    assert "You're booked: 3 Women's cut appointments" in dispatcher.messages[0]["text"]
    assert slots_of(events)["series"] is None
    async with engine.connect() as connection:
        rows = (await connection.execute(text(
            "SELECT a.starts_at, a.channel, a.series_id FROM appointments a "
            "JOIN customers c ON c.id = a.customer_id WHERE c.name = 'Jo Lee' "
            "AND a.series_id IS NOT NULL ORDER BY a.starts_at"))).all()
    assert [r.starts_at for r in rows] == [first + timedelta(weeks=n) for n in (0, 2, 6)]
    assert {r.channel for r in rows} == {"sms"} and len({r.series_id for r in rows}) == 1


@pytest.mark.db
async def test_a_count_said_at_the_question_changes_the_plan(salon: Catalog) -> None:
    found, _ = await validate("a women's cut every tuesday at 10", "book", sender=SMS)
    assert found["series"]["count"] is None
    again, _ = await validate("make it 3 times", "inform", sender=SMS,
                              requested="booking_confirmed",
                              **{k: found[k] for k in ("service", "staff", "series")})
    assert again["series"] == {"every": 1, "unit": "weeks", "count": 3, "until": None}
    once, _ = await validate("actually just once", "inform", sender=SMS,
                             requested="booking_confirmed",
                             **{k: found[k] for k in ("service", "staff", "series")})
    assert once["series"] is None


async def _read_back(slots: dict[str, Any]) -> str:
    dispatcher = CollectingDispatcher()
    await ActionAskBookingConfirmed().run(dispatcher, tracker("", slots=slots, sender=SMS),
                                          DOMAIN)
    return str(dispatcher.messages[0]["text"])


@pytest.mark.db
async def test_a_series_with_a_deposit_states_it_before_yes(salon: Catalog) -> None:
    found, _ = await validate("a colour every 4 weeks, 3 times, next friday at 11am", "book",
                              sender=SMS)
    slots: dict[str, Any] = {k: found[k] for k in ("service", "staff", "when", "when_start",
                                                   "when_end", "series")}
    offers = await offers_for(**slots)
    slots |= {"suggestions": offers, "slot_choice": offers[0], "customer_name": "Jo Lee"}
    said = await _read_back(slots)
    assert "every 4 weeks, 3 times" in said
    assert "Each date is its own booking. It needs a $30" in said


def test_a_date_the_salon_is_closed_is_said_closed() -> None:
    salon = demo_catalog()
    christmas = Occurrence(3, datetime(2026, 12, 25, 10, tzinfo=NEW_YORK), False)
    line = occurrence_line(christmas, NEW_YORK, list(salon.business.locations))
    assert line == ("3. Friday, December 25 at 10 AM: not free, we're closed on Friday, "
                    "December 25 for Christmas")
    taken = Occurrence(4, datetime(2027, 1, 8, 10, tzinfo=NEW_YORK), False)
    assert occurrence_line(taken, NEW_YORK, list(salon.business.locations)).endswith(
        ": not free (nothing free that day)")
