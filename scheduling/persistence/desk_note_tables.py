"""The front desk's own note on an appointment (migration 0016): one per appointment, kept
apart from `appointments.notes`, which holds what the customer wrote when booking."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class DeskNoteRow(Base):
    __tablename__ = "appointment_desk_notes"

    appointment_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("appointments.id", ondelete="CASCADE"), primary_key=True
    )
    body: Mapped[str] = mapped_column(Text)
    updated_by: Mapped[str] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
