"""The analytics page in Chromium at 1280 and 375 px over the hand-worked ledger: the charts
are drawn to their column's width, nothing scrolls sideways on a phone, axe-core finds no
serious problem (the tables are what a screen reader reads), screenshots kept."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page

from assistant.gateway.admin.session import COOKIE
from tests import analytics_ledger as ledger
from tests.branches import branch_demo  # noqa: F401 (the gateway's catalog: two branches)
from tests.browser import DESKTOP, PHONE, check_page, chromium, fits_width
from tests.gateway.admin_login import login_as
from tests.gateway.test_admin_analytics import RANGE, Factory

pytestmark = [pytest.mark.db, pytest.mark.slow]
INKED = """(key) => {
  const canvas = document.querySelector(`canvas[data-chart="${key}"]`);
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let inked = 0;
  for (let i = 3; i < pixels.length; i += 4) { if (pixels[i] > 0) { inked++; } }
  return {inked, width: canvas.getBoundingClientRect().width};
}"""


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


async def _page(browser: Browser, gateway: TestClient, factory: Factory,  # type: ignore[type-arg]
                viewport: dict[str, int]) -> Page:
    origin = str(gateway.make_url("")).rstrip("/")
    cookies = await login_as(factory, "owner@example.com")
    context = await browser.new_context(viewport=viewport,  # type: ignore[arg-type]
                                        is_mobile=viewport == PHONE, bypass_csp=True)
    await context.add_cookies([{"name": COOKIE, "value": cookies[COOKIE], "url": origin}])
    return await context.new_page()


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "1280"), (PHONE, "375")])
async def test_charts_fit_and_read_at_both_widths(
    browser: Browser, gateway: TestClient, session_factory: Factory,  # type: ignore[type-arg]
    viewport: dict[str, int], name: str,
) -> None:
    await ledger.write(session_factory)
    page = await _page(browser, gateway, session_factory, viewport)
    origin = str(gateway.make_url("")).rstrip("/")
    response = await page.goto(f"{origin}/admin/analytics?{RANGE}")
    assert response is not None and response.status == 200
    await page.wait_for_load_state("load")
    await check_page(page, f"analytics-{name}")
    assert await page.evaluate(fits_width(viewport["width"])), "scrolls sideways"
    for key in ("per-day", "by-channel", "by-status", "by-service", "by-staff"):
        drawn = await page.evaluate(INKED, key)
        assert drawn["inked"] > 100, key
        assert drawn["width"] <= viewport["width"] - 20, (key, drawn)
    per_day = page.get_by_role("table", name="Bookings per day")
    assert await per_day.get_by_role("row").count() == 6  # a header and five days
    await page.get_by_text("Table: bookings by weekday and hour").click()
    assert await page.evaluate(fits_width(viewport["width"]))
    await page.get_by_role("link", name="Last 7 days").click()
    await page.wait_for_load_state("load")
    assert "range=7" in page.url and await page.evaluate(fits_width(viewport["width"]))


async def test_a_bad_range_reads_well_on_a_phone(
    browser: Browser, gateway: TestClient, session_factory: Factory,  # type: ignore[type-arg]
) -> None:
    page = await _page(browser, gateway, session_factory, PHONE)
    origin = str(gateway.make_url("")).rstrip("/")
    await page.goto(f"{origin}/admin/analytics")
    await page.get_by_label("From").fill("2026-03-10")
    await page.get_by_label("Until (inclusive)").fill("2026-03-01")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Show").click()
    assert "is before from" in await page.get_by_role("alert").inner_text()
    await check_page(page, "analytics-375-bad-range")
    assert await page.evaluate(fits_width(375))
