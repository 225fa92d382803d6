"""Token buckets in PostgreSQL, shared by every process on the database.

A bucket holds `burst` tokens and gains one every `step`; each request spends one. The state is
one timestamp per bucket, `full_at` (GCRA): spending moves it `step` later, and a spend is
allowed while `full_at` is at most `(burst - 1) * step` ahead of now. One statement reads,
decides and writes (INSERT ... ON CONFLICT DO UPDATE ... WHERE ... RETURNING), so concurrent
requests on any number of gateway replicas can never spend the same token twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.limit_tables import RateLimitRow


@dataclass(frozen=True, slots=True)
class Rate:
    """`burst` requests at once, then one more every `step` (e.g. 5 a day: 5, 1 day / 5)."""

    burst: int
    step: timedelta

    def __post_init__(self) -> None:
        if self.burst < 1 or self.step <= timedelta(0):
            raise ValueError(f"a rate needs burst >= 1 and a positive step, not {self}")

    @classmethod
    def per(cls, count: int, period: timedelta) -> Rate:
        return cls(count, period / count)

    @property
    def slack(self) -> timedelta:
        """How far ahead of now `full_at` may be for one more token to be left."""
        return (self.burst - 1) * self.step


_SPEND = text("""
WITH spent AS (
    INSERT INTO rate_limits AS b (key, full_at) VALUES (:key, :now + :step)
    ON CONFLICT (key) DO UPDATE SET full_at = greatest(b.full_at, :now) + :step
    WHERE b.full_at - :now <= :slack
    RETURNING b.full_at
)
SELECT NULL::interval AS wait FROM spent
UNION ALL
SELECT b.full_at - :now - :slack FROM rate_limits b
WHERE b.key = :key AND NOT EXISTS (SELECT FROM spent)
""")


async def spend(session: AsyncSession | AsyncConnection, key: str, rate: Rate, now: datetime
                ) -> timedelta | None:
    """Spend one token of bucket `key`: None when spent, else how long until one is left.

    Does not commit: the caller decides (at once, or in autocommit, so others see it).
    """
    params = {"key": key, "now": now, "step": rate.step, "slack": rate.slack}
    row = (await session.execute(_SPEND, params)).first()
    if row is None:  # another process created the bucket after this statement's snapshot
        return rate.step
    wait: timedelta | None = row.wait
    return None if wait is None else max(wait, timedelta(0))


async def prune(session: AsyncSession, now: datetime) -> int:
    """Forget buckets that are full again (they behave exactly like absent ones)."""
    result = await session.execute(delete(RateLimitRow).where(RateLimitRow.full_at < now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def phone_verified(session: AsyncSession, phone: str) -> bool:
    """Whether anyone ever proved control of `phone` (any customer row, any business)."""
    query = select(exists().where(CustomerRow.phone == phone,
                                  CustomerRow.phone_verified_at.is_not(None)))
    return bool(await session.scalar(query))
