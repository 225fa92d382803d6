"""Timed releases through the REST API and /book on the demo salon: an unreleased week lists
no times and says when it opens (the booking page too), an early-access code opens it, a
booking in it is refused with 409 and the opening instant, and the week already released is
bookable as before."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.resources import SETTINGS
from assistant.notifications import links
from scheduling.catalog import Customer
from scheduling.demo import demo_catalog
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.release_uow import ReleaseUnitOfWork
from scheduling.persistence.setup_uow import SetupUnitOfWork
from scheduling.releases import Access, Period, ReleaseRule, closed_from, release_for_slot
from scheduling.releases_setup import add_audience, add_code, add_rule
from tests.gateway.conftest import API_KEY

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]
CATALOG = demo_catalog()
CUT = CATALOG.find_service("Women's cut")
ZONE = CATALOG.business.zone


async def test_an_unreleased_week_says_when_it_opens_and_refuses_bookings(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = datetime.now(UTC)
    vip = await add_audience(ReleaseUnitOfWork(session_factory), CATALOG.business.id, "VIP", now)
    await add_code(ReleaseUnitOfWork(session_factory), CATALOG.business.id, vip, "VIP-2027", now)
    rule = ReleaseRule(uuid4(), CATALOG.business.id, Period.WEEK, time(18), weekday=6, lead=1,
                       service_id=CUT.id, audience_id=vip, early=timedelta(days=14))
    await add_rule(ReleaseUnitOfWork(session_factory), rule, now)
    cut = closed_from(rule, Access((rule,)), ZONE, now)
    opens = release_for_slot(rule, cut, ZONE).opens_at

    async def listed(start: datetime, **extra: str) -> dict[str, Any]:
        answer = await gateway.get("/api/v1/availability", params={
            "service_id": str(CUT.id), "start": start.isoformat(),
            "end": (start + timedelta(days=7)).isoformat(), **extra})
        assert answer.status == 200, await answer.text()
        found: dict[str, Any] = await answer.json()
        return found

    closed = await listed(cut)
    assert closed["items"] == []
    assert [r["opens_at"] for r in closed["releases"]] == [opens.isoformat()]
    assert closed["releases"][0]["message"].startswith("Next week's slots open ")
    coded = await listed(cut, access_code="vip-2027")
    assert coded["items"] and coded["releases"] == []
    assert (await listed(cut, access_code="nope"))["items"] == []
    assert (await listed(cut, access_code="x" * 5000))["items"] == []
    before = await listed(max(now, cut - timedelta(days=7)))
    assert before["items"] and all(s["start"] < cut.isoformat() for s in before["items"])

    day = cut.astimezone(ZONE).date().isoformat()
    page = await gateway.get(f"/book/womens-cut/times?staff=any&week={day}")
    shown = await page.text()
    assert page.status == 200 and "Next week&#39;s slots open " in shown, shown[-3000:]
    assert "No free times this week" in shown

    refused = await gateway.post("/api/v1/appointments", headers={
        "Idempotency-Key": "release-test", "X-API-Key": API_KEY}, json={
        "service_id": str(CUT.id), "start": coded["items"][0]["start"],
        "customer": {"name": "Noor Haddad", "phone": "+15550003001"}})
    body = await refused.json()
    assert refused.status == 409, body
    assert body["error"]["code"] == "not_yet_released"
    assert body["error"]["opens_at"] == opens.isoformat()


async def test_a_verified_customer_asks_for_a_reminder_at_the_release(
    gateway: Client, session_factory: async_sessionmaker[AsyncSession],
) -> None:
    now = datetime.now(UTC)
    person = Customer(uuid4(), "Ada Park", phone="+15550007101")
    async with SetupUnitOfWork(session_factory) as work:
        await work.catalog.save_customer(CATALOG.business.id, person)
        await work.commit()
    key = links.link_key(gateway.server.app[SETTINGS])
    token = links.sign(key, person.id, "customer", now + timedelta(hours=1))
    ask = {"service_id": str(CUT.id)}
    headers = {"Authorization": f"Bearer {token}"}
    path = "/api/v1/me/release-reminders"
    none_yet = await gateway.post(path, json=ask, headers=headers)
    assert none_yet.status == 422  # no release of the service is ahead
    rule = ReleaseRule(uuid4(), CATALOG.business.id, Period.WEEK, time(18), weekday=6, lead=1,
                       service_id=CUT.id)
    await add_rule(ReleaseUnitOfWork(session_factory), rule, now)
    opens = release_for_slot(rule, closed_from(rule, Access((rule,)), ZONE, now), ZONE).opens_at
    for _ in range(2):
        made = await gateway.post(path, json=ask, headers=headers)
        assert made.status == 201 and (await made.json())["opens_at"] == opens.isoformat()
    async with session_factory() as session:
        due = list(await session.scalars(select(OutboxRow.due_at).where(
            OutboxRow.kind == "release_reminder")))
    assert due == [opens]
    assert (await gateway.post(path, json=ask)).status == 401
    forged = {"Authorization": f"Bearer {token[:-2]}xx"}
    assert (await gateway.post(path, json=ask, headers=forged)).status == 401
    unknown = await gateway.post(path, json={"service_id": str(uuid4())}, headers=headers)
    assert unknown.status == 404
