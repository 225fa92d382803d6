"""One appointment, one way of saying its time: the chat's words for it (actions.speech) and
the messages sent about it (the notification renderer: SMS and e-mail) carry the same clock
text and the same zone note. Before scheduling.formats the chat said "1:30 pm" while the SMS
said "13:30"."""

from __future__ import annotations

import re
from datetime import timedelta
from uuid import uuid4
from zoneinfo import ZoneInfo

import pytest

from actions import speech
from assistant.notifications.render import Renderer
from scheduling import formats
from scheduling.booking.model import Appointment, Channel, Status
from tests.booking.booking_builders import NOW, ny
from tests.notifications.conftest import BASE_URL, SECRET
from tests.notifications.messages import SALON, audience, payload

RENDERER = Renderer(SECRET, BASE_URL)
CLOCK = re.compile(r"\b\d{1,2}(?::\d{2})? [AP]M\b")
START = ny(3, 15, 10, 30)  # between the US and the UK clock changes: 2:30 PM in London


def booked(zone: str) -> Appointment:
    catalog = SALON.catalog
    service, staff = catalog.services[0], catalog.staff[0]
    return Appointment(
        uuid4(), catalog.business.id, SALON.customers[1].id, service.id, staff.id,
        catalog.business.locations[0].id, START, START + service.duration, timedelta(0),
        timedelta(0), zone, Status.CONFIRMED, Channel.SMS, NOW, NOW)


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London"])
def test_chat_sms_and_email_say_the_same_time(zone: str) -> None:
    appointment = booked(zone)
    chat = speech.appointment_text(appointment, SALON.catalog, NOW)
    data = payload(START, customer_time_zone=zone)
    told = {kind: RENDERER.render(kind, data, audience(zone), NOW)
            for kind in ("confirmation", "reminder")}
    clock = formats.clock(START, ZoneInfo(zone))
    note = formats.zone_note(START, ZoneInfo(zone), SALON.catalog.business.zone)
    assert CLOCK.findall(chat) == [clock] and chat.endswith(f"at {clock}{note}"), chat
    for kind, message in told.items():
        sms = message.sms or ""
        assert CLOCK.search(sms) and CLOCK.findall(sms)[0] == clock, (kind, sms)
        assert f"{clock}{note}" in sms, (kind, sms)
        assert CLOCK.findall(message.text)[0] == clock, (kind, message.text)
    assert ("(GMT)" in chat) == (zone == "Europe/London")
