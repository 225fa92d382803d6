"""Abuse limits shared by every gateway process: token buckets, and receipts of what was
received once.

Both live in PostgreSQL, which every deployment has (Redis is optional), so N gateway replicas
allow the rate once, not N times. Each row knows when it stops mattering (`full_at`,
`expires_at`), so one DELETE prunes them whatever limit or source they belong to.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.persistence.orm import Base


class RateLimitRow(Base):
    """One token bucket, stored as the moment it will be full again (the "theoretical arrival
    time" of GCRA): tokens available at `now` are `burst - max(0, full_at - now) * rate`, so a
    single timestamp holds the whole state and a row past its `full_at` can be deleted.

    `key` is the limit's name and what it counts, e.g. `chat-address:203.0.113.7`.
    """

    __tablename__ = "rate_limits"
    __table_args__ = {"prefixes": ["UNLOGGED"]}
    """No write-ahead log: a request's bucket update costs no disk flush (half the statement's
    time). After a crash or a fail-over the table is empty, and an empty bucket is a full one:
    the same as a pruned row, a moment's grace for every client."""

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    full_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ReceiptRow(Base):
    """Something that must be acted on once: a Twilio message or voice step, a Google push, a
    chat conversation's first turn. `reply` is what the first delivery was answered, so a
    provider's retry gets the same answer without the work being done again."""

    __tablename__ = "receipts"

    source: Mapped[str] = mapped_column(String(40), primary_key=True)
    key: Mapped[str] = mapped_column(String(300), primary_key=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    reply: Mapped[str | None] = mapped_column(Text)
