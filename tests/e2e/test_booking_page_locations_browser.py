"""/book with two branches in Chromium: the location step by keyboard alone at 375 px (no
sideways scroll) and by mouse at 1280 px, with a screenshot and axe-core on every step; the
branch named up to the details, its times on its clock."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser

from tests.branches import branch_demo  # noqa: F401 (the gateway's catalog: two branches)
from tests.browser import DESKTOP, PHONE, chromium
from tests.e2e.test_booking_page_browser import _press, _step
from tests.gateway import conftest as gateway_fixtures
from tests.gateway.booking_flow import Client

pytestmark = [pytest.mark.db, pytest.mark.slow]
rasa, gateway = gateway_fixtures.rasa, gateway_fixtures.gateway


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


async def test_choosing_a_branch_by_keyboard_at_375_px(browser: Browser, gateway: Client) -> None:
    context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                        bypass_csp=True, has_touch=True, is_mobile=True)
    page = await context.new_page()
    await page.goto(str(gateway.make_url("/book")))
    await _step(page, "branches-services", 375)
    await _press(page, "Men's cut")
    assert await _step(page, "branches-where", 375) == "Where would you like it?"
    await _press(page, "Harbour")
    assert await _step(page, "branches-who", 375) == "Who would you like?"
    await _press(page, "Dana")
    assert await _step(page, "branches-times", 375) == "Choose a time"
    assert "Men's cut with Dana at Harbour" in await page.locator("main").inner_text()
    first = await page.locator("ul.times button").first.get_attribute("aria-label")
    assert first
    await _press(page, first)
    assert await _step(page, "branches-details", 375) == "Your details"
    assert "Harbour, 8 Pier Road" in await page.locator("main").inner_text()
    await context.close()


async def test_choosing_a_branch_by_mouse_at_1280_px(browser: Browser, gateway: Client) -> None:
    context = await browser.new_context(viewport=DESKTOP,  # type: ignore[arg-type]
                                        bypass_csp=True)
    page = await context.new_page()
    await page.goto(str(gateway.make_url("/book/womens-cut")))
    assert await _step(page, "branches-where", 1280) == "Where would you like it?"
    await page.get_by_role("button", name="Main Street").click()
    assert await _step(page, "branches-who", 1280) == "Who would you like?"
    assert "at Main Street" in await page.locator("main").inner_text()
    await page.get_by_role("link", name="Change location").click()
    assert await _step(page, "branches-where-again", 1280) == "Where would you like it?"
    await context.close()
