"""Release rules, audiences and waiting-room settings in PostgreSQL (issue 20).

`release_access` is what the availability path reads for every search and placement: the
business's rules, and only when one of them has an audience, which of those audiences the
customer (by their record, verified before a booking) or a code proves. Codes are compared as
SHA-256, never stored in the clear. Never commits: the caller's unit of work does.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.errors import NotFound
from scheduling.persistence.release_reads import ReleaseFigures, release_figures
from scheduling.persistence.release_tables import (
    ReleaseAudienceCodeRow,
    ReleaseAudienceMemberRow,
    ReleaseAudienceRow,
    ReleaseRuleRow,
    WaitingRoomSettingsRow,
)
from scheduling.releases import Access, Audience, Period, Release, ReleaseRule
from scheduling.releases_settings import DEFAULT, WaitingRoomSettings

CODE_CHARS = 64


def code_hash(code: str) -> str:
    """Codes are matched ignoring case and surrounding spaces."""
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _rule(row: ReleaseRuleRow) -> ReleaseRule:
    return ReleaseRule(row.id, row.business_id, Period(row.period), row.opens_at, row.weekday,
                       row.lead, row.service_id, row.staff_id, row.audience_id,
                       timedelta(minutes=row.early_minutes))


async def release_access(
    session: AsyncSession, business_id: UUID, customer_id: UUID | None = None,
    codes: Sequence[str] = (),
) -> Access:
    rows = await session.scalars(select(ReleaseRuleRow).where(
        ReleaseRuleRow.business_id == business_id).order_by(ReleaseRuleRow.created_at))
    rules = tuple(_rule(row) for row in rows)
    wanted = {r.audience_id for r in rules if r.audience_id is not None}
    if not wanted or (customer_id is None and not codes):
        return Access(rules)
    M, C = ReleaseAudienceMemberRow, ReleaseAudienceCodeRow
    proofs = []
    if customer_id is not None:
        proofs.append(select(M.audience_id).where(M.customer_id == customer_id,
                                                  M.audience_id.in_(wanted)))
    hashes = [code_hash(c) for c in codes if 0 < len(c.strip()) <= CODE_CHARS]
    if hashes:
        proofs.append(select(C.audience_id).where(C.code_hash.in_(hashes),
                                                  C.audience_id.in_(wanted)))
    if not proofs:
        return Access(rules)
    found = await session.scalars(proofs[0].union(*proofs[1:]) if len(proofs) > 1 else proofs[0])
    return Access(rules, frozenset(found))


class ReleaseStore:
    """The owner's side: rules, audiences, codes and waiting-room settings."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def rules(self, business_id: UUID) -> list[ReleaseRule]:
        return list((await release_access(self.session, business_id)).rules)

    async def add_rule(self, rule: ReleaseRule, now: datetime) -> None:
        self.session.add(ReleaseRuleRow(
            id=rule.id, business_id=rule.business_id, service_id=rule.service_id,
            staff_id=rule.staff_id, period=rule.period.value, weekday=rule.weekday,
            opens_at=rule.at, lead=rule.lead, audience_id=rule.audience_id,
            early_minutes=int(rule.early.total_seconds() // 60), created_at=now))
        await self.session.flush()

    async def delete_rule(self, business_id: UUID, rule_id: UUID) -> None:
        done = await self.session.execute(delete(ReleaseRuleRow).where(
            ReleaseRuleRow.business_id == business_id, ReleaseRuleRow.id == rule_id))
        if not done.rowcount:  # type: ignore[attr-defined]
            raise NotFound("release rule", rule_id)

    async def audiences(self, business_id: UUID) -> list[Audience]:
        A, M, C = ReleaseAudienceRow, ReleaseAudienceMemberRow, ReleaseAudienceCodeRow
        members = select(func.count()).where(M.audience_id == A.id).scalar_subquery()
        codes = select(func.count()).where(C.audience_id == A.id).scalar_subquery()
        rows = await self.session.execute(
            select(A.id, A.name, members, codes).where(A.business_id == business_id)
            .order_by(A.name))
        return [Audience(*row) for row in rows]

    async def add_audience(self, business_id: UUID, name: str, now: datetime) -> UUID:
        """`NotFound`-free: a name already used returns that audience."""
        A = ReleaseAudienceRow
        new = uuid4()
        await self.session.execute(pg_insert(A).values(
            id=new, business_id=business_id, name=name, created_at=now,
        ).on_conflict_do_nothing(index_elements=["business_id", "name"]))
        found = await self.session.execute(select(A.id).where(A.business_id == business_id,
                                                              A.name == name))
        return found.scalar_one()

    async def add_member(self, audience_id: UUID, customer_id: UUID) -> None:
        await self.session.execute(pg_insert(ReleaseAudienceMemberRow).values(
            audience_id=audience_id, customer_id=customer_id).on_conflict_do_nothing())

    async def add_code(self, audience_id: UUID, code: str, now: datetime) -> None:
        await self.session.execute(pg_insert(ReleaseAudienceCodeRow).values(
            audience_id=audience_id, code_hash=code_hash(code), created_at=now,
        ).on_conflict_do_nothing())

    async def code_taken(self, business_id: UUID, code: str) -> bool:
        """Whether another audience of the business already has this code."""
        A, C = ReleaseAudienceRow, ReleaseAudienceCodeRow
        found = await self.session.scalar(select(func.count()).select_from(C).join(
            A, A.id == C.audience_id).where(A.business_id == business_id,
                                             C.code_hash == code_hash(code)))
        return bool(found)

    async def figures(self, rule: ReleaseRule, release: Release, zone: ZoneInfo
                      ) -> ReleaseFigures:
        """One release's demand, admitted, booked and abandoned (`release_reads`)."""
        return await release_figures(self.session, rule, release, zone)

    async def waiting_room(self, service_id: UUID) -> WaitingRoomSettings:
        row = await self.session.get(WaitingRoomSettingsRow, service_id)
        if row is None:
            return DEFAULT
        return WaitingRoomSettings(row.threshold, row.admit_at_once, row.hold_minutes)

    async def set_waiting_room(
        self, business_id: UUID, service_id: UUID, settings: WaitingRoomSettings, now: datetime,
    ) -> None:
        values = {"threshold": settings.threshold, "admit_at_once": settings.admit_at_once,
                  "hold_minutes": settings.hold_minutes, "updated_at": now}
        await self.session.execute(pg_insert(WaitingRoomSettingsRow).values(
            service_id=service_id, business_id=business_id, **values,
        ).on_conflict_do_update(index_elements=["service_id"], set_=values))



