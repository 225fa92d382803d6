"""The erasure use case on PostgreSQL, beside the pages' tests (tests/gateway/
test_admin_customers.py): two erasures of one customer at once erase once and audit once; a
customer of another business is not found; notes and preferences of an erased customer are
not editable; export after erasure holds no personal data."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.catalog import CustomerPreferences, NotificationPreferences
from scheduling.desk import customer_records as records
from scheduling.errors import InvalidRequest, NotFound
from scheduling.persistence.booking_tables import BookingEventRow
from scheduling.persistence.customer_records import CustomerUnitOfWork
from tests.fill import Filled, drop_conversations, fill

pytestmark = pytest.mark.db
Factory = async_sessionmaker[AsyncSession]


@pytest.fixture
async def filled(session_factory: Factory, clean_tables: None) -> AsyncIterator[Filled]:
    done = await fill(session_factory, datetime.now(UTC))
    yield done
    await drop_conversations(session_factory)


def _erase(filled: Filled, **extra: object) -> records.EraseCustomer:
    return records.EraseCustomer(filled.business_id, filled.customer_id, "owner@example.com",
                                 cancel_upcoming=True, **extra)  # type: ignore[arg-type]


async def test_two_erasures_at_once_erase_once(session_factory: Factory,
                                               filled: Filled) -> None:
    now = datetime.now(UTC)
    done = await asyncio.gather(*(records.erase(_erase(filled), CustomerUnitOfWork(
        session_factory), now) for _ in range(2)))
    assert sorted(d.already for d in done) == [False, True]
    assert max(d.cancelled for d in done) == 2  # pending and confirmed, both upcoming
    async with session_factory() as session:
        audits = await session.scalar(select(func.count()).select_from(BookingEventRow)
                                      .where(BookingEventRow.subject == "customer"))
    assert audits == 1


async def test_another_business_customer_is_not_found(session_factory: Factory,
                                                      filled: Filled) -> None:
    elsewhere = records.EraseCustomer(uuid4(), filled.customer_id, "owner@example.com", True)
    with pytest.raises(NotFound):
        await records.erase(elsewhere, CustomerUnitOfWork(session_factory), datetime.now(UTC))
    with pytest.raises(NotFound):
        await records.export(uuid4(), filled.customer_id, CustomerUnitOfWork(session_factory))


async def test_an_erased_customer_is_not_edited_and_exports_nothing_personal(
        session_factory: Factory, filled: Filled) -> None:
    now = datetime.now(UTC)
    await records.erase(_erase(filled), CustomerUnitOfWork(session_factory), now)
    with pytest.raises(InvalidRequest):
        await records.save_notes(records.SaveNotes(filled.business_id, filled.customer_id,
                                                   "back again"),
                                 CustomerUnitOfWork(session_factory), now)
    with pytest.raises(InvalidRequest):
        await records.save_preferences(records.SavePreferences(
            filled.business_id, filled.customer_id, CustomerPreferences(),
            NotificationPreferences()), CustomerUnitOfWork(session_factory))
    document = await records.export(filled.business_id, filled.customer_id,
                                    CustomerUnitOfWork(session_factory))
    text = str(document)
    assert document["profile"]["erased_at"] and "Fillia" not in text and "9001" not in text
    assert document["verification_codes"] == [] and document["waitlist_entries"] == []
