"""The owner's payments list over `tests.payment_list_rows` (the analytics ledger's money):
every deposit paid, fee and refund in the range, newest first, with the range's totals worked out
by hand, each appointment linked (and the link followed), the same rows as CSV; a range that
cannot be read is a 422 page, a staff account a 403."""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from html import unescape

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import insert, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence import payment_reads
from scheduling.persistence.admin_tables import AdminUserRow
from scheduling.persistence.outbox import OutboxRow
from scheduling.report_days import DayRange
from tests import analytics_ledger as ledger
from tests import branches
from tests import payment_list_rows as money
from tests.branches import branch_demo  # noqa: F401 (the gateway's catalog: two branches)
from tests.gateway.admin_login import login_as

pytestmark = pytest.mark.db
Factory = async_sessionmaker[AsyncSession]
RANGE = f"from={ledger.FIRST}&until={ledger.LAST}"
OWNER = "owner@example.com"


@pytest.fixture
async def paid_rows(session_factory: Factory, gateway: TestClient) -> None:  # type: ignore[type-arg]
    await ledger.write(session_factory)
    await money.write(session_factory)


def _scope(*locations: object) -> payment_reads.Scope:
    days = DayRange(ledger.FIRST, ledger.LAST, ledger.NY)
    return payment_reads.Scope(ledger.BUSINESS, days.start, days.end, locations)  # type: ignore[arg-type]


async def test_every_movement_newest_first_with_the_hand_worked_totals(
    session_factory: Factory, paid_rows: None,
) -> None:
    async with session_factory() as session:
        rows = await payment_reads.movements(session, _scope())
        totals = await payment_reads.totals(session, _scope())
        harbour = await payment_reads.movements(session, _scope(branches.HARBOUR))
    assert [(r.kind, str(r.appointment_id)[:8], r.amount, r.method, r.reference, r.status)
            for r in rows] == [
        ("refund", str(ledger.ledger_id("m4"))[:8], Decimal("30"), "online", "pi_m4", "failed"),
        ("refund", str(ledger.ledger_id("m8"))[:8], Decimal("30"), "online", "pi_m8", "pending"),
        ("refund", str(ledger.ledger_id("m6"))[:8], Decimal("5"), "in person",
         "in person (card)", "refund at the desk"),
        ("fee", str(ledger.ledger_id("m6"))[:8], Decimal("25"), "online", "", "pay link sent"),
        ("deposit", str(ledger.ledger_id("m6"))[:8], Decimal("30"), "card", "in person (card)",
         "paid"),
        ("deposit", str(ledger.ledger_id("m4"))[:8], Decimal("30"), "online", "pi_m4", "paid"),
        ("fee", str(ledger.ledger_id("m3"))[:8], Decimal("40"), "saved card", "pi_fee_m3",
         "paid"),
        ("refund", str(ledger.ledger_id("m9"))[:8], Decimal("30"), "online", "re_m9",
         "refunded"),
        ("deposit", str(ledger.ledger_id("m9"))[:8], Decimal("30"), "online", "pi_m9", "paid"),
        ("deposit", str(ledger.ledger_id("m2"))[:8], Decimal("30"), "cash", "in person (cash)",
         "paid"),
    ]
    assert {r.customer for r in rows} == {"Lena Ledger"}
    assert (totals.deposits, totals.fees, totals.refunded, totals.refunds_pending,
            totals.collected) == (money.DEPOSITS, money.FEES, money.REFUNDED, money.PENDING,
                                  money.COLLECTED)
    assert harbour == []  # every movement is at Main Street


async def test_money_paid_after_its_booking_was_released_is_in_and_back_out(
    session_factory: Factory, paid_rows: None,
) -> None:
    """The webhook's late payment has no audit entry, only the refund it queued: the money
    is listed as received, and collected falls back once the refund is made."""
    async with session_factory() as session:
        before = await payment_reads.totals(session, _scope())
    late = money.refund("m5", money.at(10, 12, 30), "30", "pi_late_m5", "pending")
    late["payload"]["reason"] = "paid after the booking was released"
    async with session_factory() as session:
        await session.execute(insert(OutboxRow).values(**late))
        await session.commit()
        rows = await payment_reads.movements(session, _scope())
        after = await payment_reads.totals(session, _scope())
    assert {(r.kind, r.status) for r in rows if r.reference == "pi_late_m5"} == {
        ("deposit", "paid"), ("refund", "pending")}
    assert after.collected - before.collected == Decimal("30")
    assert after.refunds_pending - before.refunds_pending == Decimal("30")


async def test_the_page_lists_totals_and_links_each_appointment(
    gateway: TestClient, session_factory: Factory, paid_rows: None,  # type: ignore[type-arg]
) -> None:
    owner = await login_as(session_factory, OWNER)
    answer = await gateway.get(f"/admin/payments/list?{RANGE}", cookies=owner)
    body = unescape(await answer.text())
    assert answer.status == 200, body[-1500:]
    for figure in ("$125</strong> collected", "$120</strong> deposits paid",
                   "$40</strong> fees paid",
                   "$35</strong> refunded", "$30</strong> refunds pending", "re_m9",
                   "refund at the desk", "Lena Ledger", 'aria-current="page">Payments'):
        assert figure in body, figure
    links = re.findall(r'href="(/admin/appointments/[0-9a-f-]{36})"', body)
    assert len(links) == 10 and f"/admin/appointments/{ledger.ledger_id('m9')}" in links
    detail = await gateway.get(links[-1], cookies=owner)
    assert detail.status == 200 and "Lena Ledger" in await detail.text()
    assert "/admin/payments/list" in await (await gateway.get("/admin/payments",
                                                              cookies=owner)).text()
    empty = await gateway.get("/admin/payments/list?from=2026-04-01&until=2026-04-02",
                              cookies=owner)
    assert "No payments or refunds in these days" in await empty.text()


async def test_the_csv_holds_the_same_rows_refunds_negative(
    gateway: TestClient, session_factory: Factory, paid_rows: None,  # type: ignore[type-arg]
) -> None:
    owner = await login_as(session_factory, OWNER)
    answer = await gateway.get(f"/admin/payments/list.csv?{RANGE}", cookies=owner)
    assert answer.status == 200 and answer.content_type == "text/csv"
    assert "payments-2026-03-06-2026-03-10.csv" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(await answer.text())))
    assert len(rows) == 10 and rows[0]["status"] == "failed"
    moved = [Decimal(r["amount"]) for r in rows if r["status"] in payment_reads.COLLECTED]
    assert sum(moved) == money.COLLECTED
    assert rows[-1]["date"] == "2026-03-06T10:00-05:00" and rows[-1]["currency"] == "USD"


@pytest.mark.parametrize("query", ["from=2026-03-10&until=2026-03-01", "from=yesterday",
                                   "range=forever", "from=9999-01-01"])
async def test_a_range_that_cannot_be_read_is_a_page_saying_so(
    gateway: TestClient, session_factory: Factory, query: str,  # type: ignore[type-arg]
) -> None:
    owner = await login_as(session_factory, OWNER)
    answer = await gateway.get(f"/admin/payments/list?{query}", cookies=owner)
    assert answer.status == 422 and "These dates cannot be shown" in await answer.text()
    assert (await gateway.get(f"/admin/payments/list.csv?{query}", cookies=owner)).status == 422


async def test_the_owners_alone(
    gateway: TestClient, session_factory: Factory, paid_rows: None,  # type: ignore[type-arg]
) -> None:
    cookies = await login_as(session_factory, "ana@example.com")
    async with session_factory() as session:
        await session.execute(update(AdminUserRow).where(AdminUserRow.email == "ana@example.com")
                              .values(role="staff", staff_id=ledger.ANA))
        await session.commit()
    for path in ("/admin/payments/list", "/admin/payments/list.csv"):
        refused = await gateway.get(f"{path}?{RANGE}", cookies=cookies, allow_redirects=False)
        assert refused.status == 403 and "Lena" not in await refused.text()
