"""/admin/calendar in Chromium, on the two-branch week of tests/gateway/calendar_data.py: at
1280 px the day's staff columns line up on one time grid and the week shows seven columns; at
375 px both are lists with no sideways scrolling. axe-core and a screenshot on every page;
the date form, the previous/next links and a free gap's booking link are followed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import Browser, BrowserContext, Page

from tests.browser import DESKTOP, PHONE, check_page, chromium, fits_width
from tests.gateway import conftest as gateway_fixtures
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import Client, Factory
from tests.gateway.calendar_data import ANA, DAY, HARBOUR, MAIN_STREET, seed

pytestmark = [pytest.mark.db, pytest.mark.slow]
rasa, gateway = gateway_fixtures.rasa, gateway_fixtures.gateway


@pytest.fixture
async def demo(session_factory: Factory, clean_tables: None) -> AsyncIterator[None]:
    await seed(session_factory)
    yield


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


async def _signed_in(browser: Browser, gateway: Client, factory: Factory, **options: object
                     ) -> BrowserContext:
    context = await browser.new_context(bypass_csp=True, **options)  # type: ignore[arg-type]
    token = (await login_as(factory, "owner@example.com"))["admin_session"]
    await context.add_cookies([{"name": "admin_session", "value": token,
                                "url": str(gateway.make_url("/"))}])
    return context


async def _open(page: Page, gateway: Client, query: str) -> None:
    response = await page.goto(str(gateway.make_url(f"/admin/calendar?{query}")))
    assert response is not None and response.status == 200


async def _seen(page: Page, name: str, width: int) -> None:
    await page.wait_for_load_state()
    await check_page(page, f"calendar-{width}-{name}")
    assert await page.evaluate(fits_width(width)), f"{name} scrolls sideways at {width} px"


async def test_day_and_week_at_1280_px(browser: Browser, gateway: Client,
                                       session_factory: Factory) -> None:
    context = await _signed_in(browser, gateway, session_factory, viewport=DESKTOP)
    page = await context.new_page()
    await _open(page, gateway, f"location={MAIN_STREET}&date={DAY}")
    await _seen(page, "day", 1280)
    tops = [b["y"] for b in [await c.bounding_box() for c in
                             await page.locator(".cal-col").all()] if b]
    assert len(tops) == 3 and len(set(tops)) == 1, tops  # one row of columns
    nine = await page.get_by_role("link", name="Carla Checkin").bounding_box()
    ten = await page.get_by_role("link", name="Nico Noshow").bounding_box()
    assert nine and ten and ten["y"] - nine["y"] == pytest.approx(120, abs=24)  # an hour apart
    label = await page.locator(".cal-axis li", has_text="10 AM").bounding_box()
    booked = await page.locator("li.cal-seg", has_text="Nico Noshow").bounding_box()
    assert label and booked and label["y"] == pytest.approx(booked["y"], abs=12)  # the axis
    await page.get_by_label("Date", exact=True).fill((DAY + timedelta(days=1)).isoformat())
    await page.get_by_label("View").select_option("week")
    async with page.expect_navigation():
        await page.get_by_role("button", name="Show").click()
    await _seen(page, "week", 1280)
    headings = await page.locator(".cal-wday h2").all_inner_texts()
    assert len(headings) == 7
    tops = {b["y"] for b in [await day.bounding_box() for day in
                             await page.locator(".cal-wday").all()] if b}
    assert len(tops) == 1  # seven columns side by side
    async with page.expect_navigation():
        await page.get_by_role("link", name="Next week →").click()
    assert parse_qs(urlsplit(page.url).query)["date"] == [(DAY + timedelta(days=8)).isoformat()]
    await _open(page, gateway, f"location={HARBOUR}&date={DAY}")
    await _seen(page, "harbour-day", 1280)
    gap = page.locator("a.cal-book").first
    target = parse_qs(urlsplit(str(await gap.get_attribute("href"))).query)
    assert target["location_id"] == [str(HARBOUR)] and target["start"][0].startswith(str(DAY))
    await context.close()


async def test_day_and_week_at_375_px(browser: Browser, gateway: Client,
                                      session_factory: Factory) -> None:
    context = await _signed_in(browser, gateway, session_factory, viewport=PHONE,
                               has_touch=True, is_mobile=True)
    page = await context.new_page()
    await _open(page, gateway, f"location={MAIN_STREET}&date={DAY}")
    await _seen(page, "day", 375)
    columns = [await c.bounding_box() for c in await page.locator(".cal-col").all()]
    assert all(b and b["width"] <= 375 for b in columns)
    assert len({b["x"] for b in columns if b}) == 1  # stacked, one under another
    await _open(page, gateway, f"location={MAIN_STREET}&date={DAY}&view=week")
    await _seen(page, "week", 375)
    await _open(page, gateway, f"location={HARBOUR}&date={DAY}&view=week&staff={ANA}")
    await _seen(page, "ana-at-harbour", 375)
    await context.close()
