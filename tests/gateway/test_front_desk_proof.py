"""Issue 16's proof: a day at the front desk on a phone (Chromium, 375 px), with every table
holding rows (tests.fill) and one customer who has not come to an appointment that began 20
minutes ago. Only the calendar is opened by its address; everything else is reached through
the links and buttons the pages offer, as the owner would:

- a walk-in booked from a free gap in Marcus's calendar column, the notice waived;
- a weekly series (4 times) from a gap in Ana's column, previewed, then booked;
- the series customer found by phone on Customers, their history opened;
- one of the series moved from its page (Reschedule), the customer told (outbox: reschedule);
- the customer who did not come marked a no-show (outbox: no_show);
- a staff account invited from Staff for Ana: its login sees Ana's schedule only and gets a
  404 for the walk-in (Marcus's) typed in by address.

Every page on the way: no sideways scrolling, no serious axe-core finding, a screenshot kept
as test-artifacts/proof-NN-<page>.png.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Locator, Page
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.demo import demo_catalog
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_tables import CustomerRow
from tests.browser import PHONE, chromium
from tests.fill import Filled, _appointment, fill_id
from tests.gateway import test_pages_filled as pages_filled
from tests.gateway.booking_flow import rows
from tests.gateway.narrow import page_problems

pytestmark = [pytest.mark.db, pytest.mark.slow]
filled = pages_filled.filled
Client = TestClient[Any, Any]
Factory = async_sessionmaker[AsyncSession]
WALK_IN = ("Walter Walkin", "+15555550177")
SERIES = ("Serena Series", "+15555550188")
MISSED = ("Nora Noshow", "+15555550142")
STAFF_EMAIL, STAFF_PASSWORD = "ana.desk@example.com", "a long staff password"


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with chromium() as found:
        yield found


@dataclass
class Desk:
    """One signed-in phone: moves by clicking, and looks at every page it lands on."""

    page: Page
    origin: str
    who: str
    problems: dict[str, list[str]] = field(default_factory=dict)
    count: int = 0

    async def seen(self, name: str) -> None:
        await self.page.wait_for_load_state()
        self.count += 1
        found = await page_problems(self.page, f"proof-{self.who}-{self.count:02d}-{name}")
        if found:
            self.problems[f"{name} ({self.page.url.removeprefix(self.origin)})"] = found

    async def follow(self, link: Locator, name: str) -> None:
        async with self.page.expect_navigation():
            await link.click()
        await self.seen(name)

    async def press(self, button: str, name: str, within: Locator | Page | None = None) -> None:
        await self.follow((within or self.page).get_by_role("button", name=button, exact=True),
                          name)

    async def menu(self, section: str) -> None:
        nav = self.page.get_by_role("navigation", name="Admin sections")
        await self.follow(nav.get_by_role("link", name=section, exact=True), section.lower())

    def path(self) -> str:
        return self.page.url.removeprefix(self.origin)


async def _phone(browser: Browser, origin: str, who: str) -> Desk:
    context = await browser.new_context(viewport=PHONE,  # type: ignore[arg-type]
                                        bypass_csp=True, has_touch=True, is_mobile=True)
    return Desk(await context.new_page(), origin, who)


async def test_a_day_at_the_front_desk_on_a_phone(browser: Browser, gateway: Client,
                                                  session_factory: Factory,
                                                  filled: Filled) -> None:
    missed = await _missed_appointment(session_factory)
    origin = str(gateway.make_url("")).rstrip("/")
    desk = await _phone(browser, origin, "owner")
    await _sign_in(desk)
    walk_in = await _book_walk_in(desk)
    series = await _book_weekly_series(desk)
    first = await _find_by_phone(desk, series)
    await _reschedule(desk)
    moved = await rows(session_factory, "SELECT status, rescheduled_to FROM appointments "
                       "WHERE id = :id", id=first)
    assert moved[0][0] == "rescheduled" and moved[0][1] is not None, moved
    await _mark_no_show(desk)
    assert await rows(session_factory, "SELECT status FROM appointments WHERE id = :id",
                      id=missed) == [("no_show",)]
    assert await _kinds(session_factory, walk_in) >= {"confirmation"}
    assert await _kinds(session_factory, moved[0][1]) >= {"reschedule"}
    assert await _kinds(session_factory, missed) >= {"no_show"}
    staff = await _phone(browser, origin, "staff")
    await _invite_ana(desk, staff)
    await _ana_sees_her_own(staff, series, walk_in)
    wrong = {**desk.problems, **staff.problems}
    assert not wrong, "\n".join(f"{page}: {'; '.join(found)}" for page, found in wrong.items())


async def _missed_appointment(factory: Factory) -> UUID:
    """A customer booked online with Ana for 20 minutes ago and has not come."""
    now, customer, appointment = datetime.now(UTC), fill_id("customer/nora"), uuid4()
    name, phone = MISSED
    async with factory() as session:
        await session.execute(insert(CustomerRow).values(
            id=customer, business_id=demo_catalog().business.id, name=name, phone=phone,
            email="nora@example.com", notifications={}, preferences={}, created_at=now))
        await session.execute(insert(AppointmentRow).values(**_appointment(
            "confirmed", now - timedelta(minutes=20), now, customer, id=appointment,
            session_id=uuid4(), contact_name=name, contact_phone=phone,
            contact_email="nora@example.com", idempotency_key=f"nora:{appointment}", notes="")))
        await session.commit()
    return appointment


async def _sign_in(desk: Desk) -> None:
    await desk.page.goto(desk.origin + "/admin/calendar")  # the one address typed in
    await desk.seen("login")
    await desk.page.get_by_label("E-mail").fill("owner@example.com")
    await desk.page.get_by_label("Password").fill("correct horse")
    await desk.press("Log in", "calendar")
    assert desk.path().startswith("/admin/calendar"), desk.path()


async def _gap_of(desk: Desk, member: str) -> None:
    """Open the booking form from the first free gap in `member`'s column, going on day by
    day through the calendar's own "Next" link until there is one."""
    for _ in range(8):
        gaps = desk.page.get_by_role("region", name=member).get_by_role(
            "link", name=re.compile(r"^Free"))
        if await gaps.count():
            await desk.follow(gaps.first, f"book-{member.lower()}")
            assert desk.path().startswith("/admin/bookings/new"), desk.path()
            return
        await desk.follow(desk.page.get_by_role("link", name=re.compile(r"^Next day")),
                          "calendar-next")
    raise AssertionError(f"no free gap for {member} in a week of calendar days")


async def _fill_booking(desk: Desk, who: tuple[str, str]) -> None:
    """A new customer, the notice waived (a walk-in now, a series starting soon), and the
    gap's time (or the first free one)."""
    page = desk.page
    await page.get_by_role("checkbox", name=re.compile("Waive the minimum notice")).check()
    await desk.press("Show free times", "book-times", page.locator("form").last)
    await page.get_by_label("A new customer:").check()
    await page.get_by_label("Name", exact=True).fill(who[0])
    await page.get_by_label("Phone (optional)").fill(who[1])
    times = page.get_by_role("group", name=re.compile(r"^Time")).get_by_role("radio")
    assert await times.count(), await page.locator("main").inner_text()
    if not await page.get_by_role("group", name=re.compile(r"^Time")).locator(
            "input:checked").count():
        await times.first.check()


async def _booked_ids(desk: Desk) -> list[UUID]:
    assert desk.path().startswith("/admin/bookings/done"), await desk.page.locator(
        "main").inner_text()
    links = desk.page.locator("main a[href^='/admin/appointments/']")
    return [UUID((await links.nth(i).get_attribute("href") or "").rsplit("/", 1)[1])
            for i in range(await links.count())]


async def _book_walk_in(desk: Desk) -> UUID:
    await _gap_of(desk, "Marcus")
    await _fill_booking(desk, WALK_IN)
    await desk.press("Book", "booked-walk-in")
    booked = await _booked_ids(desk)
    assert len(booked) == 1 and WALK_IN[0] in await desk.page.locator("main").inner_text()
    return booked[0]


async def _book_weekly_series(desk: Desk) -> list[UUID]:
    await desk.menu("Calendar")
    await _gap_of(desk, "Ana")
    await _fill_booking(desk, SERIES)
    page = desk.page
    await page.get_by_label("Repeats", exact=True).select_option("yes")
    await page.get_by_label("Every", exact=True).fill("1")
    await page.get_by_label("Unit", exact=True).select_option("weeks")
    await page.get_by_label("Times in all").fill("4")
    await desk.press("Book", "series-preview")
    assert "4 times" in await page.get_by_role("heading", level=1).inner_text()
    await desk.press("Book the kept occurrences", "booked-series")
    booked = await _booked_ids(desk)
    assert len(booked) == 4, booked
    return booked


async def _find_by_phone(desk: Desk, series: list[UUID]) -> UUID:
    """Customers, searched by the phone's last digits as a caller reads them out; their
    record lists the whole series. The first of it is opened from there."""
    await desk.menu("Customers")
    await desk.page.get_by_label("Name, phone or e-mail").fill(SERIES[1][-7:])
    await desk.press("Search", "customers-found")
    await desk.follow(desk.page.get_by_role("link", name=SERIES[0]), "customer")
    history = desk.page.locator("#history")
    for appointment in series:
        assert await history.locator(f"a[href='/admin/appointments/{appointment}']").count()
    await desk.follow(history.locator(f"a[href='/admin/appointments/{series[0]}']"),
                      "appointment")
    return series[0]


async def _reschedule(desk: Desk) -> None:
    """Reschedule, a free time of a later day, the confirmation; the customer is told."""
    page = desk.page
    await desk.follow(page.get_by_role("link", name="Reschedule", exact=True), "reschedule")
    box = page.get_by_role("textbox", name="Day")
    day = date.fromisoformat(await box.input_value() or _today())
    times = page.locator("main ul a[href*='start=']")
    for _ in range(8):
        day += timedelta(days=1)
        await box.fill(day.isoformat())
        await desk.press("Show free times", "reschedule-times")
        if await times.count():
            break
    await desk.follow(times.first, "reschedule-confirm")
    await desk.press("Move the appointment", "rescheduled")
    messages = page.get_by_role("region", name="Messages about this appointment")
    assert "reschedule" in (await messages.inner_text()).lower()


def _today() -> str:
    return datetime.now(demo_catalog().business.zone).date().isoformat()


async def _mark_no_show(desk: Desk) -> None:
    """Appointments, searched by the customer's name, the appointment, Mark no-show, the
    confirmation; the customer gets the "we missed you" message."""
    await desk.menu("Appointments")
    await desk.page.get_by_label("Search").fill(MISSED[0])
    await desk.press("Find", "appointments-found")
    await desk.follow(desk.page.get_by_role("link", name=MISSED[0]).first, "missed")
    await desk.follow(desk.page.get_by_role("link", name="Mark no-show"), "no-show")
    await desk.press("Mark no-show", "marked-no-show")
    messages = desk.page.get_by_role("region", name="Messages about this appointment")
    assert "no show" in (await messages.inner_text()).lower().replace("_", " ")


async def _invite_ana(owner: Desk, staff: Desk) -> None:
    """Staff, invited by e-mail for Ana; with no e-mail service the page shows the link, which
    the new staff member opens on their own phone and chooses a password."""
    await owner.menu("Staff")
    page = owner.page
    await page.get_by_label("E-mail", exact=True).fill(STAFF_EMAIL)
    await page.get_by_label("Role", exact=True).select_option("staff")
    await page.get_by_label("Staff member (for a staff account)").select_option(label="Ana")
    await owner.press("Send invitation", "invited")
    link = await page.get_by_label("Invitation link").input_value()
    await staff.page.goto(staff.origin + urlsplit(link).path)
    await staff.seen("invitation")
    await staff.page.get_by_label("Password", exact=True).fill(STAFF_PASSWORD)
    await staff.page.get_by_label("Password again").fill(STAFF_PASSWORD)
    await staff.press("Create my account", "staff-today")
    assert staff.path() == "/admin", staff.path()


async def _ana_sees_her_own(staff: Desk, series: list[UUID], walk_in: UUID) -> None:
    """Today, Calendar and Appointments show Ana's schedule alone; Marcus's walk-in, typed in
    by address, is a 404."""
    page = staff.page
    assert await page.get_by_role("heading", name="Ana").count()
    assert not await page.get_by_role("heading", name="Marcus").count()
    await staff.menu("Calendar")
    assert await page.get_by_role("region", name="Ana").count()
    assert not await page.get_by_role("region", name="Marcus").count()
    await staff.menu("Appointments")
    listed = await page.locator("main").inner_text()
    assert SERIES[0] in listed and WALK_IN[0] not in listed, listed
    assert await page.locator(f"a[href='/admin/appointments/{series[1]}']").count()
    refused = await page.goto(staff.origin + f"/admin/appointments/{walk_in}")
    assert refused is not None and refused.status == 404
    assert WALK_IN[0] not in await page.content()
    await staff.seen("staff-refused")


async def _kinds(factory: Factory, appointment: UUID) -> set[str]:
    found = await rows(factory, "SELECT kind FROM outbox WHERE appointment_id = :id",
                       id=appointment)
    return {kind for (kind,) in found}
