"""Claiming due outbox rows and recording what became of them, in short transactions.

One dispatcher cycle is: `claim` (one transaction: lock due rows with FOR UPDATE SKIP LOCKED,
give each a lease until `now + lease`, commit), send with no transaction open, then one of
`mark_sent`/`mark_retry`/`mark_failed`/`mark_skipped` per message, each recording its attempts
in the same transaction. A replica never claims a row another replica holds a live lease on;
a dispatcher that dies mid-send loses its leases when they expire and the rows are claimed again.

A message that fails for good (`mark_failed`) and is a confirmation also flags its appointment
`confirmation_failed`, writes an alert row for the dashboard and queues an `owner_alert`
e-mail, in the transaction that marks it failed: the failure cannot be recorded without its
alert.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.messages import OutboxMessage
from scheduling.notifications.delivery import ALERT_KINDS, Attempt, Claimed, alert_text
from scheduling.persistence.notification_tables import (
    APPOINTMENT_FLAGS,
    DeliveryAttemptRow,
    NotificationAlertRow,
    OutboxDeliveryRow,
)
from scheduling.persistence.outbox import Outbox, OutboxRow

DONE = ("sent", "skipped")


def _available() -> Any:
    return func.coalesce(OutboxDeliveryRow.next_attempt_at, OutboxRow.due_at)


async def claim(
    session: AsyncSession, now: datetime, kinds: Sequence[str], limit: int, lease: timedelta
) -> list[Claimed]:
    """Lease up to `limit` due rows of `kinds` and commit; rows leased elsewhere are skipped."""
    query = (
        select(OutboxRow)
        .outerjoin(OutboxDeliveryRow, OutboxDeliveryRow.outbox_id == OutboxRow.id)
        .where(OutboxRow.status == "pending", OutboxRow.kind.in_(list(kinds)),
               _available() <= now,
               or_(OutboxDeliveryRow.claimed_until.is_(None),
                   OutboxDeliveryRow.claimed_until < now))
        .order_by(_available())
        .limit(limit)
        .with_for_update(of=OutboxRow, skip_locked=True)
    )
    candidates = {r.id: r for r in await session.scalars(query)}
    token = uuid4()
    claims = await _lease(session, list(candidates), token, now, now + lease)
    rows = [candidates[i] for i in candidates if i in claims]
    done = await _done_channels(session, [r.id for r in rows])
    await session.commit()
    return [
        Claimed(r.id, r.kind, r.payload, r.due_at, r.attempts, r.appointment_id, token,
                claims[r.id] > r.attempts + 1, frozenset(done.get(r.id, ())))
        for r in rows
    ]


async def _lease(
    session: AsyncSession, ids: list[UUID], token: UUID, now: datetime, until: datetime
) -> dict[UUID, int]:
    """Take the lease of each row that nobody holds, as one compare-and-set; returns the rows
    taken (with their claim counts).

    The row lock on `outbox` alone cannot decide this: the lease lives in another table, and a
    claim whose snapshot predates a rival's commit can lock a row the rival has just leased.
    The upsert's WHERE is evaluated against the latest committed lease row (a concurrent insert
    of the same key waits for the other transaction), so exactly one claimer gets each lease.
    """
    if not ids:
        return {}
    lease = OutboxDeliveryRow.__table__
    statement = pg_insert(OutboxDeliveryRow).values(
        [{"outbox_id": i, "claim_token": token, "claimed_until": until, "claims": 1} for i in ids]
    )
    upsert = statement.on_conflict_do_update(
        index_elements=["outbox_id"],
        set_={"claim_token": token, "claimed_until": until,
              "claims": OutboxDeliveryRow.claims + 1},
        where=and_(
            or_(lease.c.claimed_until.is_(None), lease.c.claimed_until < now),
            or_(lease.c.next_attempt_at.is_(None), lease.c.next_attempt_at <= now),
        ),
    ).returning(OutboxDeliveryRow.outbox_id, OutboxDeliveryRow.claims)
    return {row.outbox_id: row.claims for row in await session.execute(upsert)}


async def _done_channels(session: AsyncSession, ids: list[UUID]) -> dict[UUID, set[str]]:
    found: dict[UUID, set[str]] = {}
    rows = await session.execute(
        select(DeliveryAttemptRow.outbox_id, DeliveryAttemptRow.channel).where(
            DeliveryAttemptRow.outbox_id.in_(ids), DeliveryAttemptRow.status.in_(DONE)
        )
    )
    for outbox_id, channel in rows:
        found.setdefault(outbox_id, set()).add(channel)
    return found


async def superseded(session: AsyncSession, message: Claimed, now: datetime) -> bool:
    """A late reminder whose closer sibling is due too: only the closer one is worth sending."""
    if message.kind != "reminder" or message.appointment_id is None:
        return False
    closer = await session.scalar(
        select(func.count()).select_from(OutboxRow).where(
            OutboxRow.appointment_id == message.appointment_id, OutboxRow.kind == "reminder",
            OutboxRow.status.in_(["pending", "sent"]), OutboxRow.due_at > message.due_at,
            OutboxRow.due_at <= now,
        )
    )
    return bool(closer)


async def record(session: AsyncSession, message: Claimed, attempts: Iterable[Attempt],
                 now: datetime) -> None:
    values = [
        {"outbox_id": message.id, "channel": a.channel, "provider": a.provider,
         "recipient": a.recipient, "idempotency_key": a.idempotency_key, "status": a.status,
         "provider_message_id": a.provider_message_id, "error": a.error,
         "summary": a.summary, "at": now}
        for a in attempts
    ]
    if values:
        await session.execute(insert(DeliveryAttemptRow), values)


async def finish(session: AsyncSession, message: Claimed, retry_at: datetime | None = None,
                 **changes: Any) -> None:
    """Apply `changes` to a still-pending row (a row cancelled meanwhile stays cancelled) and
    release this dispatcher's lease."""
    await session.execute(
        update(OutboxRow).where(OutboxRow.id == message.id, OutboxRow.status == "pending")
        .values(**changes)
    )
    await session.execute(
        update(OutboxDeliveryRow)
        .where(OutboxDeliveryRow.outbox_id == message.id,
               OutboxDeliveryRow.claim_token == message.token)
        .values(claim_token=None, claimed_until=None,
                next_attempt_at=retry_at)
    )


async def mark_sent(session: AsyncSession, message: Claimed, attempts: list[Attempt],
                    now: datetime) -> None:
    await record(session, message, attempts, now)
    await finish(session, message, status="sent", attempts=message.attempts + 1)
    await session.commit()


async def mark_retry(session: AsyncSession, message: Claimed, attempts: list[Attempt],
                     now: datetime, error: str, retry_at: datetime) -> None:
    await record(session, message, attempts, now)
    await finish(session, message, retry_at, attempts=message.attempts + 1, last_error=error)
    await session.commit()


async def mark_skipped(session: AsyncSession, message: Claimed, reason: str,
                       now: datetime) -> None:
    """Withdraw a message that lost its point, leaving an attempt row that says why."""
    skipped = Attempt("none", "none", "", f"{message.id}", "skipped", error=reason)
    await record(session, message, [skipped], now)
    await finish(session, message, status="cancelled", last_error=reason)
    await session.commit()


async def mark_failed(session: AsyncSession, message: Claimed, attempts: list[Attempt],
                      now: datetime, error: str) -> None:
    await record(session, message, attempts, now)
    await finish(session, message, status="failed", attempts=message.attempts + 1,
                 last_error=error)
    if message.kind in ALERT_KINDS:
        await _alert(session, message, now, error)
    await session.commit()


async def _alert(session: AsyncSession, message: Claimed, now: datetime, error: str) -> None:
    business = message.payload.get("business_id")
    await session.execute(pg_insert(NotificationAlertRow).values(
        business_id=business, appointment_id=message.appointment_id, outbox_id=message.id,
        kind=f"{message.kind}_failed", message=alert_text(message, error), created_at=now,
    ).on_conflict_do_nothing(index_elements=["outbox_id"]))
    if message.appointment_id is not None:
        await session.execute(update(APPOINTMENT_FLAGS)
                              .where(APPOINTMENT_FLAGS.c.id == message.appointment_id)
                              .values(confirmation_failed=True))
    owner = OutboxMessage("owner_alert", f"owner_alert:{message.id}", now,
                          message.payload | {"failed_kind": message.kind, "error": error},
                          message.appointment_id)
    await Outbox(session).add([owner], now)


class OutboxStore:
    """The dispatcher's side of the outbox: each call one short transaction of its own."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self._factory = factory

    async def claim(self, now: datetime, kinds: Sequence[str], limit: int, lease: timedelta
                    ) -> list[Claimed]:
        async with self._factory() as session:
            return await claim(session, now, kinds, limit, lease)

    async def sent(self, message: Claimed, attempts: list[Attempt], now: datetime) -> None:
        async with self._factory() as session:
            await mark_sent(session, message, attempts, now)

    async def retry(self, message: Claimed, attempts: list[Attempt], now: datetime, error: str,
                    retry_at: datetime) -> None:
        async with self._factory() as session:
            await mark_retry(session, message, attempts, now, error, retry_at)

    async def failed(self, message: Claimed, attempts: list[Attempt], now: datetime,
                     error: str) -> None:
        async with self._factory() as session:
            await mark_failed(session, message, attempts, now, error)

    async def skipped(self, message: Claimed, reason: str, now: datetime) -> None:
        async with self._factory() as session:
            await mark_skipped(session, message, reason, now)
