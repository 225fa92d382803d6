"""Money collected per day on the analytics page and in /api/v1/analytics/summary, over
`tests.payment_list_rows` (the analytics ledger's money, worked out by hand there): deposits
and fees count on the day they were paid on the business's clock, a refund made takes its amount off
that day, a deposit still owed, a refund pending or failed counts nothing, and a day without
money is 0. A branch without money shows zeros, not the business's."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence import payment_reads
from scheduling.report_days import DayRange
from tests import analytics_ledger as ledger
from tests import branches
from tests import payment_list_rows as money
from tests.branches import branch_demo  # noqa: F401 (the gateway's catalog: two branches)
from tests.gateway.admin_login import login_as
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
Factory = async_sessionmaker[AsyncSession]
DAYS = [ledger.FIRST.replace(day=n).isoformat() for n in range(6, 11)]
WINDOW = {"from": "2026-03-06T00:00:00-05:00", "until": "2026-03-11T00:00:00-04:00"}


@pytest.fixture
async def paid_rows(session_factory: Factory, gateway: TestClient) -> None:  # type: ignore[type-arg]
    await ledger.write(session_factory)
    await money.write(session_factory)


async def test_collected_per_local_day(session_factory: Factory, paid_rows: None) -> None:
    days = DayRange(ledger.FIRST, ledger.LAST, ledger.NY)
    scope = payment_reads.Scope(ledger.BUSINESS, days.start, days.end)
    async with session_factory() as session:
        found = await payment_reads.collected_by_day(session, scope, "America/New_York")
        in_utc = await payment_reads.collected_by_day(session, scope, "UTC")
    assert {day.isoformat(): amount for day, amount in found.items()} == {
        day: amount for day, amount in zip(DAYS, money.BY_DAY, strict=True) if amount}
    assert in_utc[ledger.LAST] == Decimal("55")  # m4's 23:30 deposit is Mar 10 in UTC


async def test_the_api_answers_every_day_with_its_money(
    gateway: TestClient, paid_rows: None,  # type: ignore[type-arg]
) -> None:
    headers = {"X-API-Key": API_KEY}
    answer = await gateway.get("/api/v1/analytics/summary", params=WINDOW, headers=headers)
    found = (await answer.json())["collected"]
    assert answer.status == 200
    assert found["total"] == "125.00" and Decimal(found["total"]) == money.COLLECTED
    assert [(d["day"], Decimal(d["amount"])) for d in found["by_day"]] == list(
        zip(DAYS, money.BY_DAY, strict=True))
    assert found["by_day"][1]["amount"] == "0.00"
    harbour = await gateway.get("/api/v1/analytics/summary", headers=headers,
                                params=WINDOW | {"location_id": str(branches.HARBOUR)})
    assert {d["amount"] for d in (await harbour.json())["collected"]["by_day"]} == {"0.00"}


async def test_the_page_shows_collected_beside_booked(
    gateway: TestClient, session_factory: Factory, paid_rows: None,  # type: ignore[type-arg]
) -> None:
    owner = await login_as(session_factory, "owner@example.com")
    answer = await gateway.get(f"/admin/analytics?from={ledger.FIRST}&until={ledger.LAST}",
                               cookies=owner)
    body = unescape(await answer.text())
    assert answer.status == 200
    revenue = re.search(r'<table class="grid figures-table money">.*?</table>', body, re.S)
    assert revenue is not None
    labels = re.findall(r'<th scope="row">([^<]+)</th><td>([^<]+)</td>', revenue.group(0))
    assert labels[:2] == [("Booked value", "$595"), ("Collected", "$125")]
    block = body.split('id="collected-per-day-title"')[1].split("</table>")[0]
    assert re.findall(r"<td>([^<]+)</td>", block) == ["$60", "$0", "-$30", "$70", "$25"]
