"""Twilio webhooks: signatures checked against the public URL, SMS keywords and turns, voice
turns with speech hints, reprompts and goodbye, handoff, and slow turns picked up later."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import psycopg
import pytest
from aiohttp.test_utils import TestClient, TestServer
from twilio.request_validator import RequestValidator

from assistant.gateway import conversation
from assistant.gateway.app import create_app
from tests.gateway.conftest import FakeRasa, gateway_settings

pytestmark = pytest.mark.db
TOKEN = "twilio-test-token"
PUBLIC = "https://booking.example.com"
CALLER = "+15550004001"


@pytest.fixture
async def twilio(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],
                 demo: None) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    settings = gateway_settings(database_url, tmp_path, rasa[1].port,
                                twilio_auth_token=TOKEN, public_url=PUBLIC)
    app = create_app(settings)
    app[conversation.TIMEOUTS] = conversation.Timeouts(voice=0.3, sms=0.3)
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()


def signed(path: str, form: dict[str, str], token: str = TOKEN, base: str = PUBLIC
           ) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(base + path, form)}


async def post(client: TestClient, path: str, form: dict[str, str], **kw: Any  # type: ignore[type-arg]
               ) -> tuple[int, ElementTree.Element | None]:
    headers = kw["headers"] if "headers" in kw else signed(path, form)
    response = await client.post(path, data=form, headers=headers)
    text = await response.text()
    return response.status, ElementTree.fromstring(text) if response.status == 200 else None


def said(root: ElementTree.Element | None) -> str:
    return " ".join(e.text or "" for e in (root.iter() if root is not None else [])
                    if e.tag in ("Say", "Message", "Body"))


@pytest.mark.parametrize("headers", [
    {}, {"X-Twilio-Signature": "bm90IGEgc2lnbmF0dXJl"},
    signed("/twilio/sms", {"From": CALLER, "Body": "hi"}, token="another-token"),
    signed("/twilio/sms", {"From": CALLER, "Body": "hi"}, base="http://127.0.0.1:8000"),
])
async def test_unsigned_or_wrong_is_refused_and_not_forwarded(
        twilio: TestClient, rasa: tuple[FakeRasa, TestServer], headers: dict[str, str]) -> None:  # type: ignore[type-arg]
    for path in ("/twilio/sms", "/twilio/voice", "/twilio/voice/gather"):
        status, _ = await post(twilio, path, {"From": CALLER, "Body": "hi"}, headers=headers)
        assert status == 403
    assert rasa[0].received == []


async def test_proxy_headers_only_count_when_trusted(
        database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer], demo: None) -> None:
    form = {"From": CALLER, "Body": "hi"}
    headers = {**signed("/twilio/sms", form, base="https://proxy.example.org"),
               "X-Forwarded-Proto": "https", "X-Forwarded-Host": "proxy.example.org"}
    for trust, expected in ((False, 403), (True, 200)):
        settings = gateway_settings(database_url, tmp_path, rasa[1].port,
                                    twilio_auth_token=TOKEN, trust_proxy=trust)
        async with TestClient(TestServer(create_app(settings))) as client:
            status, _ = await post(client, "/twilio/sms", form, headers=headers)
            assert status == expected


async def test_sms_turn_keeps_the_number_as_the_conversation(
        twilio: TestClient, rasa: tuple[FakeRasa, TestServer]) -> None:  # type: ignore[type-arg]
    fake = rasa[0]
    fake.reply = lambda body: [{"text": "Which one?", "buttons": [
        {"title": "Haircut", "payload": "/a"}, {"title": "Colour", "payload": "/b"}]}]
    status, root = await post(twilio, "/twilio/sms", {"From": CALLER, "Body": "book please"})
    assert status == 200 and said(root) == "Which one?\n1. Haircut\n2. Colour"
    assert fake.received == [{"sender": f"sms:{CALLER}", "message": "book please",
                              "metadata": {"channel": "sms", "phone": CALLER}}]


async def test_stop_start_help(twilio: TestClient, rasa: tuple[FakeRasa, TestServer],  # type: ignore[type-arg]
                               database_url: str) -> None:
    def opted_out() -> bool:
        with psycopg.connect(database_url) as db:
            return db.execute("SELECT 1 FROM sms_opt_outs WHERE phone = %s",
                              (CALLER,)).fetchone() is not None

    _, root = await post(twilio, "/twilio/sms", {"From": CALLER, "Body": "Stop"})
    assert "unsubscribed" in said(root) and opted_out()
    _, root = await post(twilio, "/twilio/sms", {"From": CALLER, "Body": "yes"})
    assert "re-subscribed" in said(root) and not opted_out()
    _, root = await post(twilio, "/twilio/sms", {"From": CALLER, "Body": "Yes"})
    assert said(root) == "echo Yes"
    rasa[0].received.clear()
    await post(twilio, "/twilio/sms", {"From": CALLER, "Body": "STOP"})
    _, root = await post(twilio, "/twilio/sms", {"From": CALLER, "Body": "START"})
    assert "re-subscribed" in said(root) and not opted_out()
    _, root = await post(twilio, "/twilio/sms", {"From": CALLER, "Body": "help"})
    assert "Shear Delight Salon" in said(root)
    assert rasa[0].received == []


async def test_slow_sms_turn_is_collected_by_the_continuation(
        twilio: TestClient, rasa: tuple[FakeRasa, TestServer]) -> None:  # type: ignore[type-arg]
    rasa[0].delay = 0.6
    status, root = await post(twilio, "/twilio/sms", {"From": CALLER, "Body": "hello"})
    assert status == 200 and root is not None and "One moment" in said(root)
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text
    await asyncio.sleep(0.5)
    _, later = await post(twilio, redirect.text, {"From": CALLER, "Body": "hello"})
    assert said(later) == "echo hello" and len(rasa[0].received) == 1


async def test_voice_greets_with_hints_and_speaks_naturally(
        twilio: TestClient, rasa: tuple[FakeRasa, TestServer]) -> None:  # type: ignore[type-arg]
    form = {"From": CALLER, "CallSid": "CA123"}
    _, root = await post(twilio, "/twilio/voice", form)
    assert root is not None and "Shear Delight Salon" in said(root)
    gather = root.find("Gather")
    assert gather is not None and gather.get("input") == "speech dtmf"
    assert "Men's cut" in (gather.get("hints") or "") and "Ana" in (gather.get("hints") or "")
    rasa[0].reply = lambda body: [{"text": "Here is what I have:\n1. Tuesday, November 24 at "
                                           "3:15 PM with Ana\n2. Wednesday, November 25 at 9 AM "
                                           "with Marcus\nWhich one? It costs $1,040."}]
    _, root = await post(twilio, "/twilio/voice/gather", {**form, "SpeechResult": "a haircut"})
    text = said(root)
    assert "November 24th at 3 15 p.m. with Ana: press 1 or say the first." in text
    assert "1040 dollars" in text and "$" not in text
    _, root = await post(twilio, "/twilio/voice/gather", {**form, "Digits": "2"})
    assert rasa[0].received[-1]["message"] == "the second"
    assert rasa[0].received[-1]["metadata"] == {"channel": "voice", "call_sid": "CA123",
                                                 "phone": CALLER}


async def test_voice_silence_reprompts_then_says_goodbye(twilio: TestClient) -> None:  # type: ignore[type-arg]
    form = {"From": CALLER, "CallSid": "CA124"}
    _, first = await post(twilio, "/twilio/voice/silence?count=1", form)
    assert first is not None and first.find("Gather") is not None and "didn't catch" in said(first)
    _, second = await post(twilio, "/twilio/voice/silence?count=2", form)
    assert second is not None and second.find("Hangup") is not None
    assert "goodbye" in said(second)


async def test_voice_handoff_dials_the_business(
        twilio: TestClient, rasa: tuple[FakeRasa, TestServer]) -> None:  # type: ignore[type-arg]
    rasa[0].reply = lambda body: [{"text": "I'll put you through."}, {"custom": {"handoff": True}}]
    _, root = await post(twilio, "/twilio/voice/gather",
                         {"From": CALLER, "CallSid": "CA125", "SpeechResult": "a person"})
    dial = root.find("Dial") if root is not None else None
    assert dial is not None and (dial.text or "").startswith("+")


async def test_slow_voice_turn_says_one_moment_and_redirects(
        twilio: TestClient, rasa: tuple[FakeRasa, TestServer]) -> None:  # type: ignore[type-arg]
    rasa[0].delay = 0.6
    form = {"From": CALLER, "CallSid": "CA126", "SpeechResult": "tomorrow"}
    _, root = await post(twilio, "/twilio/voice/gather", form)
    redirect = root.find("Redirect") if root is not None else None
    assert redirect is not None and redirect.text and "One moment" in said(root)
    await asyncio.sleep(0.5)
    _, later = await post(twilio, redirect.text, {"From": CALLER, "CallSid": "CA126"})
    assert "echo tomorrow" in said(later)
