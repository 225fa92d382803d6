"""Imports every table module so `metadata` is complete (Alembic autogenerate, test truncation).

Add each new module of mapped classes to the imports below.
"""

from __future__ import annotations

from scheduling.persistence import (
    admin_tables,
    booking_tables,
    calendar_tables,
    catalog_tables,
    customer_tables,
    desk_note_tables,
    desk_tables,
    fee_tables,
    limit_tables,
    notification_tables,
    outbox,
    payment_tables,
    release_tables,
    replica_tables,
    short_link_tables,
    waiting_room_tables,
    waitlist_tables,
)
from scheduling.persistence.orm import Base

metadata = Base.metadata

__all__ = [
    "admin_tables", "booking_tables", "calendar_tables", "catalog_tables", "desk_tables",
    "limit_tables", "metadata", "notification_tables", "outbox", "replica_tables",
    "short_link_tables",
    "waitlist_tables", "payment_tables", "customer_tables", "desk_note_tables",
    "fee_tables", "release_tables", "waiting_room_tables",
]
