"""Catalog edits announced to every process: a trigger on the catalog's tables (migration 0025)
sends `NOTIFY catalog_changed` in the editing transaction, which PostgreSQL delivers at commit,
so a process that keeps a copy of the catalog (the action server) drops it the moment an edit
made anywhere (dashboard, admin API, import, another replica) is visible, not when its copy's
time runs out. The time limit stays as the fallback while the listening connection is down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import psycopg
from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)
CHANNEL = "catalog_changed"
TABLES = ("businesses", "locations", "staff", "staff_locations", "staff_time_off", "services")
"""What `CatalogRepository.get` reads (customers are not part of the catalog, and a booking
writes them: notifying on them would cost every booking a commit-time lock)."""
RECONNECT_SECONDS = 2.0


def conninfo(url: str) -> str:
    """A SQLAlchemy URL (any postgresql driver) as libpq connection info for psycopg."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def listen(url: str, changed: Callable[[], None],
                 listening: asyncio.Event | None = None) -> None:
    """Call `changed` on every catalog edit, until cancelled. Also called after each
    (re)connection: an edit made while no one listened would otherwise be missed."""
    while True:
        try:
            async with await psycopg.AsyncConnection.connect(conninfo(url),
                                                             autocommit=True) as connection:
                await connection.execute(f"LISTEN {CHANNEL}")
                changed()
                if listening is not None:
                    listening.set()
                async for _ in connection.notifies():
                    changed()
        except psycopg.OperationalError as error:
            log.warning("catalog change listener lost its connection (%s); retrying", error)
        await asyncio.sleep(RECONNECT_SECONDS)
