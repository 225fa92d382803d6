"""Customers at the front desk in Chromium, at 1280 px and on a phone (375 px), as the owner
works it: find a customer by the phone number they read out, open their history, write a note,
block them through the confirmation, then erase their data through its confirmation (ticking
the cancellation of their upcoming visits). Every page on the way: no sideways scrolling, no
serious or critical axe-core finding, a screenshot in test-artifacts/customers-*.png."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from tests.browser import ARTIFACTS, DESKTOP, PHONE, accessibility_problems, chromium, press_enter
from tests.fill import Filled, drop_conversations, fill
from tests.gateway.admin_login import login_as
from tests.gateway.customer_rows import NAME, traces

pytestmark = [pytest.mark.db, pytest.mark.slow]
Client = TestClient[Any, Any]
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
async def filled(session_factory: Factory, gateway: Client) -> AsyncIterator[Filled]:
    done = await fill(session_factory, datetime.now(UTC))
    yield done
    await drop_conversations(session_factory)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


async def _page(browser: Browser, gateway: Client, cookie: str, size: dict[str, int]) -> Page:
    context = await browser.new_context(viewport=size,  # type: ignore[arg-type]
                                        bypass_csp=True, is_mobile=size == PHONE,
                                        has_touch=size == PHONE)
    await context.add_cookies([{"name": session.COOKIE, "value": cookie,
                                "url": str(gateway.make_url("/admin"))}])
    return await context.new_page()


async def _looks_right(page: Page, name: str, width: int, wrong: list[str]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"customers-{name}-{width}.png"), full_page=True)
    scroll = await page.evaluate("() => document.documentElement.scrollWidth")
    if scroll > width:
        wrong.append(f"{name} at {width}: scrolls sideways ({scroll} px)")
    wrong += [f"{name} at {width}: axe {p['id']}: {p['help']} {p['nodes']}"
              for p in await accessibility_problems(page)]


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "375"])
async def test_find_by_phone_note_block_and_erase(
        browser: Browser, gateway: Client, filled: Filled, session_factory: Factory,
        size: dict[str, int]) -> None:
    cookies = await login_as(session_factory, filled.admin_email)
    page = await _page(browser, gateway, cookies[session.COOKIE], size)
    origin, width, wrong = str(gateway.make_url("")).rstrip("/"), size["width"], []
    await page.goto(origin + "/admin/customers")
    await _looks_right(page, "list", width, wrong)
    await page.get_by_label("Name, phone or e-mail").fill("(555) 000-9001")
    await press_enter(page)
    await expect(page.locator("#customers")).to_contain_text(NAME)
    await expect(page.locator("#customers")).not_to_contain_text("Blocked Bob")
    await _looks_right(page, "search", width, wrong)
    await page.locator("#customers").get_by_role("link", name=NAME).click()
    await expect(page.locator("#history")).to_contain_text("no show")
    await _looks_right(page, "detail", width, wrong)

    await page.get_by_label("The desk's notes").fill("Prefers the quiet chair")
    await page.get_by_role("button", name="Save notes").click()
    await expect(page.get_by_role("status")).to_contain_text("Notes saved")
    await expect(page.get_by_label("The desk's notes")).to_have_value("Prefers the quiet chair")

    await page.get_by_role("link", name="Block…").click()
    await _looks_right(page, "block-confirm", width, wrong)
    await page.get_by_label("Why (only you see it)").fill("three no-shows")
    await page.get_by_role("button", name=f"Block {NAME}").click()
    await expect(page.get_by_role("status")).to_contain_text("Blocked")

    await page.get_by_role("link", name="Erase their data…").click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Erase")
    await page.get_by_label("Cancel them first", exact=False).check()
    await _looks_right(page, "erase-confirm", width, wrong)
    await page.get_by_role("button", name=f"Erase {NAME}’s data").click()
    await expect(page.get_by_role("status")).to_contain_text("Personal data erased")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Erased customer")
    await _looks_right(page, "erased", width, wrong)
    assert wrong == []
    assert await traces(session_factory) == []
