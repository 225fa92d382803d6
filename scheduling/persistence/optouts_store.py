"""SMS opt-outs in the database (`sms_opt_outs`); numbers are checked by
`scheduling.notifications.optouts.checked` before they are written."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.notifications.optouts import checked
from scheduling.persistence.notification_tables import SmsOptOutRow

Factory = async_sessionmaker[AsyncSession]


async def opt_out(factory: Factory, phone: str, now: datetime) -> None:
    async with factory() as session:
        statement = insert(SmsOptOutRow).values(phone=checked(phone), opted_out_at=now)
        await session.execute(statement.on_conflict_do_nothing(index_elements=["phone"]))
        await session.commit()


async def opt_in(factory: Factory, phone: str) -> None:
    async with factory() as session:
        await session.execute(delete(SmsOptOutRow).where(SmsOptOutRow.phone == checked(phone)))
        await session.commit()


async def is_opted_out(factory: Factory, phone: str) -> bool:
    async with factory() as session:
        return bool(await opted_out(session, [phone]))


async def opted_out(session: AsyncSession, phones: Iterable[str]) -> set[str]:
    """Which of `phones` have opted out, read in the caller's transaction."""
    wanted = list(set(phones))
    if not wanted:
        return set()
    found = await session.scalars(select(SmsOptOutRow.phone).where(SmsOptOutRow.phone.in_(wanted)))
    return set(found)
