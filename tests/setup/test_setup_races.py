"""Two catalog changes at once on PostgreSQL: the second waits for the first (the business row
is locked), so both cannot pass the same check."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.catalog import Service
from scheduling.desk.setup.services import SaveService, save_service
from scheduling.errors import InvalidRequest
from scheduling.persistence.setup_uow import SetupUnitOfWork
from tests.booking.booking_builders import NOW, Salon

pytestmark = pytest.mark.db


async def test_a_double_submitted_service_is_created_once(
    salon: Salon, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    first = Service(uuid4(), "Massage", timedelta(minutes=50), Decimal("80.00"))
    twice = [replace(first, id=uuid4()) for _ in range(2)]
    results = await asyncio.gather(
        *(save_service(SaveService(salon.id, s), SetupUnitOfWork(session_factory), NOW)
          for s in twice), return_exceptions=True)
    refused = [r for r in results if isinstance(r, InvalidRequest)]
    assert len(refused) == 1 and refused[0].field == "name", results
    async with SetupUnitOfWork(session_factory) as uow:
        catalog = await uow.catalog.get(salon.id)
    assert [s.name for s in catalog.services].count("Massage") == 1
