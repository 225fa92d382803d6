"""The action server follows a replaced business: after the setup wizard (or a catalog
import) swaps the demo for the owner's business, the chat speaks for the new one within the
catalog cache window, without a restart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.runtime import runtime
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog
from scheduling.desk.setup.replace import ReplaceCatalog, replace_catalog
from scheduling.persistence.catalog_replace import CatalogReplaceUnitOfWork

pytestmark = [pytest.mark.db]


async def test_the_chat_serves_the_business_that_replaced_the_demo(
    salon: Catalog, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    assert (await runtime.catalog()).business.name == "Shear Delight Salon"
    demo = demo_catalog()
    own = replace(demo, business=replace(demo.business, id=uuid4(), name="Harbour & Pine"))
    await replace_catalog(ReplaceCatalog(own, discard_bookings=True),
                          CatalogReplaceUnitOfWork(session_factory), datetime.now(UTC))
    assert (await runtime.catalog()).business.name == "Harbour & Pine"
