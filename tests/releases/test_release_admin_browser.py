"""The owner's release screen in Chromium, with data: an audience with a customer found by
phone and a code, a release rule, waiting-room settings, each refused with its message beside
the field when wrong (an hour 25:00, early access without an audience, a code taken, a phone
nobody has, a threshold of 0, a forged unknown service), and the report of the last release
with its demand, admissions, bookings and abandons read from the waiting room's audit and the
appointments. No serious axe-core finding; screenshots in test-artifacts/releases-*.png."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page, expect
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import session
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.services import book
from scheduling.catalog import Customer
from scheduling.demo import demo_catalog
from scheduling.desk.slots import SlotSearch, find_slots
from scheduling.persistence import waiting_room_store as room
from scheduling.persistence.release_uow import ReleaseUnitOfWork
from scheduling.persistence.setup_uow import SetupUnitOfWork
from scheduling.releases import local_instant, past_releases
from tests.browser import check_page, chromium
from tests.gateway.admin_login import login_as

pytestmark = [pytest.mark.db, pytest.mark.slow]
Client = TestClient[Any, Any]
Factory = async_sessionmaker[AsyncSession]
CATALOG = demo_catalog()
BUSINESS = CATALOG.business.id
CUT = CATALOG.find_service("Women's cut")
PHONES = ("+15550007001", "+15550007002", "+15550007003")


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


async def _customers(factory: Factory) -> list[UUID]:
    people = [Customer(uuid4(), f"Guest {n}", phone=phone) for n, phone in enumerate(PHONES)]
    async with SetupUnitOfWork(factory) as work:
        for person in people:
            await work.catalog.save_customer(BUSINESS, person)
        await work.commit()
    return [p.id for p in people]


async def _release_traffic(factory: Factory, engine: Any, people: list[UUID]) -> None:
    """What the last release saw: three customers queued, two admitted, one left, one
    booked a released time."""
    async with ReleaseUnitOfWork(factory) as work:
        rule = (await work.releases.rules(BUSINESS))[0]
    release = past_releases(rule, CATALOG.business.zone, datetime.now(UTC), 1)[0]
    at = release.audience_opens_at + timedelta(seconds=5)
    async with engine.begin() as db:
        room_id = await room.room_for(db, BUSINESS, CUT.id, release.first_day, at)
        places = [(await room.enter(db, room_id, person, "web", None, at))[0]
                  for person in people]
        await room._audit(db, [{"room_id": room_id, "id": p, "customer_id": c,
                                "channel": "web"} for p, c in zip(places[:2], people[:2],
                                                                  strict=True)],
                          "admitted", at + timedelta(minutes=1))
        await room.leave(db, places[1], at + timedelta(minutes=2))
    now = datetime.now(UTC)
    start = local_instant(release.first_day, time(10), CATALOG.business.zone)
    found = await find_slots(SetupUnitOfWork(factory), SlotSearch(
        BUSINESS, CUT.id, preferred_start=start, customer_id=people[0]), now)
    slot = found[0].slot
    await book(BookAppointment(SlotChoice(BUSINESS, CUT.id, slot.start, found[0].staff_id),
                               people[0], uuid4().hex), SetupUnitOfWork(factory), now)


async def _page(browser: Browser, gateway: Client, cookie: str) -> Page:
    context = await browser.new_context(viewport={"width": 1280, "height": 900},
                                        bypass_csp=True)
    await context.add_cookies([{"name": session.COOKIE, "value": cookie,
                                "url": str(gateway.make_url("/admin"))}])
    return await context.new_page()


async def test_owner_sets_releases_audiences_and_the_waiting_room_and_reads_the_report(
    browser: Browser, gateway: Client, session_factory: Factory, engine: Any,
) -> None:
    people = await _customers(session_factory)
    cookies = await login_as(session_factory, "owner@example.com")
    page = await _page(browser, gateway, cookies[session.COOKIE])
    await page.goto(str(gateway.make_url("/admin/releases")))
    await expect(page.get_by_text("No release rule")).to_be_visible()

    await page.get_by_label("New audience's name").fill("VIP")
    await page.get_by_role("button", name="Add the audience").click()
    vip = page.get_by_role("article", name="VIP")
    await expect(vip).to_contain_text("0 customers, 0 codes")
    await vip.get_by_label("Customer's phone or e-mail").fill("+15550009999")
    await vip.get_by_role("button", name="Add the customer").click()
    await expect(vip.locator("p.error")).to_have_text("No customer has this phone or e-mail.")
    await vip.get_by_label("Customer's phone or e-mail").fill(PHONES[0])
    await vip.get_by_role("button", name="Add the customer").click()
    await vip.get_by_label("New access code").fill("EARLY-2027")
    await vip.get_by_role("button", name="Add the code").click()
    await expect(vip).to_contain_text("1 customer, 1 code")
    await vip.get_by_label("New access code").fill("early-2027")
    await vip.get_by_role("button", name="Add the code").click()
    await expect(page.get_by_role("article", name="VIP").locator("p.error")).to_have_text(
        "that code is already in use")

    await page.get_by_label("Service").select_option(label="Women's cut")
    await page.get_by_label("At (HH:MM").fill("25:00")
    await page.get_by_label("How many weeks").fill("2")
    await page.get_by_label("Hours earlier for them").fill("3")
    await page.get_by_role("button", name="Add the rule").click()
    await expect(page.locator("#at-error")).to_contain_text("Write the time it opens as HH:MM")
    await page.get_by_label("At (HH:MM").fill("18:00")
    await page.get_by_role("button", name="Add the rule").click()
    await expect(page.locator("#audience-error")).to_have_text("early access needs an audience")
    await page.get_by_label("Opens on").select_option(label="Sunday")
    await page.get_by_label("Early access for").select_option(label="VIP")
    await page.get_by_role("button", name="Add the rule").click()
    rules = page.locator("table.rules")
    await expect(rules).to_contain_text("Women's cut: the slots 2 weeks ahead open every "
                                        "Sunday at 6 PM (VIP: 3 hours earlier)")
    await expect(rules).to_contain_text("Sunday,")

    await page.get_by_label("Women's cut threshold").fill("0")
    await page.get_by_role("row", name="Women's cut").get_by_role("button", name="Save").click()
    await expect(page.get_by_role("row", name="Women's cut").locator("p.error")).to_contain_text(
        "must be a whole number from 1 to 10000")
    await page.get_by_label("Women's cut threshold").fill("40")
    await page.get_by_label("Women's cut admit at once").fill("8")
    await page.get_by_label("Women's cut hold minutes").fill("4")
    await page.get_by_role("row", name="Women's cut").get_by_role("button", name="Save").click()
    await expect(page.get_by_label("Women's cut admit at once")).to_have_value("8")

    await _release_traffic(session_factory, engine, people)
    await page.reload()
    report = page.locator("table.report tbody tr").first
    await expect(report).to_contain_text("Women's cut")
    cells = [await c.inner_text() for c in await report.locator("td").all()][2:]
    assert cells == ["3", "2", "1", "1"]  # demand, admitted, booked, abandoned
    await check_page(page, "releases-owner")

    async with ReleaseUnitOfWork(session_factory) as work:
        settings = await work.releases.waiting_room(CUT.id)
        audiences = await work.releases.audiences(BUSINESS)
    assert (settings.threshold, settings.admit_at_once, settings.hold_minutes) == (40, 8, 4)
    assert [(a.name, a.members, a.codes) for a in audiences] == [("VIP", 1, 1)]


async def test_forged_posts_get_clear_refusals(gateway: Client, session_factory: Factory
                                               ) -> None:
    cookies = await login_as(session_factory, "owner@example.com")
    shown = await (await gateway.get("/admin/releases", cookies=cookies)).text()
    csrf = shown.split('name="csrf" value="')[1].split('"')[0]
    rule = {"csrf": csrf, "period": "week", "weekday": "6", "at": "18:00", "lead": "1",
            "early_hours": "0"}
    for bad, words in (({"service": str(uuid4())}, "not found"),
                       ({"service": "x' OR 1=1"}, "Choose the service from the list"),
                       ({"period": "year"}, "a week or a day"),
                       ({"lead": "99999999999999999999"}, "from 0 to 52"),
                       ({"at": "18:00\x00"}, "HH:MM")):
        answer = await gateway.post("/admin/releases/rules", data=rule | bad, cookies=cookies)
        assert answer.status == 422 and words in await answer.text(), bad
    raw = "&".join(f"{k}={v}" for k, v in rule.items()).replace("18:00", "%FF%FE18")
    answer = await gateway.post("/admin/releases/rules", data=raw.encode(), cookies=cookies,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status in (400, 422)
    for path in (f"/admin/releases/audiences/{uuid4()}/codes",
                 "/admin/releases/audiences/nope/members",
                 f"/admin/releases/rules/{uuid4()}/delete",
                 f"/admin/releases/waiting-room/{uuid4()}"):
        answer = await gateway.post(path, data={"csrf": csrf, "code": "ABCD-1234",
                                                "contact": PHONES[0]}, cookies=cookies)
        assert answer.status == 404, (path, answer.status)
    answer = await gateway.post("/admin/releases/audiences", data={"csrf": "forged",
                                                                   "name": "X"}, cookies=cookies)
    assert answer.status == 403
