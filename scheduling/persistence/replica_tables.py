"""State that several replicas of a process share through the database: which process ran a
periodic job's tick, and the Rasa models every Rasa replica pulls.

Twilio continuations need no table of their own: they are receipts (`limit_tables.ReceiptRow`,
source `twilio-turn`) whose reply is filled in when the turn ends.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class JobTickRow(Base):
    """One run of one periodic job for one tick (its interval's start, UTC). The primary key is
    the claim: of any number of replicas whose timers fire in that interval, the one whose
    INSERT lands runs the job, the others skip it."""

    __tablename__ = "job_ticks"

    job: Mapped[str] = mapped_column(String(80), primary_key=True)
    tick: Mapped[datetime] = mapped_column(DateTime(timezone=True), primary_key=True, index=True)
    claimed_by: Mapped[str] = mapped_column(String(120))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    failed: Mapped[bool | None] = mapped_column(Boolean)


class RasaModelRow(Base):
    """A trained Rasa model published for every Rasa replica; the newest `published_at` is the
    one served. `digest` (SHA-256 of the file) is the ETag Rasa sends back as If-None-Match."""

    __tablename__ = "rasa_models"

    digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    body: Mapped[bytes] = mapped_column(LargeBinary)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
