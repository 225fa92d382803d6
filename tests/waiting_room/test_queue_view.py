"""The owner's live queue view in Chromium: a room with customers waiting and choosing shows
its counts, and a newcomer shows up in the open page without a reload; no session, no view."""

from __future__ import annotations

import pytest
from playwright.async_api import expect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from assistant.gateway.resources import SETTINGS
from scheduling.demo import demo_catalog
from tests.browser import PHONE, check_page, chromium, fits_width
from tests.gateway.admin_login import login_as
from tests.waiting_room.crowd import verified
from tests.waiting_room.test_api import PLACES, Client, _json, _slots

pytestmark = [pytest.mark.db, pytest.mark.slow]


async def test_the_owner_watches_the_queue_fill(
        room_gateway: Client, engine: AsyncEngine,
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    settings = room_gateway.server.app[SETTINGS]
    people = await verified(engine, settings, demo_catalog().business.id, 4, first=300)
    service, day, _ = await _slots(room_gateway)
    enter = {"service_id": service, "day": day.isoformat()}
    for i, (_, token) in enumerate(people[:3]):
        await _json(room_gateway, "POST", PLACES, 201, token, f"192.0.2.{30 + i}", json=enter)
    cookies = await login_as(session_factory, "owner@example.com")
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                            bypass_csp=True)  # axe-core is injected inline
        await context.add_cookies([{"name": session.COOKIE, "value": cookies[session.COOKIE],
                                    "url": str(room_gateway.make_url("/"))}])
        page = await context.new_page()
        await page.goto(str(room_gateway.make_url("/admin/queue")))
        row = page.get_by_role("row", name="Men's cut")
        await expect(row.locator("[data-count=choosing]")).to_have_text("1")
        await expect(row.locator("[data-count=waiting]")).to_have_text("2")
        await check_page(page, "queue-view")
        assert await page.evaluate(fits_width(PHONE["width"])), "the view scrolls sideways"
        await _json(room_gateway, "POST", PLACES, 201, people[3][1], "192.0.2.40", json=enter)
        await expect(row.locator("[data-count=waiting]")).to_have_text("3", timeout=15_000)
        await expect(row.locator("[data-count=entered]")).to_have_text("4")
        await expect(page.locator("#queue-updated")).to_contain_text("Updated")
    room_gateway.session.cookie_jar.clear()
    stranger = await room_gateway.get("/admin/queue.json", allow_redirects=False)
    assert stranger.status in (302, 303) and "/admin/login" in stranger.headers["Location"]
