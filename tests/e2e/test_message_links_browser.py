"""Every kind of message a customer is sent, followed in Chromium: the system sends it (the
real dispatcher and outbox), the link is taken from the SMS as the database recorded it
(`delivery_attempts.summary`), opened (a short `/a/` link redirects to its page), and what
the page offers is done: move, cancel, accept and pick a new time, claim, book again. The
database is checked after each; every page visited gets a screenshot and axe-core, at
1280 px and at 375 px (no sideways scrolling there)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from playwright.async_api import Page, ViewportSize
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.resources import SETTINGS
from assistant.notifications.dispatcher import Dispatcher
from assistant.notifications.runtime import DISPATCHER, email_sender, sms_sender
from scheduling.booking import attendance, changes, waitlist
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, Appointment, Status
from scheduling.demo import demo_id
from scheduling.persistence.desk_uow import DeskUnitOfWork
from tests.browser import DESKTOP, PHONE, check_page, chromium, fits_width, press_enter
from tests.gateway import conftest as gateway_fixtures

pytestmark = [pytest.mark.db, pytest.mark.slow]
Client = TestClient[web.Request, web.Application]
Factory = async_sessionmaker[AsyncSession]
MENS_CUT, ANA = demo_id("service/Men's cut"), demo_id("staff/ana")
URL = re.compile(r"https?://[^\s]+")
rasa, demo, gateway = gateway_fixtures.rasa, gateway_fixtures.demo, gateway_fixtures.gateway
"""The gateway of tests/gateway: the demo salon on the test database, a stand-in Rasa."""


@dataclass
class Tab:
    page: Page
    size: str
    width: int

    async def seen(self, name: str) -> str:
        """Screenshot and axe-core for the page as it is; its main heading."""
        await self.page.wait_for_load_state()
        await check_page(self.page, f"message-links-{self.size}-{name}")
        if self.width == PHONE["width"]:
            assert await self.page.evaluate(fits_width(self.width)), name
        return await self.page.locator("h1").inner_text()

    async def go(self, role: str, name: str) -> None:
        """Follow the link or press the button a customer would, and wait for the page."""
        await self.page.get_by_role(role, name=name, exact=True).click()  # type: ignore[arg-type]
        await self.page.wait_for_load_state()

    async def pick_time(self, index: int = 1) -> datetime:
        """Press one of the free times listed; the start it stands for."""
        button = self.page.locator("ul.times button").nth(index)
        start = await button.get_attribute("value")
        assert start is not None
        await button.click()
        await self.page.wait_for_load_state()
        return datetime.fromisoformat(start)


@pytest.fixture(params=["desktop", "phone"])
async def tab(request: pytest.FixtureRequest) -> AsyncIterator[Tab]:
    viewport = DESKTOP if request.param == "desktop" else PHONE
    async with chromium() as browser:
        # axe-core goes in as a script tag, which the pages' CSP (default-src 'self') would
        # refuse; the headers themselves are checked by tests/gateway/test_appointment_pages
        size = ViewportSize(width=viewport["width"], height=viewport["height"])
        context = await browser.new_context(viewport=size, bypass_csp=True)
        yield Tab(await context.new_page(), request.param, viewport["width"])


@pytest.fixture
def uow(session_factory: Factory) -> DeskUnitOfWork:
    return DeskUnitOfWork(session_factory)


async def stored(uow: DeskUnitOfWork, appointment_id: UUID) -> Appointment:
    async with uow:
        return await uow.appointments.get(appointment_id)


async def book(client: Client, uow: DeskUnitOfWork, phone: str, pick: int = 0
               ) -> Appointment:
    """A Men's cut with Ana for a new customer, through the REST API (as chat would)."""
    start = datetime.now(UTC) + timedelta(days=3)
    free = await client.get("/api/v1/availability", params={
        "service_id": str(MENS_CUT), "staff_id": str(ANA), "start": start.isoformat(),
        "end": (start + timedelta(days=7)).isoformat()})
    chosen = (await free.json())["items"][pick]["start"]
    response = await client.post("/api/v1/appointments", json={
        "service_id": str(MENS_CUT), "staff_id": str(ANA), "start": chosen,
        "customer": {"name": "Dana Fox", "phone": phone}},
        headers={"Idempotency-Key": uuid4().hex})
    assert response.status == 201, await response.text()
    return await stored(uow, UUID((await response.json())["appointment"]["id"]))


def dispatcher_at(client: Client, moment: datetime) -> Dispatcher:
    """The gateway's own dispatcher (renderer, senders) on a clock set to `moment`: how a
    test sends what is due a day from now without waiting a day."""
    running, settings = client.app[DISPATCHER], client.app[SETTINGS]
    return Dispatcher(running.factory, running.renderer, email_sender(settings),
                      sms_sender(settings), lambda: moment)


async def sms_link(client: Client, factory: Factory, kind: str, phone: str,
                   dispatcher: Dispatcher | None = None) -> str:
    """The first address in the `kind` SMS sent to `phone`, as the test server serves it."""
    summary = await message_text(client, factory, kind, phone, dispatcher)
    found = URL.search(summary)
    assert found, summary
    parts = urlsplit(found.group(0).rstrip(".,"))
    return str(client.make_url(parts.path + (f"?{parts.query}" if parts.query else "")))


async def message_text(client: Client, factory: Factory, kind: str, phone: str,
                       dispatcher: Dispatcher | None = None) -> str:
    """The text of the last `kind` SMS sent to `phone`, once the dispatcher has sent it (the
    gateway's background dispatcher may have claimed it first: its attempt is waited for)."""
    for _ in range(40):
        await (dispatcher or client.app[DISPATCHER]).run_once()
        async with factory() as session:
            summary = (await session.execute(text(
                "SELECT d.summary FROM delivery_attempts d JOIN outbox o ON o.id = d.outbox_id "
                "WHERE o.kind = :kind AND d.channel = 'sms' AND d.recipient = :phone "
                "AND d.status = 'sent' ORDER BY d.id DESC LIMIT 1"),
                {"kind": kind, "phone": phone})).scalar_one_or_none()
        if summary:
            return str(summary)
        await asyncio.sleep(0.25)
    raise AssertionError(f"no {kind} SMS was sent to {phone}")


async def test_confirmation_link_moves_the_appointment(
    gateway: Client, tab: Tab, uow: DeskUnitOfWork, session_factory: Factory,
) -> None:
    booked = await book(gateway, uow, "+15550005001")
    await tab.page.goto(await sms_link(gateway, session_factory, "confirmation",
                                       "+15550005001"))
    assert await tab.seen("confirmation-manage") == "Your appointment"
    await tab.go("link", "Change the time")
    assert await tab.seen("confirmation-picker") == "Change the time"
    start = await tab.pick_time()
    assert await tab.seen("confirmation-moved") == "Your appointment"
    assert "Done: your appointment is now" in await tab.page.inner_text("main")
    old = await stored(uow, booked.id)
    assert old.status is Status.RESCHEDULED and old.rescheduled_to is not None
    new = await stored(uow, old.rescheduled_to)
    assert (new.status, new.start) == (Status.CONFIRMED, start)


async def test_reminder_link_cancels_by_keyboard(
    gateway: Client, tab: Tab, uow: DeskUnitOfWork, session_factory: Factory,
) -> None:
    booked = await book(gateway, uow, "+15550005002")
    day_before = dispatcher_at(gateway, booked.start - timedelta(hours=23))
    await tab.page.goto(await sms_link(gateway, session_factory, "reminder", "+15550005002",
                                       day_before))
    assert await tab.seen("reminder-manage") == "Your appointment"
    await tab.page.get_by_role("link", name="Cancel the appointment").focus()
    await press_enter(tab.page)
    assert await tab.seen("reminder-cancel") == "Cancel your appointment?"
    assert "Cancelling now is free." in await tab.page.inner_text("main")
    await tab.page.get_by_label("Reason").fill("Away that week")
    await tab.page.keyboard.press("Tab")
    await press_enter(tab.page)  # the focused "Yes, cancel it"
    assert await tab.seen("reminder-cancelled") == "This appointment is cancelled"
    cancelled = await stored(uow, booked.id)
    assert cancelled.status is Status.CANCELLED and cancelled.cancellation is not None
    assert cancelled.cancellation.reason == "Away that week"


async def test_owner_change_link_accepts_then_books_a_new_time(
    gateway: Client, tab: Tab, uow: DeskUnitOfWork, session_factory: Factory,
) -> None:
    booked = await book(gateway, uow, "+15550005003")
    await changes.cancel(CancelAppointment(booked.id, Actor.OWNER, "Ana is ill"), uow,
                         datetime.now(UTC))
    await tab.page.goto(await sms_link(gateway, session_factory, "cancellation",
                                       "+15550005003"))
    heading = await tab.seen("owner-change")
    assert heading == "Shear Delight Salon had to cancel your appointment"
    await tab.go("button", "That is fine, no new time needed")
    await tab.seen("owner-change-accepted")
    async with uow:
        history = await uow.appointments.history(booked.id)
    assert changes.change_accepted(history) is not None
    await tab.go("link", "Pick another time")
    assert await tab.seen("owner-change-picker") == "Pick a new time"
    start = await tab.pick_time(2)
    assert await tab.seen("owner-change-booked") == "Your appointment"
    async with uow:
        new = await uow.appointments.by_key(booked.business_id, f"rebook:{booked.id}")
    assert new is not None and (new.status, new.start) == (Status.CONFIRMED, start)
    assert new.customer_id == booked.customer_id


async def test_waitlist_offer_link_claims_the_time(
    gateway: Client, tab: Tab, uow: DeskUnitOfWork, session_factory: Factory,
) -> None:
    freed = await book(gateway, uow, "+15550005004")
    waiting = await book(gateway, uow, "+15550005005", pick=12)
    now = datetime.now(UTC)
    assert waiting.customer_id is not None
    await waitlist.join(waitlist.JoinWaitlist(
        freed.business_id, waiting.customer_id, MENS_CUT,
        ((freed.start - timedelta(hours=1), freed.start + timedelta(hours=1)),)), uow, now)
    await changes.cancel(CancelAppointment(freed.id, Actor.CUSTOMER), uow, now)
    await tab.page.goto(await sms_link(gateway, session_factory, "waitlist_offer",
                                       "+15550005005"))
    assert await tab.seen("waitlist-offer") == "A time opened up for you"
    await tab.go("button", "Claim this time")
    assert await tab.seen("waitlist-claimed") == "The time is yours"
    async with uow:
        [offer] = [o for o in await uow.desk.history(waiting.customer_id)
                   if o.start == freed.start]
    assert offer.status is Status.CONFIRMED


async def test_no_show_link_books_again(
    gateway: Client, tab: Tab, uow: DeskUnitOfWork, session_factory: Factory,
) -> None:
    phone = "+15550005006"
    missed = await book(gateway, uow, phone)
    async with session_factory() as session:  # a customer who books by text: number proven
        await session.execute(text("UPDATE customers SET phone_verified_at = now() "
                                   "WHERE id = :id"), {"id": missed.customer_id})
        await session.commit()
    later = missed.end + timedelta(days=1)
    await attendance.close_past(uow, later)
    assert (await stored(uow, missed.id)).status is Status.NO_SHOW
    await tab.page.goto(await sms_link(gateway, session_factory, "no_show", phone,
                                       dispatcher_at(gateway, later)))
    if "/appointments/" in tab.page.url:  # a page of the appointment offers to book again
        assert await tab.seen("no-show") == "We missed you"
        await tab.go("link", "Book again")
    await tab.seen("no-show-book-again")
    assert urlsplit(tab.page.url).path.startswith("/book/")
    assert "Men's cut" in await tab.page.inner_text("main")
    await tab.go("button", "Ana")
    await tab.seen("no-show-book-times")
    start = await tab.pick_time(0)
    await tab.page.get_by_label("Your name").fill("Dana Fox")
    await tab.page.get_by_label("Mobile phone").fill(phone)
    await tab.go("button", "Send my code")
    await tab.seen("no-show-book-code")
    await tab.page.get_by_label("Code").fill(await sent_code(gateway, session_factory, phone))
    await tab.go("button", "Check my code")
    await tab.go("button", "Confirm booking")
    await tab.seen("no-show-booked")
    assert missed.customer_id is not None
    async with uow:
        again = [a for a in await uow.desk.history(missed.customer_id) if a.id != missed.id]
    assert [(a.status, a.start) for a in again] == [(Status.CONFIRMED, start)]


async def sent_code(client: Client, factory: Factory, phone: str) -> str:
    """The one-time code in the last SMS to `phone`, as the customer reads it."""
    link_or_code = await message_text(client, factory, "verification_code", phone)
    found = re.search(r"\b(\d{6})\b", link_or_code)
    assert found, link_or_code
    return found.group(1)
