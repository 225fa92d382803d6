"""Short links in the database: issue a code for (subject, action), follow one, revoke them.

Codes are random (`secrets`), 8 base-62 characters: about 2 * 10^14 of them, so guessing a live
one takes far more lookups than the gateway's rate limit allows. Issuing is idempotent without
depending on luck: the live code of a (subject, action) is read first, and a new one is inserted
with ON CONFLICT DO NOTHING under the unique index on the live pair, so two dispatchers issuing
the same link at once both end up with the one code that went in.
"""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import ColumnElement, delete, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.persistence.database import SessionFactory
from scheduling.persistence.short_link_tables import ShortLinkRow

ALPHABET = string.digits + string.ascii_letters
CODE_LENGTH = 8
ATTEMPTS = 5
"""Rounds of read-then-insert before giving up; a second round is needed only when a random
code collides with an existing one (about one issue in 10^7 at a million rows)."""

KEEP = timedelta(days=90)
"""How long a dead code's row stays: within it, a late click still reads "this link has
expired" (or "withdrawn") rather than "we don't know this link"."""

Pair = tuple[UUID, str]


@dataclass(frozen=True, slots=True)
class LinkRequest:
    subject: UUID
    action: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class ShortLink:
    code: str
    action: str
    subject: UUID
    expires_at: datetime
    created_at: datetime
    revoked_at: datetime | None


class CodesExhausted(RuntimeError):
    """Every attempt to insert a fresh code collided: the table is implausibly full."""

    def __init__(self, missing: int) -> None:
        super().__init__(f"no free short code found for {missing} link(s) after {ATTEMPTS} "
                         "attempts")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def is_code(text: str) -> bool:
    """Whether `text` has the shape of a code (checked before any lookup)."""
    return len(text) == CODE_LENGTH and all(c in ALPHABET for c in text)


async def issue(factory: SessionFactory, requests: Iterable[LinkRequest], now: datetime
                ) -> dict[Pair, str]:
    """The live code of each request's (subject, action), made where there is none yet."""
    wanted = {(r.subject, r.action): r for r in requests}
    if not wanted:
        return {}
    async with factory() as session:
        codes = await _issue(session, wanted, now)
        await session.commit()
    return codes


async def _issue(session: AsyncSession, wanted: dict[Pair, LinkRequest], now: datetime
                 ) -> dict[Pair, str]:
    found: dict[Pair, str] = {}
    for _ in range(ATTEMPTS):
        found |= await _live(session, [p for p in wanted if p not in found])
        missing = [r for p, r in wanted.items() if p not in found]
        if not missing:
            return found
        found |= await _insert(session, missing, now)
    raise CodesExhausted(len(wanted) - len(found))


async def _live(session: AsyncSession, pairs: list[Pair]) -> dict[Pair, str]:
    if not pairs:
        return {}
    rows = await session.execute(
        select(ShortLinkRow.subject_id, ShortLinkRow.action, ShortLinkRow.code)
        .where(tuple_(ShortLinkRow.subject_id, ShortLinkRow.action).in_(pairs),
               ShortLinkRow.revoked_at.is_(None)))
    return {(subject, action): code for subject, action, code in rows}


async def _insert(session: AsyncSession, requests: list[LinkRequest], now: datetime
                  ) -> dict[Pair, str]:
    """Insert a fresh code per request; a row refused by either unique index (a code taken, a
    live pair another transaction just inserted) is left to the next read."""
    rows = [{"code": new_code(), "action": r.action, "subject_id": r.subject,
             "expires_at": r.expires_at, "created_at": now} for r in requests]
    inserted = await session.execute(
        insert(ShortLinkRow).values(rows).on_conflict_do_nothing()
        .returning(ShortLinkRow.subject_id, ShortLinkRow.action, ShortLinkRow.code))
    return {(subject, action): code for subject, action, code in inserted}


async def find(factory: SessionFactory, code: str) -> ShortLink | None:
    """The link behind `code`, live or not; None when there never was one."""
    async with factory() as session:
        row = await session.get(ShortLinkRow, code)
        return _value(row) if row is not None else None


def _value(row: ShortLinkRow) -> ShortLink:
    return ShortLink(row.code, row.action, row.subject_id, row.expires_at, row.created_at,
                     row.revoked_at)


async def revoke(factory: SessionFactory, code: str, now: datetime) -> bool:
    """Revoke one code; False when no live code has that name."""
    return bool(await _revoke(factory, ShortLinkRow.code == code, now))


async def revoke_subject(factory: SessionFactory, subject: UUID, now: datetime) -> int:
    """Revoke every live code of an appointment (or waitlist offer); how many there were."""
    return await _revoke(factory, ShortLinkRow.subject_id == subject, now)


async def _revoke(factory: SessionFactory, which: ColumnElement[bool], now: datetime) -> int:
    async with factory() as session:
        result = await session.execute(
            update(ShortLinkRow).where(which, ShortLinkRow.revoked_at.is_(None))
            .values(revoked_at=now))
        await session.commit()
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def prune(session: AsyncSession, now: datetime) -> int:
    """Delete codes that expired more than KEEP ago; how many went."""
    result = await session.execute(delete(ShortLinkRow).where(ShortLinkRow.expires_at < now - KEEP))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
