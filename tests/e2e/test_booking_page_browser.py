"""Booking through `/book` in Chromium: at 1280 px by mouse, at 375 px by keyboard alone (Tab
to each choice, Enter to take it, typing into the fields), with a screenshot and axe-core on
every step and no sideways scrolling on the phone; the code read from the SMS the system
sent. Then the embed: a page on another origin frames the booking page with the widget's
booking mode (and an origin not listed cannot), and the chat widget's link opens /book."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Browser, Page

from assistant.embedded_db import free_port
from tests.browser import DESKTOP, PHONE, check_page, chromium, fits_width, press_enter
from tests.gateway import conftest as gateway_fixtures
from tests.gateway.booking_flow import Client, Factory, gateway_with, rows, sent_code

pytestmark = [pytest.mark.db, pytest.mark.slow]
rasa, demo, gateway = gateway_fixtures.rasa, gateway_fixtures.demo, gateway_fixtures.gateway
"""The gateway of tests/gateway: the demo salon on the test database, a stand-in Rasa."""


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


async def _step(page: Page, name: str, width: int) -> str:
    """Screenshot and axe-core for the step as it is; its heading."""
    await page.wait_for_load_state()
    await check_page(page, f"book-{width}-{name}")
    assert await page.evaluate(fits_width(width)), f"{name} scrolls sideways at {width} px"
    return await page.locator("h1").inner_text()


async def _tab_to(page: Page, wanted: str, most: int = 60) -> None:
    """Press Tab until the focused element reads `wanted` (its text, label or name)."""
    for _ in range(most):
        await page.keyboard.press("Tab")
        focused = await page.evaluate(
            "() => { const e = document.activeElement; return [e.innerText || '', "
            "e.getAttribute('aria-label') || '', e.labels && e.labels[0] ? "
            "e.labels[0].innerText : ''].join('|') }")
        if any(part.strip().startswith(wanted) for part in focused.split("|")):
            return
    raise AssertionError(f"Tab never reached {wanted!r}")


async def _press(page: Page, wanted: str) -> None:
    await _tab_to(page, wanted)
    await press_enter(page)


async def _type(page: Page, label: str, value: str) -> None:
    await _tab_to(page, label)
    await page.keyboard.type(value)


async def test_booking_by_mouse_at_1280_px(
    browser: Browser, gateway: Client, session_factory: Factory,
) -> None:
    context = await browser.new_context(viewport=DESKTOP,  # type: ignore[arg-type]
                                        bypass_csp=True)  # axe-core goes in as a script tag
    page = await context.new_page()
    await page.goto(str(gateway.make_url("/book")))
    assert await _step(page, "services", 1280) == "Book an appointment"
    await page.get_by_role("button", name="Women's cut").click()
    assert await _step(page, "staff", 1280) == "Who would you like?"
    await page.get_by_role("button", name="Ana", exact=True).click()
    assert await _step(page, "times", 1280) == "Choose a time"
    await page.locator("ul.times button").first.click()
    assert await _step(page, "details", 1280) == "Your details"
    await page.get_by_label("Your name").fill("Dana Reyes")
    await page.get_by_label("Mobile phone").fill("212 555 0142")
    await page.get_by_role("button", name="Send my code").click()
    assert await _step(page, "code", 1280) == "Enter your code"
    await page.get_by_label("Code").fill(await sent_code(gateway, session_factory))
    await page.get_by_role("button", name="Check my code").click()
    assert await _step(page, "confirm", 1280) == "Confirm your booking"
    await page.get_by_role("button", name="Confirm booking").click()
    assert await _step(page, "booked", 1280) == "You're booked"

    assert await rows(session_factory, "SELECT status, contact_name FROM appointments") == [
        ("confirmed", "Dana Reyes")]
    await context.close()


async def test_booking_by_keyboard_alone_at_375_px(
    browser: Browser, gateway: Client, session_factory: Factory,
) -> None:
    context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                        bypass_csp=True, has_touch=True, is_mobile=True)
    page = await context.new_page()
    await page.goto(str(gateway.make_url("/book")))
    await _step(page, "services", 375)
    await _press(page, "Colour")
    await _step(page, "staff", 375)
    await _press(page, "Anyone available")
    await _step(page, "times", 375)
    await _press(page, "Next week")  # Colour needs a day's notice: its first times may be late
    await _step(page, "times-next", 375)
    first = await page.locator("ul.times button").first.get_attribute("aria-label")
    assert first
    await _press(page, first)
    assert await _step(page, "details", 375) == "Your details"
    await _press(page, "Send my code")  # nothing typed: each field says what it needs
    assert await _step(page, "details-errors", 375) == "Your details"
    await _type(page, "Your name", "Sam Lee")
    await _type(page, "Mobile phone", "+1 212 555 0177")
    await _press(page, "Send my code")
    assert await _step(page, "code", 375) == "Enter your code"
    await _type(page, "Code", await sent_code(gateway, session_factory, "+12125550177"))
    await press_enter(page)
    assert await _step(page, "confirm", 375) == "Confirm your booking"
    # Deposits are paid at the salon unless the owner takes them online (issue 17).
    assert "A $30 deposit is to be paid at the salon" in await page.locator("main").inner_text()
    await _press(page, "Confirm booking")
    assert await _step(page, "booked", 375) == "You're booked"
    assert "deposit is to be paid at the salon" in await page.locator("main").inner_text()

    assert await rows(session_factory, "SELECT status, contact_phone FROM appointments") == [
        ("confirmed", "+12125550177")]
    await context.close()


def _shop(gateway_url: str) -> web.Application:
    """The business's own site: one page with the widget's tag in booking mode."""
    async def home(request: web.Request) -> web.Response:
        return web.Response(content_type="text/html", text=(
            "<!doctype html><html lang='en'><title>Our salon</title><h1>Our salon</h1>"
            f"<script src='{gateway_url}/static/widget.js' data-mode='booking'></script>"))
    app = web.Application()
    app.router.add_get("/", home)
    return app


@asynccontextmanager
async def _site(port: int, gateway: Client) -> AsyncIterator[str]:
    """The shop's site on "localhost": another origin than the gateway's 127.0.0.1."""
    server = TestServer(_shop(str(gateway.make_url("")).rstrip("/")), host="localhost",
                        port=port)
    await server.start_server()
    try:
        yield f"http://localhost:{port}/"
    finally:
        await server.close()


async def test_another_origin_frames_the_booking_page_only_when_listed(
    browser: Browser, database_url: str, tmp_path: Path,
    rasa: tuple[gateway_fixtures.FakeRasa, TestServer], demo: None,
) -> None:
    listed, other = free_port(), free_port()
    async with (gateway_with(database_url, tmp_path, rasa[1].port,
                             booking_embed_origins=f"http://localhost:{listed}") as client,
                _site(listed, client) as shop, _site(other, client) as stranger):
        context = await browser.new_context(viewport=DESKTOP)  # type: ignore[arg-type]
        page = await context.new_page()
        await page.goto(shop)
        frame = page.frame_locator("iframe[title='Book an appointment']")
        await frame.get_by_role("heading", name="Book an appointment").wait_for()
        await frame.get_by_role("button", name="Women's cut").click()
        await frame.get_by_role("heading", name="Who would you like?").wait_for()
        assert await page.locator("iframe").evaluate("f => f.offsetHeight") > 300

        await page.goto(stranger)
        await page.wait_for_load_state("load")
        framed = page.frame_locator("iframe[title='Book an appointment']")
        assert await framed.get_by_role("heading").count() == 0
        await context.close()


async def test_the_chat_widget_links_to_the_booking_page(
    browser: Browser, gateway: Client,
) -> None:
    context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                        bypass_csp=True)
    page = await context.new_page()
    await page.goto(str(gateway.make_url("/")))
    await page.get_by_role("button", name="Book an appointment").click()
    await page.get_by_role("link", name="Prefer to pick a time yourself?").click()
    await page.wait_for_url("**/book")
    assert await _step(page, "from-widget", 375) == "Book an appointment"
    await context.close()
