"""Cancelling the rest of a series on a phone (375 px, Chromium), as the owner would: open an
occurrence, follow "Cancel this and the rest of the series", read what goes with its refund,
give the reason and confirm; the answer lists what was cancelled. Every page on the way: no
sideways scrolling, no serious or critical axe-core finding, a screenshot in
test-artifacts/series-cancel-*.png."""

from __future__ import annotations

from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from tests.browser import PHONE, chromium
from tests.gateway.booking_flow import rows
from tests.gateway.narrow import page_problems
from tests.gateway.test_series_cancel import Series, series  # noqa: F401  (fixture)

pytestmark = [pytest.mark.db, pytest.mark.slow]
Client = TestClient[Any, Any]


async def test_cancel_the_rest_of_a_series_on_a_phone(
    gateway: Client, series: Series,  # noqa: F811
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    origin, wrong = str(gateway.make_url("")).rstrip("/"), []
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                            bypass_csp=True, has_touch=True, is_mobile=True)
        await context.add_cookies([{"name": session.COOKIE,
                                    "value": series.cookies[session.COOKIE], "url": origin}])
        page = await context.new_page()
        await page.goto(f"{origin}/admin/appointments/{series.ids['opened']}")
        await page.get_by_role("link", name="Cancel this and the rest of the series").click()
        await expect(page.locator("#occurrences tbody tr")).to_have_count(3)
        await expect(page.locator("#occurrences")).to_contain_text("$20 of the deposit paid")
        wrong += await page_problems(page, "series-cancel-confirm")
        await page.get_by_label("Reason (the customer reads it)").fill("we are moving")
        await page.get_by_role("button", name="Cancel 3 appointments").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Cancelled 3 appointments")
        await expect(page.locator("#cancelled tbody tr")).to_have_count(3)
        wrong += await page_problems(page, "series-cancel-done")
    assert not wrong, wrong
    told = await rows(session_factory, "SELECT appointment_id FROM outbox WHERE kind = "
                      "'cancellation' AND payload->>'reason' = 'we are moving'")
    assert sorted(i for (i,) in told) == sorted(
        series.ids[n] for n in ("opened", "paid", "other_staff"))
