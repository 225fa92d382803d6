"""Staff accounts in Chromium at 375 px: the owner invites Ana's account from /admin/staff,
the e-mail reaches the SendGrid fake, its link is followed in a browser of the invitee's own,
the password chosen twice; the new account lands on Today with only Ana's column, no owner
links, and is refused an owner page. Every step: screenshot, axe-core, no sideways scroll."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page

from assistant.gateway.admin import session
from tests.browser import PHONE, check_page, chromium, fits_width
from tests.gateway.staff_invites import PASSWORD, STAFF, Desk, desk, mailed_link

pytestmark = [pytest.mark.db, pytest.mark.slow]
__all__ = ["desk"]
ANA = "ana@salon.example"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


async def _phone(browser: Browser) -> BrowserContext:
    return await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                     bypass_csp=True)  # axe-core is injected inline


async def _step(page: Page, name: str) -> None:
    await page.wait_for_load_state()
    await check_page(page, f"staff-{name}")
    assert await page.evaluate(fits_width(PHONE["width"])), f"{name} scrolls sideways"


async def test_an_invited_staff_member_signs_up_from_the_email(browser: Browser,
                                                               desk: Desk) -> None:
    owner = await _phone(browser)
    await owner.add_cookies([{"name": session.COOKIE, "value": desk.owner[session.COOKIE],
                              "url": desk.url()}])
    page = await owner.new_page()
    await page.goto(desk.url("/admin/staff"))
    await _step(page, "owner-page")
    await page.get_by_label("E-mail", exact=True).fill(ANA)
    await page.get_by_label("Role", exact=True).select_option("staff")
    await page.get_by_label("Staff member (for a staff account)").select_option(label="Ana")
    await page.get_by_role("button", name="Send invitation").click()
    await page.wait_for_url("**/admin/staff?notice=*")
    assert "Invitation e-mailed" in await page.locator("[role=status]").inner_text()
    await _step(page, "invited")

    invitee = await (await _phone(browser)).new_page()
    await invitee.goto(mailed_link(desk.mail, ANA))
    await _step(invitee, "set-password")
    await invitee.get_by_label("Password", exact=True).fill(PASSWORD)
    await invitee.get_by_label("Password again").fill(PASSWORD)
    await invitee.get_by_role("button", name="Create my account").click()
    await invitee.wait_for_url(desk.url("/admin"))
    await _step(invitee, "staff-today")
    columns = await invitee.locator(".columns h2").all_inner_texts()
    assert columns == ["Ana"] and set(STAFF) - {"Ana"}
    nav = await invitee.locator("nav[aria-label='Admin sections'] a").all_inner_texts()
    assert "Catalog" not in nav and "Staff" not in nav and "Today" in nav
    refused = await invitee.goto(desk.url("/admin/catalog"))
    assert refused is not None and refused.status == 403
    used = await invitee.goto(mailed_link(desk.mail, ANA))
    assert used is not None and used.status == 410
    await _step(invitee, "link-used")

    await page.goto(desk.url("/admin/staff"))
    await _step(page, "with-account")
    await page.get_by_role("row", name=ANA).get_by_role("link", name="Remove…").click()
    await page.wait_for_url("**/admin/staff/remove/**")
    await _step(page, "remove-confirm")
    await page.get_by_role("button", name="Remove account").click()
    await page.wait_for_url("**/admin/staff?done=removed")
    assert ANA not in await page.locator("#accounts").inner_text()
