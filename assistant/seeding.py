"""Seed the demo business into an empty database, so `make run` has something to book."""

from __future__ import annotations

import asyncio
import logging

from scheduling.demo import seed_demo_if_empty
from scheduling.persistence.database import make_engine, make_session_factory

log = logging.getLogger(__name__)


def seed_demo(url: str) -> bool:
    """Seed when the catalog is empty; True when it did."""

    async def seed() -> bool:
        engine = make_engine(url, pool_size=1, max_overflow=0)
        try:
            return await seed_demo_if_empty(make_session_factory(engine))
        finally:
            await engine.dispose()

    seeded = asyncio.run(seed())
    log.info("demo business seeded" if seeded else "catalog present: demo not seeded")
    return seeded
