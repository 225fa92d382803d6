"""The booking's head query on PostgreSQL: what the server does with it, not only what it returns
(the contract tests cover that on both backends).

The replay check looks the idempotency key up on every booking. On a database with no
statistics yet the planner used to pick a smaller index led by business_id and read every
appointment of the business through it; the lookup now has only the key-led unique index to use.
The driver prepares the statement on its first run, so a pooled connection that books only a few
times is not parsing and planning it each time.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from booking_builders import NOW, Salon, ny
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking import services
from scheduling.persistence import driver
from scheduling.persistence.booking_context import HEAD
from scheduling.persistence.booking_repository import BookingRepository, staff_key
from scheduling.ports import BookingUnitOfWork

pytestmark = pytest.mark.db

COPIES = text(
    "INSERT INTO appointments SELECT (jsonb_populate_record(a, jsonb_build_object('id',"
    " gen_random_uuid(), 'idempotency_key', md5(g::text), 'status', 'cancelled'))).*"
    " FROM appointments a, generate_series(1, 300) AS g")
"""300 cancelled copies of the booked appointment (cancelled: the exclusion constraint lets
them overlap), each with its own key: rows of the same business for a scan to wade through."""


def _nodes(plan: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield plan
    for child in plan.get("Plans", ()):
        yield from _nodes(child)


def _head_params(salon: Salon) -> dict[str, Any]:
    staff = salon.staff("Ana").id
    return {"business_id": salon.id, "service_id": salon.service("Cut").id, "staff_id": staff,
            "customer_id": salon.customers[1].id, "key": "not-used-yet", "lock": staff_key(staff)}


async def test_the_replay_check_reads_one_index_entry_not_the_business(
    salon: Salon, uow: BookingUnitOfWork, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    await services.book(salon.booking("Cut", ny(3, 15, 10)), uow, NOW)
    async with session_factory() as session:
        await session.execute(COPIES)
        await session.commit()
        plan = (await driver.fetch(session, "EXPLAIN (ANALYZE, FORMAT JSON) " + HEAD.sql,
                                   _head_params(salon)))[0][0][0]["Plan"]
        await session.rollback()
    scans = [node for node in _nodes(plan) if node.get("Relation Name") == "appointments"]
    assert [node.get("Index Name") for node in scans] == ["uq_appointments_idempotency"]
    assert all(node.get("Rows Removed by Filter", 0) == 0 for node in scans)


async def test_the_head_query_is_prepared_on_its_first_run(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    params = _head_params(salon)
    async with session_factory() as session:
        await session.execute(text("DEALLOCATE ALL"))  # a pooled connection may have it
        await BookingRepository(session).context(
            params["business_id"], params["service_id"], params["staff_id"],
            params["customer_id"], "k", lock_staff=True)
        prepared = await session.scalars(text("SELECT statement FROM pg_prepared_statements"))
        assert [sql for sql in prepared if "pg_advisory_xact_lock" in sql]
        await session.rollback()
