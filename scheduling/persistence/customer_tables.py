"""What the front desk keeps about a customer beside the profile the booking side writes: the
desk's own notes, and when the customer's personal data was erased.

A table of its own rather than columns on `customers`, so the booking side's mapping stays
exactly what its services write (as `outbox_deliveries` sits beside `outbox`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class CustomerRecordRow(Base):
    """One row per customer the desk wrote about; a customer without one has no notes."""

    __tablename__ = "customer_records"

    customer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True)
    notes: Mapped[str] = mapped_column(Text, server_default=text("''"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    erased_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    """Set once, by erasure: the profile then holds no name, contact, notes or preferences."""
