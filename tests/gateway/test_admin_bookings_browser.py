"""The new-booking form in Chromium, at 1280 px and at 375 px: a walk-in, then a weekly series
of six, each booked from the form as the owner fills it in. Every page on the way: no
sideways scrolling, no serious axe-core finding, a screenshot in test-artifacts/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.demo import demo_catalog
from tests.browser import ARTIFACTS, DESKTOP, PHONE, accessibility_problems, chromium, fits_width
from tests.fill import fill
from tests.gateway.booking_flow import execute, rows

pytestmark = [pytest.mark.db, pytest.mark.slow]
Client = TestClient[Any, Any]
NY = ZoneInfo("America/New_York")
ANA = next(s for s in demo_catalog().staff if s.name == "Ana")
CUT = next(s for s in demo_catalog().services if s.name == "Women's cut")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


def _weekday(days_ahead: int) -> str:
    day = datetime.now(NY).date() + timedelta(days=days_ahead)
    while day.weekday() not in (2, 3):  # Ana works Wednesdays and Thursdays
        day += timedelta(days=1)
    return day.isoformat()


async def _look(page: Page, name: str, width: int) -> None:
    await page.wait_for_load_state()
    ARTIFACTS.mkdir(exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"bookings-{name}-{width}.png"), full_page=True)
    assert await page.evaluate(fits_width(width)), f"{name} scrolls sideways at {width} px"
    problems = await accessibility_problems(page)
    assert not problems, f"{name} at {width} px: {problems}"


async def _press(page: Page, button: str) -> None:
    async with page.expect_navigation():
        await page.get_by_role("button", name=button, exact=True).click()


async def _fill(page: Page, origin: str, day: str, name: str, phone: str) -> None:
    await page.goto(f"{origin}/admin/bookings/new?service_id={CUT.id}&staff_id={ANA.id}"
                    f"&day={day}")
    await page.get_by_label("A new customer:").check()
    await page.get_by_label("Name", exact=True).fill(name)
    await page.get_by_label("Phone (optional)").fill(phone)
    await page.get_by_role("group", name="Time").get_by_role("radio").first.check()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "375"])
async def test_a_walk_in_and_a_weekly_series_from_the_form(
    browser: Browser, gateway: Client, session_factory: async_sessionmaker[AsyncSession],
    viewport: dict[str, int],
) -> None:
    await fill(session_factory, datetime.now(NY))
    await execute(session_factory, "UPDATE booking_rules SET max_active_per_customer = 10")
    width, origin = viewport["width"], str(gateway.make_url("")).rstrip("/")
    context = await browser.new_context(viewport=viewport,  # type: ignore[arg-type]
                                        bypass_csp=True)
    page = await context.new_page()
    await page.goto(origin + "/admin/bookings/new")
    await page.get_by_label("E-mail").fill("owner@example.com")
    await page.get_by_label("Password").fill("correct horse")
    await _press(page, "Log in")
    await _look(page, "form", width)

    await _fill(page, origin, _weekday(3), f"Wendy Walkin {width}", "+15555550101")
    await _look(page, "walk-in-filled", width)
    await _press(page, "Book")
    await _look(page, "walk-in-booked", width)
    assert "Booked" in await page.get_by_role("heading", level=1).inner_text()

    await _fill(page, origin, _weekday(5), f"Sam Series {width}", f"+1555555{width:04d}")
    await page.get_by_label("Repeats", exact=True).select_option("yes")
    await page.get_by_label("Every", exact=True).fill("1")
    await page.get_by_label("Times in all").fill("6")
    await _press(page, "Book")
    await _look(page, "series-preview", width)
    assert "6 times" in await page.get_by_role("heading", level=1).inner_text()
    await _press(page, "Book the kept occurrences")
    await _look(page, "series-booked", width)
    assert "6 appointments" in await page.get_by_role("heading", level=1).inner_text()
    found = await rows(session_factory, "SELECT count(DISTINCT series_id), count(*) "
                       "FROM appointments WHERE contact_name = :n", n=f"Sam Series {width}")
    assert tuple(found[0]) == (1, 6)
    await context.close()
