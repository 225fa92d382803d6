"""Timed releases through the REST API on the demo salon: an unreleased week lists no times
and says when it opens, an early-access code opens it, a booking in it is refused with 409
and the opening instant, and the week already released is bookable as before."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from uuid import uuid4

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.demo import demo_catalog
from scheduling.persistence.release_uow import ReleaseUnitOfWork
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

    refused = await gateway.post("/api/v1/appointments", headers={
        "Idempotency-Key": "release-test", "X-API-Key": API_KEY}, json={
        "service_id": str(CUT.id), "start": coded["items"][0]["start"],
        "customer": {"name": "Noor Haddad", "phone": "+15550003001"}})
    body = await refused.json()
    assert refused.status == 409, body
    assert body["error"]["code"] == "not_yet_released"
    assert body["error"]["opens_at"] == opens.isoformat()
