"""Claiming a periodic job's tick, so each job runs once per tick however many processes run
the timer (gateways, workers), whatever their timers' phase."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert

from scheduling.persistence.database import SessionFactory
from scheduling.persistence.replica_tables import JobTickRow


def tick_of(now: datetime, seconds: float) -> datetime:
    """The start of the interval of `seconds` that `now` falls in (aligned on the epoch)."""
    epoch = now.timestamp()
    return datetime.fromtimestamp(epoch - epoch % seconds, UTC)


async def claim(factory: SessionFactory, job: str, tick: datetime, who: str,
                now: datetime) -> bool:
    """True for the one caller whose claim of (job, tick) is recorded first."""
    statement = (insert(JobTickRow)
                 .values(job=job, tick=tick, claimed_by=who[:120], started_at=now)
                 .on_conflict_do_nothing(index_elements=["job", "tick"])
                 .returning(JobTickRow.job))
    async with factory() as session:
        claimed = (await session.execute(statement)).first() is not None
        await session.commit()
    return claimed


async def finish(factory: SessionFactory, job: str, tick: datetime, now: datetime,
                 failed: bool) -> None:
    async with factory() as session:
        await session.execute(update(JobTickRow)
                              .where(JobTickRow.job == job, JobTickRow.tick == tick)
                              .values(finished_at=now, failed=failed))
        await session.commit()


async def prune(factory: SessionFactory, now: datetime, keep: timedelta) -> None:
    """Claims older than `keep` (a late timer can no longer claim their tick)."""
    async with factory() as session:
        await session.execute(delete(JobTickRow).where(JobTickRow.tick < now - keep))
        await session.commit()
