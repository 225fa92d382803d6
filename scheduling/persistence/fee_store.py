"""Saved cards and fees (`fee_tables`) as the use cases' values: the unit of work that records
a fee paid through its pay link with the webhook event (`FeeUnitOfWork`), and the fee worker's
side of the outbox (`FeeWorkStore`), each call one short transaction recording the provider's
answer with the message's new state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.fees import PAYABLE, Fee, FeeKind, FeeStatus, SavedCard
from scheduling.booking.messages import OutboxMessage
from scheduling.notifications.delivery import Attempt, Claimed
from scheduling.persistence import outbox_store
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.fee_tables import FeeRow, SavedCardRow
from scheduling.persistence.outbox import Outbox
from scheduling.persistence.payment_store import PaymentUnitOfWork, currency_of


def _fee(row: FeeRow) -> Fee:
    return Fee(row.outbox_id, row.appointment_id, FeeKind(row.kind), row.amount,
               FeeStatus(row.status), row.provider_id, row.last_error)


class FeeStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def fee(self, appointment_id: UUID, kind: FeeKind, lock: bool = False
                  ) -> Fee | None:
        query = select(FeeRow).where(FeeRow.appointment_id == appointment_id,
                                     FeeRow.kind == kind.value)
        row = await self.session.scalar(query.with_for_update() if lock else query)
        return None if row is None else _fee(row)

    async def owed(self, appointment_id: UUID) -> Fee | None:
        """The appointment's fee still to be paid through its pay link, if any."""
        row = await self.session.scalar(select(FeeRow).where(
            FeeRow.appointment_id == appointment_id,
            FeeRow.status.in_([s.value for s in PAYABLE])))
        return None if row is None else _fee(row)

    async def fee_paid(self, fee: Fee, reference: str, now: datetime) -> None:
        await self.session.execute(update(FeeRow).where(FeeRow.outbox_id == fee.id).values(
            status=FeeStatus.PAID.value, provider_id=reference, last_error=None,
            updated_at=now))



    async def paid_in_person(self, appointment_id: UUID, kind: FeeKind, amount: Decimal,
                             reference: str, now: datetime) -> None:
        await self.session.execute(insert(FeeRow).values(
            outbox_id=uuid4(), appointment_id=appointment_id, kind=kind.value, amount=amount,
            status=FeeStatus.PAID.value, provider_id=reference, attempts=0, last_error=None,
            created_at=now, updated_at=now))


class FeeUnitOfWork(PaymentUnitOfWork):
    """The payments' unit of work with the fees' rows in the same transaction."""

    fees: FeeStore

    def _start(self) -> None:
        super()._start()
        self.fees = FeeStore(self.session)


async def fees_of(session: AsyncSession, appointment_id: UUID) -> list[Fee]:
    rows = await session.scalars(select(FeeRow).where(FeeRow.appointment_id == appointment_id)
                                 .order_by(FeeRow.created_at))
    return [_fee(row) for row in rows]


async def saved_card(session: AsyncSession, appointment_id: UUID) -> SavedCard | None:
    """The card kept for this appointment's fees: saved with it, or with the booking it was
    moved from (a moved booking keeps its deposit, and the card paid with it)."""
    chain = (select(AppointmentRow.id, AppointmentRow.rescheduled_from)
             .where(AppointmentRow.id == appointment_id).cte("chain", recursive=True))
    chain = chain.union_all(select(AppointmentRow.id, AppointmentRow.rescheduled_from)
                            .where(AppointmentRow.id == chain.c.rescheduled_from))
    row = await session.scalar(select(SavedCardRow)
                               .where(SavedCardRow.appointment_id.in_(select(chain.c.id)))
                               .order_by(SavedCardRow.created_at.desc()).limit(1))
    return None if row is None else SavedCard(row.provider_customer, row.payment_method)


@dataclass(frozen=True, slots=True)
class FeeAnswer:
    """One try at a fee: what was asked, the provider's answer and the fee's new state."""

    amount: Decimal
    kind: FeeKind
    status: FeeStatus
    attempt: Attempt
    provider_id: str | None = None
    error: str | None = None


class FeeWorkStore:
    def __init__(self, factory: SessionFactory) -> None:
        self._factory = factory

    async def claim(self, now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
        async with self._factory() as session:
            return await outbox_store.claim(session, now, ("fee_charge",), limit, lease)

    async def card_and_currency(self, appointment_id: UUID, business_id: UUID
                                ) -> tuple[SavedCard | None, str]:
        async with self._factory() as session:
            return (await saved_card(session, appointment_id),
                    await currency_of(session, business_id))

    async def save_card(self, appointment_id: UUID, card: SavedCard, now: datetime) -> None:
        """The card kept for this appointment's fees (again: the same card, nothing new)."""
        async with self._factory() as session:
            booked = await session.get(AppointmentRow, appointment_id)
            if booked is None:  # erased since it was paid: nothing to keep the card for
                return
            await session.execute(insert(SavedCardRow).values(
                appointment_id=appointment_id, customer_id=booked.customer_id,
                provider_customer=card.customer, payment_method=card.payment_method,
                created_at=now).on_conflict_do_nothing(index_elements=["appointment_id"]))
            await session.commit()

    async def done(self, message: Claimed, answer: FeeAnswer, now: datetime,
                   then: OutboxMessage | None = None) -> None:
        """Charged, or the pay link `then` queued: the message is done."""
        async with self._factory() as session:
            await self._record(session, message, answer, now)
            if then is not None:
                await Outbox(session).add([then], now)
            await outbox_store.mark_sent(session, message, [answer.attempt], now)

    async def retry(self, message: Claimed, answer: FeeAnswer, now: datetime,
                    retry_at: datetime) -> None:
        async with self._factory() as session:
            await self._record(session, message, answer, now)
            await outbox_store.mark_retry(session, message, [answer.attempt], now,
                                          answer.error or "", retry_at)

    async def failed(self, message: Claimed, answer: FeeAnswer, now: datetime,
                     alert: OutboxMessage) -> None:
        async with self._factory() as session:
            await self._record(session, message, answer, now)
            await Outbox(session).add([alert], now)
            await outbox_store.mark_failed(session, message, [answer.attempt], now,
                                           answer.error or "")

    @staticmethod
    async def _record(session: AsyncSession, message: Claimed, answer: FeeAnswer,
                      now: datetime) -> None:
        assert message.appointment_id is not None
        values = {"status": answer.status.value, "provider_id": answer.provider_id,
                  "last_error": answer.error, "updated_at": now,
                  "attempts": FeeRow.attempts + 1}
        await session.execute(insert(FeeRow).values(
            outbox_id=message.id, appointment_id=message.appointment_id,
            kind=answer.kind.value, amount=answer.amount, status=answer.status.value,
            provider_id=answer.provider_id, attempts=1, last_error=answer.error,
            created_at=now, updated_at=now,
        ).on_conflict_do_update(index_elements=["outbox_id"], set_=values))
