"""SMS opt-outs keyed by phone number: STOP adds one, START removes it.

The gateway's SMS webhook calls `opt_out`/`opt_in`; the SMS channel asks `opted_out` before
every send, so a STOP received between booking and reminder is honoured.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.catalog import E164
from scheduling.errors import InvalidRequest
from scheduling.persistence.notification_tables import SmsOptOutRow


def _checked(phone: str) -> str:
    if not E164.match(phone):
        raise InvalidRequest(f"phone {phone!r} is not E.164 (+15551234567)", field="phone")
    return phone


async def opt_out(factory: async_sessionmaker[AsyncSession], phone: str, now: datetime) -> None:
    async with factory() as session:
        statement = insert(SmsOptOutRow).values(phone=_checked(phone), opted_out_at=now)
        await session.execute(statement.on_conflict_do_nothing(index_elements=["phone"]))
        await session.commit()


async def opt_in(factory: async_sessionmaker[AsyncSession], phone: str) -> None:
    async with factory() as session:
        await session.execute(delete(SmsOptOutRow).where(SmsOptOutRow.phone == _checked(phone)))
        await session.commit()


async def opted_out(session: AsyncSession, phones: Iterable[str]) -> set[str]:
    """Which of `phones` have opted out."""
    wanted = list(set(phones))
    if not wanted:
        return set()
    found = await session.scalars(select(SmsOptOutRow.phone).where(SmsOptOutRow.phone.in_(wanted)))
    return set(found)
