"""Short links: the opaque codes an SMS carries instead of a long signed URL.

An SMS with a signed token (`/appointments/manage?token=<hex id>.<action>.<expiry>.<sig>`)
needs two segments; `/a/<code>` with an 8-character code fits one. The code means nothing by
itself: the row says what it opens, until when, and whether it was revoked, and the gateway
signs a fresh token from it on each visit.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import DateTime, Index, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class ShortLinkRow(Base):
    """One code. At most one live (unrevoked) code per subject and action: a message rendered
    twice, or the confirmation and the reminders of one appointment, share it."""

    __tablename__ = "short_links"
    __table_args__ = (
        Index("uq_short_links_live", "subject_id", "action", unique=True,
              postgresql_where=text("revoked_at IS NULL")),
    )

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    action: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[UUID] = mapped_column(Uuid)
    """The appointment (or, for "claim", the waitlist offer) the link is about."""
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
