"""Issue 18, kinds 7-9 through the real Rasa server, action server and Postgres: a returning
customer texting from the number they booked with, a recurring request by SMS, and a move
asked with its new time on the web, each checked in the database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.test_conversations import Assistant, assistant_running, conversation
from tests.stack import query

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]

NEW_YORK = ZoneInfo("America/New_York")


@pytest.fixture(scope="module")
def assistant(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with assistant_running(database_url, tmp_path_factory.mktemp("assistant-b")) as running:
        yield running


def weekday_in(days: int) -> str:
    """The name of the first Tuesday to Friday at least `days` ahead (every stylist works)."""
    day = datetime.now(NEW_YORK) + timedelta(days=days)
    while day.weekday() not in (1, 2, 3, 4):
        day += timedelta(days=1)
    return day.strftime("%A")


def test_a_customer_texting_from_their_number_books_the_usual_without_details(
    assistant: Assistant, database_url: str
) -> None:
    conversation(assistant, "web-b-first-visit", [
        (f"a men's cut on {weekday_in(3)} at 11am", "which one would you like"),
        ("the first", "name"), ("Robin Hale", "phone"), ("+17185550411", "email"),
        ("skip", "To confirm"), ("yes", "You're booked"),
    ])
    reply = conversation(assistant, "sms:+17185550411", [
        ("hi, same as last time please", "Welcome back, Robin"),
    ])
    assert "Same as last time: Men's cut with" in reply and "Which one would you like" in reply
    conversation(assistant, "sms:+17185550411", [
        ("the first", "To confirm"), ("yes", "You're booked"),
    ])
    rows = query(database_url, "SELECT s.name, a.staff_id, a.channel FROM appointments a "
                 "JOIN services s ON s.id = a.service_id "
                 "WHERE a.contact_phone = '+17185550411' ORDER BY a.created_at")
    assert [(r[0], r[2]) for r in rows] == [("Men's cut", "web"), ("Men's cut", "sms")]
    assert rows[0][1] == rows[1][1]  # the same person as last time


def test_a_recurring_request_by_sms_is_booked_as_one_series(
    assistant: Assistant, database_url: str
) -> None:
    reply = conversation(assistant, "sms:+17185550422", [
        ("can I book a beard trim with priya every other thursday at 2pm for 6 weeks",
         "Which one would you like"),
        ("the first", "name"), ("Sasha Brook", "email"), ("skip", "every 2 weeks, 3 times"),
    ])
    dates = [line for line in reply.splitlines() if line[:2] in ("1.", "2.", "3.")]
    assert len(dates) == 3 and "Shall I book them?" in reply
    conversation(assistant, "sms:+17185550422", [("yes", "You're booked: 3 Beard trim")])
    rows = query(database_url, "SELECT a.starts_at, a.series_id, a.channel FROM appointments a "
                 "WHERE a.contact_phone = '+17185550422' ORDER BY a.starts_at")
    assert len(rows) == 3 and len({r[1] for r in rows}) == 1 and rows[0][1] is not None
    assert [r[0] - rows[0][0] for r in rows] == [timedelta(0), timedelta(weeks=2),
                                                 timedelta(weeks=4)]
    assert {r[2] for r in rows} == {"sms"}


def test_a_move_asked_with_its_time_on_the_web_keeps_it_through_the_code(
    assistant: Assistant, database_url: str
) -> None:
    conversation(assistant, "sms:+17185550433", [
        (f"a blow-dry on {weekday_in(2)} at 10am", "Which one would you like"),
        ("the first", "name"), ("Kim Ode", "email"), ("skip", "To confirm"),
        ("yes", "You're booked"),
    ])
    day = weekday_in(5)
    conversation(assistant, "web-b-move", [
        (f"can you move my appointment to {day} afternoon", "check it's you"),
        ("+17185550433", "six digit code"),
    ])
    code = query(database_url, "SELECT payload->>'code' FROM outbox "
                 "WHERE kind = 'verification_code' ORDER BY created_at DESC LIMIT 1")[0][0]
    reply, replies = assistant.say("web-b-move", str(code))
    assert "Welcome back" in reply and "What day and time" not in reply
    offers = [b["title"] for r in replies for b in r.get("buttons") or []]
    assert offers and all(day in title for title in offers), offers


def test_my_usual_on_the_web_is_booked_after_the_code(
    assistant: Assistant, database_url: str
) -> None:
    conversation(assistant, "sms:+17185550444", [
        (f"a women's cut on {weekday_in(2)} at 2pm", "which one would you like"),
        ("the first", "name"), ("Ari Moss", "email"), ("skip", "To confirm"),
        ("yes", "You're booked"),
    ])
    conversation(assistant, "web-b-usual", [
        ("hi, can I book my usual please", "once I know it's you"),
        ("718 555 0444", "six digit code"),
    ])
    code = query(database_url, "SELECT payload->>'code' FROM outbox "
                 "WHERE kind = 'verification_code' ORDER BY created_at DESC LIMIT 1")[0][0]
    conversation(assistant, "web-b-usual", [
        (str(code), "Same as last time: Women's cut with"), ("the first", "To confirm"),
        ("yes", "You're booked"),
    ])
    rows = query(database_url, "SELECT a.channel, a.contact_phone FROM appointments a "
                 "JOIN services s ON s.id = a.service_id WHERE s.name = 'Women''s cut' "
                 "AND a.customer_id = (SELECT id FROM customers WHERE name = 'Ari Moss') "
                 "ORDER BY a.created_at")
    assert rows == [("sms", "+17185550444"), ("web", "+17185550444")]
