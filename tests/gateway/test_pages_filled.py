"""Every admin page and every admin listing of the API, with every table holding rows.

`/admin/messages` and `/admin/waitlist` once returned 500 as soon as they had a row to show
(ORM rows read after their unit of work closed); the page tests only met empty tables. Here the
routes are enumerated from the app's router, so a page added later is visited too.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin.times import Times
from scheduling import formats
from scheduling.demo import demo_catalog
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.waitlist_tables import WaitlistEntryRow
from tests.fill import DESK_KEY, Filled, drop_conversations, empty_tables, fill, fill_id
from tests.gateway.admin_login import login_as
from tests.gateway.conftest import API_KEY

ADMIN = {"X-API-Key": API_KEY}
# What each page or listing must show of the filled rows (a row, not just an empty table).
PAGE_MARKS = {
    "/admin": ("alert",), "/admin/messages": ("alert", "attempt"),
    "/admin/calendars": ("calendar",), "/admin/conversations": ("conversation",),
    "/admin/appointments": ("appointment",), "/admin/waitlist": ("waitlist",),
    "/admin/analytics": ("booked_day",), "/admin/bot": (), "/admin/login": (),
    "/admin/setup": (), "/admin/catalog": ("Ana",), "/admin/catalog/rules": (),
    "/admin/calendar": ("Ana",), "/admin/staff": ("invitee",),
    "/admin/catalog/business": ("Shear Delight",), "/admin/catalog/messages": (),
    "/admin/catalog/blocklist": ("Blocked Bob",), "/admin/customers": ("customer",),
    "/admin/payments": (), "/admin/payments/list": ("re_filled", "customer"),
    "/admin/payments/list.csv": ("re_filled",), "/admin/bookings/done": ("customer",),
    "/admin/bookings/new": ("Ana",), "/admin/queue": ("queue_row",),
    "/admin/queue.json": ("Men's cut",), "/admin/releases": ("audience",),
}
LISTING_MARKS = {
    "/api/v1/appointments": ("appointment_id",), "/api/v1/waitlist": ("waitlist_id",),
    "/api/v1/analytics/summary": ("late_cancel",), "/api/v1/analytics/bookings": ("booked_day",),
    "/api/v1/analytics/heatmap": ("count",), "/api/v1/business": ("Shear Delight",),
    "/api/v1/services": ("Men's cut",), "/api/v1/staff": ("Ana",),
    "/api/v1/admin/business": ("Shear Delight",), "/api/v1/admin/locations": ("Main Street",),
    "/api/v1/admin/services": ("Men's cut",), "/api/v1/admin/staff": ("filled holiday",),
    "/api/v1/admin/booking-rules": ("hold_minutes",), "/api/v1/admin/messages": ("signature",),
    "/api/v1/admin/reminders": ("1440",), "/api/v1/admin/blocklist": ("filled block",),
}
# GET routes under /api/v1 that list nothing of the admin's: each with the reason.
NOT_LISTINGS = {
    "/api/v1/availability": "open times computed from the catalog, needs a service",
    "/api/v1/suggestions": "ranked open times, needs a service",
    "/api/v1/me/appointments": "the customer's own, behind a customer token",
}
EXTRA_QUERY = {"/admin/conversations": "?sender=fill-sender",
               "/admin/bookings/done": "?key=" + DESK_KEY.removeprefix("desk:")}


@pytest.fixture
async def filled(session_factory: async_sessionmaker[AsyncSession], gateway: TestClient,  # type: ignore[type-arg]
                 ) -> AsyncIterator[Filled]:
    done = await fill(session_factory, datetime.now(UTC))
    yield done
    await drop_conversations(session_factory)


def _gets(client: TestClient, prefix: str) -> list[str]:  # type: ignore[type-arg]
    paths = {r.resource.canonical for r in client.app.router.routes()
             if r.method == "GET" and r.resource is not None}
    return sorted(p for p in paths if p == prefix or p.startswith(prefix + "/"))


def _marks(filled: Filled) -> dict[str, str]:
    return filled.marks | {
        "appointment_id": str(filled.appointment_ids["confirmed"]),
        "waitlist_id": str(filled.customer_id), "late_cancel": "late_cancel", "count": "\"count\"",
        "Shear Delight": "Shear Delight", "Men's cut": "Men's cut", "Ana": "Ana",
        "Blocked Bob": "Blocked Bob",
        "Main Street": "Main Street", "filled holiday": "filled holiday",
        "hold_minutes": "\"hold_minutes\": 10", "signature": "Filled signature",
        "1440": "[1440, 60]", "filled block": "filled block",
        "re_filled": "re_filled", "queue_row": 'data-count="waiting">1<',
    }


async def test_fill_writes_every_table(session_factory: async_sessionmaker[AsyncSession],
                                       filled: Filled) -> None:
    assert await empty_tables(session_factory) == []


async def test_every_admin_page_shows_its_rows(
    gateway: TestClient, session_factory: async_sessionmaker[AsyncSession], filled: Filled,  # type: ignore[type-arg]
) -> None:
    cookies = await login_as(session_factory, filled.admin_email)
    marks, seen = _marks(filled), []
    for path in _gets(gateway, "/admin"):
        if "{" in path:
            continue
        assert path in PAGE_MARKS, f"{path}: a new admin page; say what it must show"
        response = await gateway.get(path + EXTRA_QUERY.get(path, ""), cookies=cookies,
                                     allow_redirects=False)
        body = await response.text()
        assert response.status == 200, (path, body[-2000:])
        for mark in PAGE_MARKS[path]:
            assert marks[mark] in body, (path, mark)
        seen.append(path)
    transcript = await (await gateway.get("/admin/conversations?sender=fill-sender",
                                          cookies=cookies)).text()
    assert marks["transcript"] in transcript
    assert set(seen) == set(PAGE_MARKS)


async def test_admin_pages_write_times_in_the_business_zone_as_every_channel_does(
    gateway: TestClient, session_factory: async_sessionmaker[AsyncSession], filled: Filled,  # type: ignore[type-arg]
) -> None:
    """The rows are stored in UTC; the pages once printed them as stored, on a 24-hour clock
    the chat and messages did not use."""
    times = Times(demo_catalog().business.zone)
    async with session_factory() as session:
        start = await session.scalar(select(AppointmentRow.starts_at).where(
            AppointmentRow.id == filled.appointment_ids["confirmed"]))
        windows = await session.scalar(select(WaitlistEntryRow.windows).where(
            WaitlistEntryRow.id == fill_id("waitlist/waiting")))
    assert start is not None and windows
    cookies = await login_as(session_factory, filled.admin_email)
    listing = await (await gateway.get("/admin/appointments", cookies=cookies)).text()
    assert f'<td data-label="When">{formats.short_when(start, times.zone)}</td>' in listing
    waiting = await (await gateway.get("/admin/waitlist", cookies=cookies)).text()
    low, high = (datetime.fromisoformat(moment) for moment in windows[0])
    assert times.span(low, high) in waiting
    assert re.search(r" – \d{1,2}(:\d{2})? [AP]M<", waiting)  # same day: the end's clock only


async def test_every_api_listing_shows_its_rows(gateway: TestClient, filled: Filled  # type: ignore[type-arg]
                                                ) -> None:
    marks, seen = _marks(filled), []
    for path in _gets(gateway, "/api/v1"):
        if "{" in path or path in NOT_LISTINGS:
            continue
        assert path in LISTING_MARKS, f"{path}: a new listing; say what it must show"
        response = await gateway.get(path, headers=ADMIN)
        body = await response.text()
        assert response.status == 200, (path, body[-2000:])
        for mark in LISTING_MARKS[path]:
            assert marks[mark] in body, (path, mark, body[:500])
        seen.append(path)
    assert set(seen) == set(LISTING_MARKS)
    appointment = str(filled.appointment_ids["confirmed"])
    one = await gateway.get(f"/api/v1/appointments/{appointment}", headers=ADMIN)
    assert one.status == 200 and filled.marks["customer"] in await one.text()
    assert re.search(r"late_cancel", await (await gateway.get(
        "/api/v1/appointments?status=late_cancel", headers=ADMIN)).text())


async def test_the_no_shows_fee_is_on_its_detail_page(
    gateway: TestClient, session_factory: async_sessionmaker[AsyncSession], filled: Filled,  # type: ignore[type-arg]
) -> None:
    """The fee charged to the saved card (tests.fill), with the provider's payment id."""
    cookies = await login_as(session_factory, filled.admin_email)
    page = await (await gateway.get(f"/admin/appointments/{filled.appointment_ids['no_show']}",
                                    cookies=cookies)).text()
    assert "No-show fee" in page and "charged to the saved card (pi_fee_filled)" in page
