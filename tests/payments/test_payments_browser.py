"""Deposits on a phone (375 px, Chromium): the owner opens a deposit booked without Stripe,
marks it paid in cash through the confirmation step, and the detail shows it paid; the
customer's manage page says the deposit is paid at the salon. Every page: no sideways
scrolling, no serious or critical axe-core finding, a screenshot in
test-artifacts/payments-*.png."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import BrowserContext, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from tests.browser import PHONE, chromium
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import press, rows, to_confirm
from tests.gateway.narrow import page_problems

pytestmark = [pytest.mark.db, pytest.mark.slow]
Client = TestClient[Any, Any]
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
async def phone(gateway: Client, session_factory: Factory) -> AsyncIterator[BrowserContext]:
    cookies = await login_as(session_factory, "owner@example.com")
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                            bypass_csp=True, has_touch=True, is_mobile=True)
        await context.add_cookies([{"name": session.COOKIE, "value": cookies[session.COOKIE],
                                    "url": str(gateway.make_url("/admin"))}])
        yield context


async def _looks_right(page: Page, name: str, wrong: list[str]) -> None:
    wrong += [f"{name}: {problem}" for problem in await page_problems(page, f"payments-{name}")]


async def test_the_owner_marks_a_deposit_paid_on_a_phone(
    phone: BrowserContext, gateway: Client, session_factory: Factory,
) -> None:
    confirm, _ = await to_confirm(gateway, session_factory, service="colour", staff="Ana")
    booked = await press(gateway, confirm.page, "Confirm booking")
    [(appointment,)] = await rows(session_factory, "SELECT id FROM appointments")
    page, origin, wrong = await phone.new_page(), str(gateway.make_url("")).rstrip("/"), []
    await page.goto(origin + booked.page.link("Manage this booking"))
    await expect(page.get_by_text("is to be paid at the salon")).to_be_visible()
    await _looks_right(page, "manage", wrong)

    await page.goto(f"{origin}/admin/appointments/{appointment}#payment")
    section = page.locator("#payment")
    await expect(section).to_contain_text("to be paid at the salon")
    await _looks_right(page, "detail-owed", wrong)
    await section.get_by_label("Cash").check()
    await section.get_by_role("button", name="Mark deposit paid").click()
    await expect(page.get_by_role("heading", name="Mark the deposit paid?")).to_be_visible()
    await _looks_right(page, "confirm", wrong)
    await page.get_by_role("button", name="Yes, mark").click()
    await expect(page.locator("#payment")).to_contain_text("in person (cash)")
    await _looks_right(page, "detail-paid", wrong)
    assert await rows(session_factory, "SELECT payment_status FROM appointments") == [("paid",)]

    await page.goto(f"{origin}/admin/payments")
    await _looks_right(page, "settings", wrong)
    assert not wrong, "\n".join(wrong)
