"""End to end through the gateway with the real Rasa, action server and database: a booking
made in a browser through the widget and found in the admin dashboard (screenshots under
test-artifacts/), and whole SMS and voice conversations that end in a booking."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from twilio.request_validator import RequestValidator

from assistant.settings import PROJECT_ROOT
from tests.gateway.stack import ADMIN, TWILIO_TOKEN, Stack, answer_for

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]
ARTIFACTS = PROJECT_ROOT / "test-artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def stack(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(database_url, tmp_path_factory.mktemp("stack"))
    try:
        running.wait_ready()
        yield running
    finally:
        running.stop()


def bookings_for(stack: Stack, phone: str) -> list[tuple[object, ...]]:
    return stack.query("SELECT a.status, a.channel FROM appointments a JOIN customers c ON "
                       "c.id = a.customer_id WHERE c.phone = %s", phone)


def _last_bot(page: Page, count: int) -> str:
    messages = page.locator(".bw-bot")
    expect(messages).not_to_have_count(count, timeout=60_000)
    return messages.last.inner_text()


def test_widget_booking_shows_up_in_the_admin(stack: Stack) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    phone = "+12125550101"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(stack.url + "/")
        page.get_by_role("button", name="Book an appointment").click()
        seen, tapped = 0, False
        reply = _last_bot(page, seen)
        for _ in range(12):
            seen = page.locator(".bw-bot").count()
            said = answer_for(reply, "Dana Fox", phone)
            if said is None:
                break
            offers = page.locator(".bw-choices").last.get_by_role("button")
            if said == "the first" and offers.count():
                page.screenshot(path=str(ARTIFACTS / "widget-offers.png"))
                offers.nth(1).click()  # the offers are buttons: tap the second
                tapped = True
            else:
                page.get_by_label("Your message").fill(said)
                page.keyboard.press("Enter")
            reply = _last_bot(page, seen)
        assert "booked" in reply.lower() and tapped, reply
        page.screenshot(path=str(ARTIFACTS / "widget-desktop.png"))
        page.reload()
        expect(page.locator(".bw-bot").last).to_contain_text("booked")
        page.set_viewport_size({"width": 375, "height": 740})
        page.screenshot(path=str(ARTIFACTS / "widget-375.png"))

        page.goto(stack.url + "/admin/appointments")
        page.get_by_label("E-mail").fill(ADMIN[0])
        page.get_by_label("Password").fill(ADMIN[1])
        page.get_by_role("button", name="Log in").click()
        row = page.locator("#appointments tr", has_text="Men's cut")
        expect(row.first).to_contain_text("web")
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=str(ARTIFACTS / "admin-appointments.png"), full_page=True)
        page.goto(stack.url + "/admin/analytics")
        page.screenshot(path=str(ARTIFACTS / "admin-analytics.png"), full_page=True)
        browser.close()
    assert bookings_for(stack, phone) == [("confirmed", "web")]


def twilio_post(stack: Stack, path: str, form: dict[str, str]) -> ElementTree.Element:
    url = stack.url + path
    signature = RequestValidator(TWILIO_TOKEN).compute_signature(url, form)
    request = urllib.request.Request(url, data=urlencode(form).encode(),
                                     headers={"X-Twilio-Signature": signature})
    with urllib.request.urlopen(request, timeout=60) as response:
        return ElementTree.fromstring(response.read())


def spoken(root: ElementTree.Element) -> str:
    return " ".join(e.text or "" for e in root.iter() if e.tag in ("Say", "Message", "Body"))


def test_sms_conversation_books(stack: Stack) -> None:
    phone = "+15550009002"
    reply = ""
    for _ in range(12):
        said = answer_for(reply, "Sam Reed", phone) if reply else "I'd like a men's cut " \
            "next thursday at 2pm"
        if said is None:
            break
        reply = spoken(twilio_post(stack, "/twilio/sms", {"From": phone, "Body": said}))
    assert "booked" in reply.lower(), reply
    assert bookings_for(stack, phone) == [("confirmed", "sms")]


def test_voice_call_books(stack: Stack) -> None:
    phone = "+15550009003"
    call = {"From": phone, "CallSid": "CAe2e0001"}
    root = twilio_post(stack, "/twilio/voice", call)
    assert "Shear Delight Salon" in spoken(root)
    reply, said = "", "I'd like a men's cut next friday at 11am"
    for _ in range(12):
        root = twilio_post(stack, "/twilio/voice/gather", {**call, "SpeechResult": said})
        while (redirect := root.find("Redirect")) is not None and redirect.text and \
                "continue" in redirect.text:
            root = twilio_post(stack, redirect.text, call)
        reply = spoken(root)
        next_said = answer_for(reply.replace("press 1 or say the first", ""), "Lee Moss", phone)
        if next_said is None:
            break
        said = next_said
    assert "booked" in reply.lower(), reply
    assert bookings_for(stack, phone) == [("confirmed", "voice")]
