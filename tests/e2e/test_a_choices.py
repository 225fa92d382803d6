"""Issue 18, kinds 5 and 6 through the real Rasa server, action server and Postgres: an
ambiguous cut is asked about, the time and person said pick that offer, two services are
booked back to back from one "yes", and a correction at the read-back is said back and booked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.test_c_constraints import offers_in
from tests.e2e.test_conversations import Assistant, assistant_running, conversation
from tests.stack import query

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]

NEW_YORK = ZoneInfo("America/New_York")
WITH = re.compile(r" with (\w+)")


@pytest.fixture(scope="module")
def assistant(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with assistant_running(database_url, tmp_path_factory.mktemp("assistant-a")) as running:
        yield running


def booked(database_url: str, phone: str) -> list[tuple[Any, ...]]:
    return query(database_url, "SELECT s.name, a.starts_at, a.ends_at, st.name FROM appointments a"
                 " JOIN services s ON s.id = a.service_id JOIN staff st ON st.id = a.staff_id"
                 " WHERE a.contact_phone = %s ORDER BY a.starts_at", phone)


def test_a_cut_and_a_trim_asked_picked_by_time_and_person_and_booked_back_to_back(
    assistant: Assistant, database_url: str,
) -> None:
    sender, phone = "sms:+17185550941", "+17185550941"
    reply, _ = assistant.say(sender, "can I get a haircut and a beard trim next tuesday")
    assert "Women's cut or men's cut?" in reply and "beard trim straight after" in reply, reply
    reply, _ = assistant.say(sender, "men's")
    offers = offers_in(reply)
    assert len(offers) >= 2, reply
    start, rest = offers[1]
    person = WITH.search(rest)
    assert person, reply
    said = f"{start:%-I:%M} with {person[1]}"  # the second offer by its time and person
    reply = conversation(assistant, sender, [(said, "name"), ("Jo Tester", "email")])
    reply, _ = assistant.say(sender, "skip")
    assert "To confirm: Men's cut" in reply and ", then Beard trim with" in reply, reply
    assert "Shall I book them?" in reply, reply
    conversation(assistant, sender, [("yes", "Also booked: Beard trim")])
    rows = booked(database_url, phone)
    assert [row[0] for row in rows] == ["Men's cut", "Beard trim"], rows
    cut, trim = rows
    assert cut[1].astimezone(NEW_YORK) == start and cut[3] == person[1], (said, rows)
    assert cut[2] <= trim[1] <= cut[2] + timedelta(minutes=30), rows


def test_a_new_day_at_the_read_back_is_said_back_and_booked(
    assistant: Assistant, database_url: str,
) -> None:
    sender, phone = "sms:+17185550942", "+17185550942"
    reply, _ = assistant.say(sender, "a men's cut next wednesday please")
    assert offers_in(reply), reply
    conversation(assistant, sender, [("the first", "name"), ("Sam Tester", "email"),
                                     ("skip", "To confirm")])
    reply, _ = assistant.say(sender, "actually make it thursday")
    offers = offers_in(reply)
    thursday = "tomorrow" if datetime.now(NEW_YORK).weekday() == 2 else "Thursday"
    assert reply.startswith(f"OK, {thursday}") and "instead." in reply, reply
    assert offers and all(start.weekday() == 3 for start, _ in offers), reply
    conversation(assistant, sender, [("the first", "To confirm: Men's cut"),
                                     ("yes", "You're booked")])
    [(service, starts_at, _, _)] = booked(database_url, phone)
    assert service == "Men's cut" and starts_at.astimezone(NEW_YORK) == offers[0][0]
