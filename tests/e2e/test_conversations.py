"""Whole conversations through the real Rasa server, action server and Postgres.

`python -m assistant run` is started on free ports against the test database (it migrates,
seeds the demo salon and reuses the trained model); the tests talk to Rasa's REST channel as
the gateway does, with SMS, voice and web sender ids, and check what ends up in the database.
"""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.stack import RunningAssistant, query, truncate_all

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]

class Assistant(RunningAssistant):
    """The running system, spoken to through Rasa's REST channel as the gateway does."""

    def say(self, sender: str, text: str) -> tuple[str, list[dict[str, Any]]]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(
            f"{self.rasa_url}/webhooks/rest/webhook", data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            replies: list[dict[str, Any]] = json.loads(response.read())
        return " ".join(r.get("text", "") for r in replies), replies


@contextmanager
def assistant_running(database_url: str, folder: Path) -> Iterator[Assistant]:
    """The whole system on `database_url`, ready; stopped and the tables emptied afterwards
    (each conversation module starts its own, so none sees another's customers)."""
    running = Assistant(folder, DATABASE_URL=database_url)
    try:
        running.wait_ready()
        yield running
    finally:
        running.finish()
        truncate_all(database_url)


@pytest.fixture(scope="module")
def assistant(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with assistant_running(database_url, tmp_path_factory.mktemp("assistant")) as running:
        yield running


def conversation(assistant: Assistant, sender: str, turns: list[tuple[str, str]]) -> str:
    """Say each message and check each reply holds the expected words; the last reply."""
    reply = ""
    for message, expected in turns:
        reply, _ = assistant.say(sender, message)
        assert expected.lower() in reply.lower(), f"{message!r} -> {reply!r}"
    return reply


def book(assistant: Assistant, sender: str, request: str, name: str) -> str:
    return conversation(assistant, sender, [
        (request, "Here is what I have"), ("the first", "name"), (name, "email"),
        ("skip", "To confirm"), ("how much is it?", "$"), ("yes", "You're booked"),
    ])


def appointment_of(database_url: str, phone: str) -> list[tuple[Any, ...]]:
    return query(database_url, "SELECT a.status, a.starts_at, a.cancel_fee FROM appointments a "
                 "JOIN customers c ON c.id = a.customer_id WHERE c.phone = %s "
                 "ORDER BY a.created_at", phone)


def test_greeting_offers_booking(assistant: Assistant) -> None:
    assert "book" in assistant.say("web-greet", "hello")[0]


def test_book_by_sms_then_cancel_free(assistant: Assistant, database_url: str) -> None:
    reply = book(assistant, "sms:+17185550111", "I'd like a women's cut next Wednesday at 10am",
                 "Jordan Lee")
    assert re.search(r"reference is [0-9A-F]{8}", reply)
    assert [row[0] for row in appointment_of(database_url, "+17185550111")] == ["confirmed"]
    conversation(assistant, "sms:+17185550111", [
        ("cancel my appointment", "Cancelling now is free"), ("yes", "is cancelled"),
    ])
    assert appointment_of(database_url, "+17185550111")[0][0] == "cancelled"


def test_reschedule_by_sms(assistant: Assistant, database_url: str) -> None:
    book(assistant, "sms:+17185550122", "can I book a men's cut next thursday at 2pm", "Alex Kim")
    conversation(assistant, "sms:+17185550122", [
        ("move my appointment", "day and time"), ("next friday at 11am", "Here is what I have"),
        ("the first", "Shall I move it"), ("yes", "new reference"),
    ])
    rows = appointment_of(database_url, "+17185550122")
    assert [row[0] for row in rows] == ["rescheduled", "confirmed"]
    assert rows[1][1] != rows[0][1]


def test_late_cancel_states_and_charges_the_fee(assistant: Assistant, database_url: str) -> None:
    book(assistant, "sms:+17185550133", "book a beard trim, the earliest you have", "Sam Patel")
    start = appointment_of(database_url, "+17185550133")[0][1]
    late = start - datetime.now(UTC) < timedelta(hours=24)
    conversation(assistant, "sms:+17185550133", [
        ("cancel my booking", "fee of $25" if late else "free"), ("yes", "cancelled"),
    ])
    status, _, fee = appointment_of(database_url, "+17185550133")[0]
    assert (status, float(fee or 0)) == (("late_cancel", 25.0) if late else ("cancelled", 0.0))


def test_waitlist_on_the_web(assistant: Assistant, database_url: str) -> None:
    conversation(assistant, "web-waitlist", [
        ("put me on the waitlist for a colour next friday", "name"),
        ("Maria Garcia", "phone"), ("(212) 555-0147", "email"),
        ("maria.g@example.org", "waitlist"), ("yes", "on the waitlist"),
    ])
    rows = query(database_url, "SELECT w.status FROM waitlist_entries w JOIN customers c "
                 "ON c.id = w.customer_id WHERE c.email = 'maria.g@example.org'")
    assert rows == [("waiting",)]


def test_web_visitor_proves_identity_with_a_code(assistant: Assistant, database_url: str) -> None:
    conversation(assistant, "web-code", [
        ("show my appointments", "check it's you"), ("+17185550122", "six digit code"),
    ])
    code = query(database_url, "SELECT payload->>'code' FROM outbox "
                 "WHERE kind = 'verification_code' ORDER BY created_at DESC LIMIT 1")[0][0]
    reply = conversation(assistant, "web-code", [(code, "Here is what you have booked")])
    assert "Men's cut" in reply


def test_a_caller_asks_for_a_person(assistant: Assistant, database_url: str) -> None:
    text, replies = assistant.say("voice:+17185550144", "I want to speak to a human")
    assert "put you through" in text
    assert any(r.get("custom", {}).get("handoff") for r in replies)
    rows = query(database_url, "SELECT payload->>'channel' FROM outbox WHERE kind = 'handoff'")
    assert rows == [("voice",)]


def test_a_time_taken_before_yes_is_apologised_for_and_replaced(
    assistant: Assistant, database_url: str,
) -> None:
    request = "I'd like a women's cut next thursday at 3pm"
    conversation(assistant, "sms:+17185550155", [
        (request, "Here is what I have"), ("the first", "name"), ("Rita Ross", "email"),
        ("skip", "To confirm"),
    ])
    book(assistant, "sms:+17185550166", request, "Ben Bell")  # takes that same first offer
    conversation(assistant, "sms:+17185550155", [
        ("yes", "someone has just taken that time"), ("the first", "To confirm"),
        ("yes", "You're booked"),
    ])
    booked = [query(database_url, "SELECT a.status, a.starts_at, a.staff_id FROM appointments a "
                    "JOIN customers c ON c.id = a.customer_id WHERE c.phone = %s", phone)
              for phone in ("+17185550155", "+17185550166")]
    assert [len(rows) for rows in booked] == [1, 1]
    (lost_status, *lost_slot), (won_status, *won_slot) = booked[0][0], booked[1][0]
    assert (lost_status, won_status) == ("confirmed", "confirmed")
    assert lost_slot != won_slot  # another time, or the same time with another stylist


def test_a_waitlisted_customer_claims_the_time_a_cancellation_frees(
    assistant: Assistant, database_url: str,
) -> None:
    conversation(assistant, "sms:+17185550177", [
        ("put me on the waitlist for a blow-dry next tuesday", "name"), ("Wen Wu", "email"),
        ("skip", "waitlist"), ("yes", "on the waitlist"),
    ])
    book(assistant, "sms:+17185550188", "a blow-dry next tuesday at 11am please", "Cal Cole")
    (_, freed_start, _), = appointment_of(database_url, "+17185550188")
    conversation(assistant, "sms:+17185550188", [
        ("cancel my appointment", "cancel"), ("yes", "is cancelled"),
    ])
    conversation(assistant, "sms:+17185550177", [
        ("I'll take the slot you offered", "Shall I book it"), ("yes", "It's yours"),
    ])
    assert appointment_of(database_url, "+17185550177") == [("confirmed", freed_start, None)]
    rows = query(database_url, "SELECT w.status FROM waitlist_entries w JOIN customers c "
                 "ON c.id = w.customer_id WHERE c.phone = '+17185550177'")
    assert rows == [("claimed",)]
