"""The analytics page and its reads over `tests.analytics_ledger`: a week of both branches'
appointments in every channel and status, with paid, refunded and unpaid deposits, empty days
and a DST change; every figure is compared with the value worked out by hand there. Then the
page is attacked: unreadable ranges are a 422 with a message, a staff account a 403."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from html import unescape
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence import booking_analytics as analytics
from scheduling.persistence.admin_reads import Filters
from scheduling.persistence.admin_tables import AdminUserRow
from scheduling.report_days import DayRange
from tests import analytics_ledger as ledger
from tests import branches
from tests.branches import branch_demo  # noqa: F401 (the gateway's catalog: two branches)
from tests.gateway.admin_login import login_as
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
Factory = async_sessionmaker[AsyncSession]
RANGE = f"from={ledger.FIRST}&until={ledger.LAST}"
OWNER = "owner@example.com"
ADMIN = {"X-API-Key": API_KEY}


@pytest.fixture
async def ledger_rows(session_factory: Factory, gateway: TestClient) -> None:  # type: ignore[type-arg]
    await ledger.write(session_factory)


async def _reads(factory: Factory, location: UUID | None, zone: str
                 ) -> tuple[analytics.Revenue, analytics.Counts]:
    days = DayRange(ledger.FIRST, ledger.LAST, ZoneInfo(zone))
    filters = Filters(ledger.BUSINESS, days.start, days.end,
                      location_ids=() if location is None else (location,))
    async with factory() as session:
        return (await analytics.revenue(session, filters),
                await analytics.counts(session, filters, zone))


@pytest.mark.parametrize(("location", "zone", "expected"), [
    (None, "America/New_York", ledger.EVERYWHERE),
    (branches.HARBOUR, "America/Chicago", ledger.HARBOUR),
])
async def test_reads_give_the_hand_computed_figures(
    session_factory: Factory, ledger_rows: None, location: UUID | None, zone: str,
    expected: ledger.Expected,
) -> None:
    revenue, counts = await _reads(session_factory, location, zone)
    assert revenue == analytics.Revenue(expected.booked, expected.completed,
                                        expected.deposits_kept, expected.deposits_owed,
                                        expected.late_cancel_fees, expected.paid)
    assert counts.by_status == expected.by_status
    assert counts.by_channel == expected.by_channel
    assert counts.by_service == expected.by_service and counts.by_staff == expected.by_staff
    days = DayRange(ledger.FIRST, ledger.LAST, ZoneInfo(zone)).days()
    assert [counts.by_day.get(day, 0) for day in days] == expected.by_day
    assert set(counts.by_day) <= set(days)


def _table(body: str, caption: str) -> dict[str, list[str]]:
    """A table of the page, by the start of its caption: row header -> its cells."""
    found = re.search(r"<caption>" + re.escape(caption) + r".*?</caption>(.*?)</table>", body,
                      re.S)
    assert found, caption
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", found.group(1), re.S)
    return {unescape(head): [unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells)]
            for head, cells in rows}


def _chart(body: str) -> dict[str, Any]:
    found = re.search(r'id="chart-data">(.*?)</script>', body, re.S)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


async def _page(client: TestClient, factory: Factory, query: str,  # type: ignore[type-arg]
                status: int = 200) -> str:
    cookies = await login_as(factory, OWNER)
    response = await client.get(f"/admin/analytics?{query}", cookies=cookies,
                                allow_redirects=False)
    body = await response.text()
    assert response.status == status, body[-1500:]
    return body


async def test_the_page_shows_every_figure_of_the_business(
    gateway: TestClient, session_factory: Factory, ledger_rows: None,  # type: ignore[type-arg]
) -> None:
    body = await _page(gateway, session_factory, RANGE)
    assert "<strong>12</strong> bookings" in body and "<strong>$330</strong> paid" in body
    money = {k: v[0] for k, v in _table(body, "Revenue").items()}
    assert money == {"Booked value": "$595", "Paid": "$330", "Completed": "$275",
                     "Deposits paid": "$85", "Deposits not yet paid": "$30",
                     "Late-cancel fees": "$25", "No-show fees": "$40",
                     "Collected": "$0"}  # no money moved (tests/gateway/test_paid_revenue.py)
    assert _table(body, "Bookings per day") == {
        "Fri, Mar 6": ["4"], "Sat, Mar 7": ["0"], "Sun, Mar 8": ["1"], "Mon, Mar 9": ["0"],
        "Tue, Mar 10": ["7"]}
    assert _table(body, "Bookings by channel") == {
        "Web (chat and booking page)": ["4"], "SMS": ["2"], "Phone (voice)": ["2"],
        "API": ["2"], "Front desk": ["2"]}
    assert _table(body, "Bookings by status") == {
        "Pending": ["1"], "Confirmed": ["2"], "Completed": ["4"], "No-show": ["1"],
        "Cancelled": ["2"], "Cancelled late": ["1"], "Moved to another time": ["1"]}
    services = _table(body, "Bookings by service")
    assert list(services.items())[:4] == [("Colour", ["6"]), ("Men's cut", ["3"]),
                                          ("Hot towel shave", ["2"]), ("Women's cut", ["1"])]
    assert services["Beard trim"] == ["0"] and services["Blow-dry"] == ["0"]
    assert _table(body, "Bookings by staff member") == {
        "Ana": ["3"], "Dana": ["3"], "Marcus": ["3"], "Priya": ["3"]}
    chart = _chart(body)
    assert chart["days"] == [["2026-03-06", 4], ["2026-03-07", 0], ["2026-03-08", 1],
                             ["2026-03-09", 0], ["2026-03-10", 7]]
    assert chart["charts"]["by-channel"]["values"] == [4, 2, 2, 2, 2]
    heat = _table(body, "Bookings by weekday")  # from midnight: h3 is at 00:30 in New York
    assert len(heat["Monday"]) == 24 and sum(int(n) for n in heat["Friday"]) == 4
    assert (heat["Tuesday"][11], heat["Tuesday"][0], heat["Sunday"][23]) == ("2", "1", "1")


async def test_a_branch_reads_its_own_clock(
    gateway: TestClient, session_factory: Factory, ledger_rows: None,  # type: ignore[type-arg]
) -> None:
    body = await _page(gateway, session_factory, f"{RANGE}&location={branches.HARBOUR}")
    assert "Analytics at Harbour" in body and "America/Chicago" in body
    assert "<strong>3</strong> bookings" in body
    money = {k: v[0] for k, v in _table(body, "Revenue").items()}
    assert (money["Booked value"], money["Paid"], money["No-show fees"]) == ("$130", "$90", "$0")
    assert [n for _, n in _chart(body)["days"]] == ledger.HARBOUR.by_day
    assert _table(body, "Bookings by staff member") == {"Dana": ["3"]}
    assert f'value="{branches.HARBOUR}" selected' in body
    assert f"range=7&amp;location={branches.HARBOUR}" in body


async def test_presets_and_the_default_range(
    gateway: TestClient, session_factory: Factory, ledger_rows: None,  # type: ignore[type-arg]
) -> None:
    default = await _page(gateway, session_factory, "")
    assert len(_chart(default)["days"]) == 60
    assert 'href="/admin/analytics?range=around" aria-current="true"' in default
    week = await _page(gateway, session_factory, "range=7")
    assert len(_chart(week)["days"]) == 7 and "<strong>0</strong> bookings" in week
    assert 'href="/admin/analytics?range=7" aria-current="true"' in week


@pytest.mark.parametrize(("query", "words"), [
    ("from=2026-13-45&until=2026-03-10", "from is not a date"),
    ("from=2026-03-10&until=2026-03-06", "until (2026-03-06) is before from (2026-03-10)"),
    ("from=2026-03-06&until=9999-12-31", "until must be between"),
    ("from=9999-12-31", "from must be between"),
    ("from=2024-01-01&until=2026-03-06", "a range is at most 400 days"),
    ("from=" + "9" * 6000, "from is not a date"),  # aiohttp itself refuses 8 KB (a 400)
    ("from=%FF%FE&until=2026-03-10", "from is not a date"),
    ("range=%3Cscript%3E", "unknown range"),
], ids=["month-13", "reversed", "until-9999", "from-9999", "too-long", "huge", "bad-utf8",
        "unknown-preset"])
async def test_unreadable_ranges_get_a_message_not_a_500(
    gateway: TestClient, session_factory: Factory, ledger_rows: None,  # type: ignore[type-arg]
    query: str, words: str,
) -> None:
    body = await _page(gateway, session_factory, query, status=422)
    assert words in unescape(body) and 'role="alert"' in body
    assert "<script>" not in body and "chart-data" not in body


async def test_the_owners_alone(
    gateway: TestClient, session_factory: Factory, ledger_rows: None,  # type: ignore[type-arg]
) -> None:
    anonymous = await gateway.get(f"/admin/analytics?{RANGE}", allow_redirects=False)
    assert anonymous.status == 303 and "/admin/login" in anonymous.headers["Location"]
    cookies = await login_as(session_factory, "ana@example.com")
    async with session_factory() as session:
        await session.execute(update(AdminUserRow).where(AdminUserRow.email == "ana@example.com")
                              .values(role="staff", staff_id=ledger.ANA))
        await session.commit()
    refused = await gateway.get(f"/admin/analytics?{RANGE}", cookies=cookies,
                                allow_redirects=False)
    assert refused.status == 403 and "$" not in await refused.text()


async def test_the_api_reads_the_same_figures(
    gateway: TestClient, ledger_rows: None,  # type: ignore[type-arg]
) -> None:
    window = {"from": "2026-03-06T00:00:00-05:00", "until": "2026-03-11T00:00:00-04:00"}
    summary = await gateway.get("/api/v1/analytics/summary", params=window, headers=ADMIN)
    found = await summary.json()
    assert summary.status == 200, found
    assert found["revenue"] == {
        "currency": "USD", "booked": "595.00", "paid": "330.00", "completed": "275.00",
        "deposits_paid": "85.00", "deposits_owed": "30.00", "late_cancel_fees": "25.00",
        "no_show_fees": "40.00"}
    assert found["by_channel"] == ledger.EVERYWHERE.by_channel
    assert found["by_staff"] == {str(k): n for k, n in ledger.EVERYWHERE.by_staff.items()}
    assert found["by_service"] == {str(k): n for k, n in ledger.EVERYWHERE.by_service.items()}
    per_day = await (await gateway.get("/api/v1/analytics/bookings", headers=ADMIN,
                                       params=window)).json()
    assert [(d["start"], d["count"]) for d in per_day["items"]] == [
        ("2026-03-06", 4), ("2026-03-07", 0), ("2026-03-08", 1), ("2026-03-09", 0),
        ("2026-03-10", 7)]
    harbour = await (await gateway.get("/api/v1/analytics/bookings", headers=ADMIN, params={
        **window, "location_id": str(branches.HARBOUR)})).json()
    # the window's instants, on Chicago's clock, start at 11 PM on the 5th: a day of its own
    assert harbour["items"][0] == {"start": "2026-03-05", "count": 0}
    assert [d["count"] for d in harbour["items"][1:]] == ledger.HARBOUR.by_day


def test_the_ledger_adds_up() -> None:
    """The hand-worked totals agree with each other (a typo in one would show here)."""
    for expected in (ledger.EVERYWHERE, ledger.HARBOUR):
        total = sum(expected.by_status.values())
        assert total == sum(expected.by_channel.values()) == sum(expected.by_day)
        assert total == sum(expected.by_service.values()) == sum(expected.by_staff.values())
    assert ledger.EVERYWHERE.paid == Decimal("275") + Decimal("30") + Decimal("25")
