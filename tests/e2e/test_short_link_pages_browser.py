"""The pages a short link that cannot go on shows (expired, withdrawn, unknown), in Chromium at
1280 px and 375 px: screenshot and axe-core on each, no sideways scrolling on the phone, and
the way forward they offer first ("Book a new time") opens the booking page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Page
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence import short_links
from scheduling.persistence.short_links import LinkRequest
from tests.browser import DESKTOP, PHONE, check_page, chromium, fits_width
from tests.gateway import conftest as gateway_fixtures

pytestmark = [pytest.mark.db, pytest.mark.slow]
Client = TestClient  # type: ignore[type-arg]
rasa, demo, gateway = gateway_fixtures.rasa, gateway_fixtures.demo, gateway_fixtures.gateway


@pytest.fixture(params=["desktop", "phone"])
async def page(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Page, str, int]]:
    viewport = DESKTOP if request.param == "desktop" else PHONE
    async with chromium() as browser:
        # axe-core goes in as a script tag, which the pages' CSP (default-src 'self') refuses
        context = await browser.new_context(viewport=viewport,  # type: ignore[arg-type]
                                            bypass_csp=True)
        yield await context.new_page(), request.param, viewport["width"]


async def codes(factory: async_sessionmaker[AsyncSession]) -> dict[str, str]:
    """An expired and a withdrawn code, and one that never existed."""
    now = datetime.now(UTC)
    expired, revoked = uuid4(), uuid4()
    issued = await short_links.issue(factory, [
        LinkRequest(expired, "manage", now - timedelta(minutes=1)),
        LinkRequest(revoked, "manage", now + timedelta(days=30))], now)
    await short_links.revoke(factory, issued[(revoked, "manage")], now)
    return {"expired": issued[(expired, "manage")], "revoked": issued[(revoked, "manage")],
            "unknown": "Zz9Zz9Zz"}


async def test_a_short_link_that_cannot_go_on_says_why_and_offers_a_way(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],
    page: tuple[Page, str, int],
) -> None:
    tab, size, width = page
    headings = {"expired": "This link has expired", "revoked": "This link is no longer valid",
                "unknown": "We could not find this link"}
    for state, code in (await codes(session_factory)).items():
        await tab.goto(str(gateway.make_url(f"/a/{code}")))
        await check_page(tab, f"short-link-{size}-{state}")
        assert await tab.locator("h1").inner_text() == headings[state]
        assert await tab.evaluate(fits_width(width))
    await tab.get_by_role("link", name="Book a new time", exact=True).click()
    await tab.wait_for_load_state()
    assert tab.url.endswith("/book")
    assert await tab.locator("h1").count() == 1
