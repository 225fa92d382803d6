"""The front desk on a phone (375 px, Chromium), as the owner works it: find a customer by the
phone number they read out, open their appointment, move it to one of the staff member's free
times (the customer's message recorded), then mark another appointment a no-show (its message
recorded too). Every page on the way: no sideways scrolling, no serious or critical axe-core
finding, a screenshot in test-artifacts/appointment-*.png."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import BrowserContext, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from tests.browser import PHONE, chromium, press_enter
from tests.gateway.booking_flow import rows
from tests.gateway.narrow import page_problems
from tests.gateway.test_admin_appointment import Desk, desk  # noqa: F401  (fixture)

pytestmark = [pytest.mark.db, pytest.mark.slow]
Client = TestClient[Any, Any]


@pytest.fixture
async def phone(gateway: Client, desk: Desk) -> AsyncIterator[BrowserContext]:  # noqa: F811
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                            bypass_csp=True, has_touch=True, is_mobile=True)
        await context.add_cookies([{"name": session.COOKIE,
                                    "value": desk.cookies[session.COOKIE],
                                    "url": str(gateway.make_url("/admin"))}])
        yield context


async def _looks_right(page: Page, name: str, wrong: list[str]) -> None:
    wrong += [f"{name}: {problem}" for problem in await page_problems(page, f"appointment-{name}")]


async def test_find_by_phone_reschedule_then_mark_a_no_show(
    phone: BrowserContext, gateway: Client, desk: Desk,  # noqa: F811
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    page, origin, wrong = await phone.new_page(), str(gateway.make_url("")).rstrip("/"), []
    await page.goto(origin + "/admin/appointments")
    await page.get_by_label("Search").fill("(555) 555-0101")
    await press_enter(page)
    await expect(page.locator("#appointments")).to_contain_text("Gus Second")
    await expect(page.locator("#appointments")).not_to_contain_text("Fillia Everyrow")
    await _looks_right(page, "search", wrong)
    await page.locator(f'#appointments a[href="/admin/appointments/{desk.later}"]').first.click()
    await expect(page.get_by_role("heading", level=2, name="Customer", exact=True)).to_be_visible()
    await _looks_right(page, "detail", wrong)

    await page.get_by_role("link", name="Reschedule").click()
    day = page.get_by_label("Day", exact=True)
    await day.fill(await day.input_value())  # the appointment's own day, two weeks ahead
    await page.get_by_role("button", name="Show free times").click()
    await _looks_right(page, "reschedule-times", wrong)
    await page.locator("ul.free-times a").nth(1).click()
    await page.get_by_label("Reason (optional, kept in the audit trail)").fill("asked by phone")
    await _looks_right(page, "reschedule-confirm", wrong)
    await page.get_by_role("button", name="Move the appointment").click()
    await expect(page.get_by_role("status")).to_contain_text("customer is told")
    await _looks_right(page, "rescheduled", wrong)
    new = page.url.rsplit("/", 1)[1].partition("?")[0]
    told = await rows(session_factory, "SELECT kind FROM outbox WHERE appointment_id = :id "
                      "AND kind = 'reschedule'", id=new)
    assert told == [("reschedule",)]

    await page.goto(f"{origin}/admin/appointments/{desk.started}")
    await page.get_by_role("link", name="Mark no-show").click()
    await _looks_right(page, "no-show-confirm", wrong)
    await page.get_by_role("button", name="Mark no-show").click()
    await expect(page.get_by_role("status")).to_contain_text("no-show")
    await _looks_right(page, "no-show-done", wrong)
    assert await rows(session_factory, "SELECT status FROM appointments WHERE id = :id",
                      id=desk.started) == [("no_show",)]
    assert await rows(session_factory, "SELECT kind FROM outbox WHERE appointment_id = :id",
                      id=desk.started) == [("no_show",)]
    assert not wrong, "\n".join(wrong)
