"""Cancel this and the rest of a recurring series from one occurrence's page, with every table
holding rows (tests.fill) and a series of five for Fillia: one past and completed, the one
opened, one with a deposit paid, one with another staff member (pending), one already
cancelled. The confirmation lists what will go with its refund; the post cancels each through
the single cancel's use case (the customer's message, once); a repeat does nothing more; a
staff account cancels only its own occurrences; CSRF, bad ids and another's appointment are
refused."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from aiohttp.test_utils import TestClient
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.admin import series_cancel_views
from assistant.gateway.api import context
from assistant.gateway.resources import ENGINE
from scheduling.demo import demo_catalog
from scheduling.desk import series_cancel
from scheduling.errors import InvalidRequest
from scheduling.persistence.appointment_reads import AppointmentReads
from scheduling.persistence.booking_tables import AppointmentRow, SeriesRow
from scheduling.persistence.series_cancel_reads import rest_of_series
from tests.fill import Filled, _appointment, drop_conversations, fill, fill_id
from tests.gateway.admin_login import login_as
from tests.gateway.booking_flow import rows
from tests.gateway.test_staff_permissions import _account

pytestmark = pytest.mark.db
Client = TestClient[Any, Any]
Factory = async_sessionmaker[AsyncSession]
OCCURRENCES = ("past", "opened", "paid", "other_staff", "cancelled")


@dataclass(frozen=True)
class Series:
    filled: Filled
    ids: dict[str, UUID]
    cookies: dict[str, str]

    def path(self, name: str = "opened") -> str:
        return f"/admin/appointments/{self.ids[name]}/cancel-series"


@pytest.fixture
async def series(gateway: Client, session_factory: Factory) -> AsyncIterator[Series]:
    now = datetime.now(UTC)
    filled = await fill(session_factory, now)
    ids = await _series(session_factory, filled, now)
    yield Series(filled, ids, await login_as(session_factory, filled.admin_email))
    await drop_conversations(session_factory)


async def _series(factory: Factory, filled: Filled, now: datetime) -> dict[str, UUID]:
    """Weekly at the same hour, from a week ago; ids by `OCCURRENCES`."""
    series_id, other = uuid4(), demo_catalog().staff[1].id
    base = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=3)
    extra: dict[str, dict[str, Any]] = {
        "past": {"completed_at": now - timedelta(days=7)},
        "paid": {"payment_required": True, "payment_amount": Decimal("20.00"),
                 "payment_status": "paid"},
        "other_staff": {"staff_id": other},
        "cancelled": {"cancelled_by": "customer",
                      "cancel_reason": "moving away", "cancelled_at": now - timedelta(hours=1)},
    }
    ids = {name: fill_id(f"series/{name}") for name in OCCURRENCES}
    statuses = {"past": "completed", "other_staff": "pending", "cancelled": "cancelled"}
    async with factory() as session:
        await session.execute(insert(SeriesRow).values(
            id=series_id, business_id=demo_catalog().business.id,
            customer_id=filled.customer_id, rule={"every": 1, "unit": "weeks", "count": 5},
            created_at=now - timedelta(days=8)))
        for week, name in enumerate(OCCURRENCES, -1):
            await session.execute(insert(AppointmentRow).values(**_appointment(
                statuses.get(name, "confirmed"), base + timedelta(weeks=week), now,
                filled.customer_id,
                id=ids[name], session_id=uuid4(), idempotency_key=f"series:{name}",
                series_id=series_id, **extra.get(name, {}))))
        await session.commit()
    return ids


async def _csrf(client: Client, cookies: dict[str, str]) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"',
                      await (await client.get("/admin/appointments", cookies=cookies)).text())
    assert found is not None
    return found.group(1)


async def _post(client: Client, path: str, cookies: dict[str, str], **form: str
                ) -> tuple[int, str]:
    """The status and the Location, or the body."""
    response = await client.post(path, data={"csrf": await _csrf(client, cookies), **form},
                                 cookies=cookies, allow_redirects=False)
    return response.status, response.headers.get("Location") or await response.text()


async def _statuses(factory: Factory, series: Series) -> dict[str, str]:
    found = dict(await rows(factory, "SELECT id, status FROM appointments WHERE id = ANY(:ids)",
                            ids=list(series.ids.values())))
    return {name: found[i] for name, i in series.ids.items()}


async def _cancellations(factory: Factory, series: Series) -> list[tuple[UUID, str]]:
    return [(i, p["reason"]) for i, p in await rows(
        factory, "SELECT appointment_id, payload FROM outbox WHERE kind = 'cancellation' "
        "AND appointment_id = ANY(:ids) ORDER BY appointment_id", ids=list(series.ids.values()))]


async def test_the_owner_cancels_the_rest_of_the_series_once_each_customer_told(
    gateway: Client, series: Series, session_factory: Factory
) -> None:
    ids, cookies = series.ids, series.cookies
    detail = await (await gateway.get(f"/admin/appointments/{ids['opened']}",
                                      cookies=cookies)).text()
    assert f'href="{series.path()}"' in detail and "the rest of the series" in detail
    for elsewhere in (ids["past"], series.filled.appointment_ids["confirmed"]):
        page = await (await gateway.get(f"/admin/appointments/{elsewhere}", cookies=cookies)).text()
        assert "cancel-series" not in page
    confirm = await gateway.get(series.path(), cookies=cookies)
    body = await confirm.text()
    assert confirm.status == 200 and "3 appointments" in body and 'name="reason"' in body
    listed = re.findall(r'"When"><a href="/admin/appointments/([0-9a-f-]{36})">', body)
    assert listed == [str(ids[n]) for n in ("opened", "paid", "other_staff")]
    assert "$20 of the deposit paid" in body
    assert await _post(gateway, series.path(), cookies, reason="r") == (303, series.path())
    status, where = await _post(gateway, series.path(), cookies, confirmed="yes", reason=" ")
    assert status == 303 and "Not+done" in where and "cancel-series" in where
    assert (await _statuses(session_factory, series))["opened"] == "confirmed"

    status, body = await _post(gateway, series.path(), cookies, confirmed="yes",
                               reason="the salon closes for renovation")
    assert status == 200 and "Cancelled 3 appointments" in body and "$20, queued" in body
    assert await _statuses(session_factory, series) == {
        "past": "completed", "opened": "cancelled", "paid": "cancelled",
        "other_staff": "cancelled", "cancelled": "cancelled"}
    assert await _cancellations(session_factory, series) == sorted(
        (ids[n], "the salon closes for renovation") for n in ("opened", "paid", "other_staff"))
    refunded = await rows(session_factory, "SELECT refund_amount, payment_status FROM "
                          "appointments WHERE id = :id", id=ids["paid"])
    assert refunded == [(Decimal("20.00"), "refunded")]
    kept = await rows(session_factory, "SELECT cancel_reason FROM appointments WHERE id = :id",
                      id=ids["cancelled"])
    assert kept == [("moving away",)]
    assert await rows(session_factory, "SELECT status FROM appointments WHERE id = :id",
                      id=series.filled.appointment_ids["confirmed"]) == [("confirmed",)]

    status, body = await _post(gateway, series.path(), cookies, confirmed="yes", reason="again")
    assert status == 200 and "Nothing more was cancelled" in body
    assert len(await _cancellations(session_factory, series)) == 3
    again = await (await gateway.get(series.path(), cookies=cookies)).text()
    assert "Nothing left to cancel" in again and 'name="reason"' not in again
    detail = await (await gateway.get(f"/admin/appointments/{ids['paid']}",
                                      cookies=cookies)).text()
    assert "the salon closes for renovation" in detail and "cancel-series" not in detail
    assert f"owner ({series.filled.admin_email})</td>" in detail  # who, in the audit trail
    signed = await rows(session_factory, "SELECT subject_id, data FROM booking_events WHERE "
                        "to_status = 'cancelled' AND subject_id = ANY(:ids)",
                        ids=list(ids.values()))
    assert sorted(signed) == sorted((ids[n], {"by": series.filled.admin_email})
                                    for n in ("opened", "paid", "other_staff"))


async def test_a_staff_account_cancels_only_its_own_occurrences(
    gateway: Client, series: Series, session_factory: Factory
) -> None:
    ana, other = demo_catalog().staff[0], demo_catalog().staff[1]
    theirs = await _account(session_factory, "other@example.com", "staff", other.id)
    assert (await gateway.get(series.path(), cookies=theirs)).status == 404
    status, _ = await _post(gateway, series.path(), theirs, confirmed="yes", reason="r")
    assert status == 404
    hers = await _account(session_factory, "ana@example.com", "staff", ana.id)
    body = await (await gateway.get(series.path(), cookies=hers)).text()
    assert "2 appointments" in body and str(series.ids["other_staff"]) not in body
    status, body = await _post(gateway, series.path(), hers, confirmed="yes", reason="ill")
    assert status == 200 and "Cancelled 2 appointments" in body
    found = await _statuses(session_factory, series)
    assert (found["opened"], found["paid"], found["other_staff"]) == (
        "cancelled", "cancelled", "pending")


async def test_bad_ids_forged_csrf_and_an_appointment_outside_a_series(
    gateway: Client, series: Series, session_factory: Factory
) -> None:
    held = series.filled.appointment_ids["held"]
    for bad in ("not-a-uuid", str(uuid4()), str(held)):
        path = f"/admin/appointments/{bad}/cancel-series"
        assert (await gateway.get(path, cookies=series.cookies)).status == 404, bad
        status, _ = await _post(gateway, path, series.cookies, confirmed="yes", reason="r")
        assert status == 404, bad
    for csrf in ({}, {"csrf": "forged"}):
        response = await gateway.post(series.path(), data={**csrf, "confirmed": "yes",
                                                           "reason": "r"},
                                      cookies=series.cookies, allow_redirects=False)
        assert response.status == 403
    status, _ = await _post(gateway, series.path(), series.cookies, confirmed="yes",
                            reason="x" * 501)
    assert status == 422
    assert (await _statuses(session_factory, series))["opened"] == "confirmed"
    alone = series.filled.appointment_ids["confirmed"]
    page = await (await gateway.get(f"/admin/appointments/{alone}/cancel-series",
                                    cookies=series.cookies)).text()
    assert "not part of a repeating series" in page and 'name="reason"' not in page


async def test_an_occurrence_changed_meanwhile_is_left_out_not_an_error(
    gateway: Client, series: Series, session_factory: Factory
) -> None:
    """The desk listed it booked; the customer cancelled it before the post got there."""
    uow, ids = context.uow(gateway.app), series.ids
    with pytest.raises(InvalidRequest):
        await series_cancel.cancel_each([ids["opened"]], "  ", "desk@example.com", uow,
                                        context.now())
    done = await series_cancel.cancel_each([ids["cancelled"], ids["opened"]], "closing",
                                           "desk@example.com", uow, context.now())
    assert done.skipped == (ids["cancelled"],)
    assert [c.appointment.id for c in done.cancelled] == [ids["opened"]]
    assert done.cancelled[0].offer_new_times
    assert (await _statuses(session_factory, series))["opened"] == "cancelled"


async def test_the_answer_names_an_occurrence_cancelled_between_confirm_and_post(
    gateway: Client, series: Series, session_factory: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The post's read found it booked; another desk cancelled it before its turn came (the
    read is held to what it saw, so the race happens every run)."""
    engine, ids = gateway.app[ENGINE], series.ids
    opened = await AppointmentReads.on(engine).appointment(ids["opened"])
    seen = await rest_of_series(engine, opened)
    await series_cancel.cancel_each([ids["paid"]], "the other desk", "other@example.com",
                                    context.uow(gateway.app), context.now())

    async def as_seen(*_: object) -> tuple[object, ...]:
        return seen

    monkeypatch.setattr(series_cancel_views, "rest_of_series", as_seen)
    status, body = await _post(gateway, series.path(), series.cookies, confirmed="yes",
                               reason="closing")
    assert status == 200 and "Cancelled 2 appointments" in body
    left = body.partition("changed meanwhile")[2]
    assert f'href="/admin/appointments/{ids["paid"]}"' in left
    assert [r for _, r in await _cancellations(session_factory, series)].count("closing") == 2
    assert (await _statuses(session_factory, series))["other_staff"] == "cancelled"
