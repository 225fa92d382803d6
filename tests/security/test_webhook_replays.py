"""Webhook replays: a provider's retry (or anyone replaying a captured, validly signed request)
is not acted on twice. A Twilio SMS by its MessageSid, a voice step by its CallSid and step
number, a Google push by its channel and message number: the repeat reaches neither Rasa nor
the calendar sync, and gets the first answer again.
"""

from __future__ import annotations

import asyncio
from xml.etree import ElementTree

import pytest
from aiohttp.test_utils import TestClient, TestServer

from calendar_sync.connections import Connection
from tests.calendar_sync.conftest import (  # noqa: F401  (fixtures)
    calendar,
    cipher,
    config,
    google,
    insecure_oauth_transport,
    salon,
    store,
)
from tests.calendar_sync.test_sync import ANA, ana  # noqa: F401  (ana: a fixture)
from tests.fakes.google_calendar import FakeGoogle
from tests.gateway.conftest import FakeRasa
from tests.gateway.test_twilio import CALLER, post, said, twilio  # noqa: F401  (twilio: fixture)

pytestmark = pytest.mark.db
Client = TestClient  # type: ignore[type-arg]
Rasa = tuple[FakeRasa, TestServer]


def _xml(root: ElementTree.Element | None) -> str:
    assert root is not None
    return ElementTree.tostring(root, encoding="unicode")


async def test_a_retried_sms_reaches_rasa_once_and_gets_the_same_answer(
        twilio: Client, rasa: Rasa) -> None:  # noqa: F811
    form = {"From": CALLER, "Body": "a haircut on friday", "MessageSid": "SM" + "1" * 32}
    first_status, first = await post(twilio, "/twilio/sms", form)
    again_status, again = await post(twilio, "/twilio/sms", form)
    assert first_status == again_status == 200
    assert said(first) == said(again) == "echo a haircut on friday"
    assert len(rasa[0].received) == 1
    await post(twilio, "/twilio/sms", {**form, "MessageSid": "SM" + "2" * 32})
    assert len(rasa[0].received) == 2  # another message with the same words is a new turn


async def test_a_retry_during_the_first_delivery_waits_for_its_answer(
        twilio: Client, rasa: Rasa) -> None:  # noqa: F811
    rasa[0].delay = 0.5  # longer than the SMS timeout here: the answer is "one moment"
    form = {"From": CALLER, "Body": "any time tomorrow", "MessageSid": "SM" + "4" * 32}
    answers = await asyncio.gather(*(post(twilio, "/twilio/sms", form) for _ in range(3)))
    assert {status for status, _ in answers} == {200}
    assert len({_xml(root) for _, root in answers}) == 1
    assert len(rasa[0].received) == 1


async def test_a_retried_voice_step_reaches_rasa_once(twilio: Client, rasa: Rasa  # noqa: F811
                                                      ) -> None:
    call = {"From": CALLER, "CallSid": "CA" + "7" * 32}
    _, greeting = await post(twilio, "/twilio/voice", call)
    step = greeting.find("Gather") if greeting is not None else None
    assert step is not None and step.get("action")
    form = {**call, "SpeechResult": "a haircut"}
    first_status, first = await post(twilio, str(step.get("action")), form)
    again_status, again = await post(twilio, str(step.get("action")), form)
    assert first_status == again_status == 200 and _xml(first) == _xml(again)
    assert "echo a haircut" in said(first) and len(rasa[0].received) == 1
    following = first.find("Gather") if first is not None else None
    assert following is not None and following.get("action") != step.get("action")
    await post(twilio, str(following.get("action")), form)
    assert len(rasa[0].received) == 2  # the caller saying it again is the next step


async def test_an_unsigned_replay_records_nothing(twilio: Client, rasa: Rasa  # noqa: F811
                                                  ) -> None:
    form = {"From": CALLER, "Body": "hello", "MessageSid": "SM" + "3" * 32}
    status, _ = await post(twilio, "/twilio/sms", form, headers={"X-Twilio-Signature": "bad"})
    assert status == 403
    _, answer = await post(twilio, "/twilio/sms", form)
    assert said(answer) == "echo hello" and len(rasa[0].received) == 1


async def test_a_repeated_google_push_is_synced_once(google: FakeGoogle,  # noqa: F811
                                                     ana: Connection) -> None:  # noqa: F811
    listed = google.count("GET", "/calendars/primary/events")
    assert await google.push(ANA) == [200]
    assert await google.push(ANA, again=True) == [200]
    assert google.count("GET", "/calendars/primary/events") == listed + 1
    assert await google.push(ANA) == [200]
    assert google.count("GET", "/calendars/primary/events") == listed + 2
