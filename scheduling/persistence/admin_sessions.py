"""The `admin_sessions` table: every SQL statement about admin sessions, with `now` passed in
(the gateway's `admin.session` decides when to call them).

The rules (idle and absolute lifetimes, what revokes a session) are stated in `session.py`;
this module applies them in the queries so a session that broke one is never returned.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.persistence.admin_tables import AdminSessionRow, AdminUserRow

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=12)
TOUCH_EVERY = timedelta(minutes=1)
KEEP_ENDED = timedelta(days=30)
"""Ended sessions stay this long after their absolute expiry (who signed in from where)."""
USER_AGENT_CHARS = 200
ADDRESS_CHARS = 64


@dataclass(frozen=True, slots=True)
class AdminSession:
    """A live session: `token_hash` names it (the raw token is only ever in the cookie).
    `role` and `staff_id` are the account's as of this request (a role changed by an owner
    applies at the account's next click); the defaults are the most limited account, so a
    session built without them sees nothing (`assistant.gateway.admin.roles`)."""

    email: str
    token_hash: str
    created_at: datetime
    expires_at: datetime
    role: str = "staff"
    staff_id: UUID | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def revoke_every(session: AsyncSession, emails: Iterable[str], now: datetime) -> int:
    """End every open session of these admins, inside the caller's transaction (a password
    change commits with its revocations or not at all); returns how many were ended."""
    result = await session.execute(
        update(AdminSessionRow)
        .where(AdminSessionRow.email.in_(list(emails)), AdminSessionRow.revoked_at.is_(None),
               AdminSessionRow.expires_at > now)
        .values(revoked_at=now))
    return int(result.rowcount)  # type: ignore[attr-defined]


class SessionStore:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.sessions = sessions

    async def create(self, email: str, now: datetime, client_address: str,
                     user_agent: str) -> str:
        """A new session for the admin `email`; returns the raw token for the cookie. Sessions
        ended more than KEEP_ENDED ago are pruned on the way, so the table stays small."""
        token = secrets.token_urlsafe(32)
        row = AdminSessionRow(
            token_hash=token_hash(token), email=email, created_at=now, last_seen_at=now,
            expires_at=now + ABSOLUTE, revoked_at=None,
            client_address=client_address[:ADDRESS_CHARS],
            user_agent=user_agent.replace("\x00", "")[:USER_AGENT_CHARS])
        async with self.sessions() as session, session.begin():
            await session.execute(delete(AdminSessionRow).where(
                AdminSessionRow.expires_at < now - KEEP_ENDED))
            session.add(row)
        return token

    async def resolve(self, token: str, now: datetime) -> AdminSession | None:
        """The live session `token` opens, if any: not revoked, not past either lifetime, and
        its admin account still exists, with the account's role in the same query.
        `last_seen_at` is written at most once a minute."""
        digest = token_hash(token)
        async with self.sessions() as session, session.begin():
            row = (await session.execute(
                select(AdminSessionRow.email, AdminSessionRow.created_at,
                       AdminSessionRow.expires_at, AdminSessionRow.last_seen_at,
                       AdminUserRow.role, AdminUserRow.staff_id)
                .join(AdminUserRow, AdminUserRow.email == AdminSessionRow.email)
                .where(AdminSessionRow.token_hash == digest,
                       AdminSessionRow.revoked_at.is_(None),
                       AdminSessionRow.expires_at > now,
                       AdminSessionRow.last_seen_at > now - IDLE))).first()
            if row is None:
                return None
            if now - row.last_seen_at >= TOUCH_EVERY:
                await session.execute(update(AdminSessionRow)
                                      .where(AdminSessionRow.token_hash == digest)
                                      .values(last_seen_at=now))
        return AdminSession(row.email, digest, row.created_at, row.expires_at, row.role,
                            row.staff_id)

    async def revoke(self, digest: str, now: datetime) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(update(AdminSessionRow)
                                  .where(AdminSessionRow.token_hash == digest,
                                         AdminSessionRow.revoked_at.is_(None))
                                  .values(revoked_at=now))
