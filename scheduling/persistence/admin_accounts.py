"""The `admin_users` table: accounts keyed by lower-case e-mail with their password hashes.
Hashing and checking passwords is the gateway's (`assistant.gateway.admin.users`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert

from scheduling.persistence.admin_sessions import revoke_every
from scheduling.persistence.admin_tables import AdminUserRow
from scheduling.persistence.database import SessionFactory


async def save_hashes(factory: SessionFactory, hashes: dict[str, str], now: datetime) -> int:
    """Create or update these accounts and sign out their open sessions in one transaction (a
    password change is never stored without its revocations); returns the sessions ended."""
    rows = [{"email": email, "password_hash": hashed, "created_at": now, "updated_at": now}
            for email, hashed in hashes.items()]
    statement = insert(AdminUserRow).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[AdminUserRow.email],
        set_={"password_hash": statement.excluded.password_hash, "updated_at": now})
    async with factory() as session, session.begin():
        await session.execute(statement)
        return await revoke_every(session, hashes, now)


async def password_hash(factory: SessionFactory, email: str) -> str | None:
    async with factory() as session:
        return await session.scalar(select(AdminUserRow.password_hash)
                                    .where(AdminUserRow.email == email))


async def emails(factory: SessionFactory) -> list[str]:
    async with factory() as session:
        return list(await session.scalars(select(AdminUserRow.email)
                                          .order_by(AdminUserRow.email)))
