"""Verified customers in bulk, for tests and the release bench: each a profile whose phone a
one-time code proved, and the customer token that code would have been exchanged for.

One code per customer through `/api/v1/auth/code` would spend the per-address login limit a
thousand times; the token is what the exchange signs, with the same key.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.notifications import links
from assistant.settings import Settings
from scheduling.catalog import Customer
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.database import make_session_factory


async def verified(engine: AsyncEngine, settings: Settings, business_id: UUID, count: int,
                   first: int = 0) -> list[tuple[UUID, str]]:
    """`count` new customers with proved numbers +1555900NNNN, and a token for each."""
    now, key = datetime.now(UTC), links.link_key(settings)
    people = [Customer(uuid.uuid4(), f"Guest {first + i}", phone=f"+1555900{first + i:04d}",
                       phone_verified_at=now) for i in range(count)]
    async with make_session_factory(engine)() as session:
        repo = CatalogRepository(session)
        for person in people:
            await repo.save_customer(business_id, person)
        await session.commit()
    until = now + timedelta(days=1)
    return [(p.id, links.sign(key, p.id, "customer", until)) for p in people]
