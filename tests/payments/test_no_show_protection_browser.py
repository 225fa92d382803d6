"""No-show protection on a phone (375 px, Chromium), Stripe on against the local fake: the
/book confirm step states the card terms before the customer confirms; the booked page and
the manage page offer "Add your card", which leads to Stripe's setup-mode checkout; once the
signed webhook saves the card, the manage page says the card is saved. Every page: no
sideways scrolling, no serious or critical axe-core finding, a screenshot in
test-artifacts/card-*.png."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.async_api import Page, expect

from tests.browser import PHONE, chromium
from tests.fakes.stripe import GOOD_CARD
from tests.gateway.booking_flow import rows, to_confirm
from tests.gateway.narrow import page_problems
from tests.payments.stripe_desk import Desk, deliver
from tests.payments.test_no_show_protection import TERMS, _card_required

pytestmark = [pytest.mark.db, pytest.mark.slow]


async def _looks_right(page: Page, name: str, wrong: list[str]) -> None:
    wrong += [f"{name}: {problem}" for problem in await page_problems(page, f"card-{name}")]


async def test_the_terms_before_confirm_and_add_your_card_on_a_phone(desk: Desk) -> None:
    await _card_required(desk)
    confirm, _ = await to_confirm(desk.client, desk.factory, service="mens-cut", staff="any")
    origin, wrong = str(desk.client.make_url("")).rstrip("/"), []
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                            bypass_csp=True, has_touch=True, is_mobile=True)
        page = await context.new_page()
        address = urlsplit(confirm.url)
        await page.goto(f"{origin}{address.path}?{address.query}")
        await expect(page.get_by_text(TERMS)).to_be_visible()
        await _looks_right(page, "confirm", wrong)
        async with page.expect_navigation(url=f"{desk.stripe_url}/**"):
            await page.get_by_role("button", name="Confirm booking").click()
        [(appointment_id, state)] = await rows(desk.factory, "SELECT id, payment_status FROM "
                                               "appointments")
        assert state == "card_pending"
        [session] = desk.stripe.sessions.values()
        assert page.url == session["url"] and session["mode"] == "setup"

        await page.goto(f"{origin}{urlsplit(session['success_url']).path}?"
                        f"{urlsplit(session['success_url']).query}")
        section = page.get_by_role("region", name="Add your card")
        await expect(section).to_contain_text("Nothing is charged now")
        await _looks_right(page, "manage-waiting", wrong)
        async with page.expect_navigation(url=f"{desk.stripe_url}/**"):
            await section.get_by_role("link", name="Add your card").click()
        assert page.url == session["url"]  # the live checkout again, not a second one

        delivery = desk.stripe.pay(session["id"], GOOD_CARD)
        assert delivery is not None
        assert (await deliver(desk, *delivery))[1]["outcome"] == "card_saved"
        await page.go_back()
        await page.reload()
        await expect(page.get_by_text("Your card is saved")).to_be_visible()
        await expect(page.get_by_role("region", name="Add your card")).to_have_count(0)
        await _looks_right(page, "manage-saved", wrong)
        assert await rows(desk.factory, "SELECT status FROM appointments WHERE id = :a",
                          a=appointment_id) == [("confirmed",)]
    assert not wrong, "\n".join(wrong)
