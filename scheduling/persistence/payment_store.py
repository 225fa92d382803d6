"""The payments' rows (`payment_tables`) as the use cases' values, and the unit of work that
books and pays in one transaction (`scheduling.booking.online_payments.PaymentUnitOfWork`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.messages import OutboxMessage
from scheduling.booking.online_payments import Checkout, ProviderEvent, RefundResult
from scheduling.booking.policies import BookingRules
from scheduling.catalog import BusinessPolicies
from scheduling.notifications.delivery import Attempt, Claimed
from scheduling.persistence import outbox_store
from scheduling.persistence.booking_tables import BookingRulesRow
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.catalog_codec import policies_of
from scheduling.persistence.catalog_tables import BusinessRow
from scheduling.persistence.database import SessionFactory
from scheduling.persistence.outbox import Outbox
from scheduling.persistence.payment_tables import CheckoutRow, PaymentEventRow, RefundRow

PENDING_OUTCOME = "applying"
StoreError = SQLAlchemyError
"""What a failed write raises: the webhook answers it with 503, so Stripe delivers again."""


class PaymentStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def checkout(self, appointment_id: UUID) -> Checkout | None:
        row = await self.session.get(CheckoutRow, appointment_id)
        return None if row is None else Checkout(row.session_id, row.url, row.expires_at)

    async def save_checkout(self, appointment_id: UUID, checkout: Checkout, amount: Decimal,
                            now: datetime) -> None:
        values = {"session_id": checkout.session_id, "url": checkout.url, "amount": amount,
                  "expires_at": checkout.expires_at, "created_at": now}
        statement = insert(CheckoutRow).values(appointment_id=appointment_id, **values)
        await self.session.execute(statement.on_conflict_do_update(
            index_elements=["appointment_id"], set_=values))

    async def first_time(self, event: ProviderEvent, now: datetime) -> bool:
        statement = insert(PaymentEventRow).values(
            event_id=event.id, type=event.type[:100], appointment_id=None,
            outcome=PENDING_OUTCOME, received_at=now,
        ).on_conflict_do_nothing(index_elements=["event_id"]).returning(PaymentEventRow.event_id)
        return (await self.session.scalar(statement)) is not None

    async def settled(self, event_id: str, outcome: str, appointment_id: UUID | None
                      ) -> None:
        await self.session.execute(update(PaymentEventRow)
                                   .where(PaymentEventRow.event_id == event_id)
                                   .values(outcome=outcome, appointment_id=appointment_id))


    async def set_deposits_online(self, business_id: UUID, online: bool) -> None:
        """The business's choice, its other booking rules as they are (defaults for a
        business without a row)."""
        defaults = BookingRules()
        minutes = timedelta(minutes=1)
        statement = insert(BookingRulesRow).values(
            business_id=business_id, max_active_per_customer=defaults.max_active_per_customer,
            require_approval=defaults.require_approval,
            hold_minutes=defaults.hold_ttl // minutes,
            claim_window_minutes=defaults.claim_window // minutes,
            no_show_grace_minutes=defaults.no_show_grace // minutes, deposits_online=online)
        await self.session.execute(statement.on_conflict_do_update(
            index_elements=["business_id"], set_={"deposits_online": online}))


class PaymentUnitOfWork(BookingUnitOfWork):
    """The booking unit of work with the payments' rows in the same transaction."""

    payments: PaymentStore

    def _start(self) -> None:
        super()._start()
        self.payments = PaymentStore(self.session)



async def currency_of(session: AsyncSession, business_id: UUID) -> str:
    """The business's currency (what its deposits were charged in)."""
    row = await session.get(BusinessRow, business_id)
    return policies_of(row.policies).currency if row is not None else BusinessPolicies().currency


async def save_refund(session: AsyncSession, outbox_id: UUID, appointment_id: UUID,
                      amount: Decimal, reference: str, result: RefundResult, now: datetime
                      ) -> None:
    """Record what the provider answered to the refund queued as `outbox_id` (one row per
    message, updated on each try), in the caller's transaction."""
    values = {"provider_id": result.provider_id, "status": result.status,
              "last_error": result.error, "updated_at": now,
              "attempts": RefundRow.attempts + 1}
    statement = insert(RefundRow).values(
        outbox_id=outbox_id, appointment_id=appointment_id, amount=amount,
        payment_reference=reference, provider_id=result.provider_id, status=result.status,
        attempts=1, last_error=result.error, created_at=now, updated_at=now)
    await session.execute(statement.on_conflict_do_update(index_elements=["outbox_id"],
                                                          set_=values))


async def refunds_of(session: AsyncSession, appointment_id: UUID) -> list[RefundResult]:
    rows = await session.scalars(select(RefundRow).where(RefundRow.appointment_id ==
                                                         appointment_id)
                                 .order_by(RefundRow.created_at))
    return [RefundResult(r.status, r.provider_id, r.last_error, r.amount) for r in rows]


class RefundStore:
    """The refund worker's side of the outbox: each call one short transaction of its own,
    the provider's answer recorded with the message's new state."""

    def __init__(self, factory: SessionFactory) -> None:
        self._factory = factory

    async def claim(self, now: datetime, limit: int, lease: timedelta) -> list[Claimed]:
        async with self._factory() as session:
            return await outbox_store.claim(session, now, ("refund",), limit, lease)

    async def currency(self, business_id: UUID) -> str:
        async with self._factory() as session:
            return await currency_of(session, business_id)

    async def skipped(self, message: Claimed, reason: str, now: datetime) -> None:
        async with self._factory() as session:
            await outbox_store.mark_skipped(session, message, reason, now)

    async def sent(self, message: Claimed, answer: RefundAnswer, now: datetime) -> None:
        async with self._factory() as session:
            await self._record(session, message, answer, now)
            await outbox_store.mark_sent(session, message, [answer.attempt], now)

    async def retry(self, message: Claimed, answer: RefundAnswer, now: datetime,
                    retry_at: datetime) -> None:
        async with self._factory() as session:
            await self._record(session, message, answer, now)
            await outbox_store.mark_retry(session, message, [answer.attempt], now,
                                          answer.result.error or "", retry_at)

    async def failed(self, message: Claimed, answer: RefundAnswer, now: datetime,
                     alert: OutboxMessage) -> None:
        """Failed for good, with the owner's alert queued in the same transaction."""
        async with self._factory() as session:
            await self._record(session, message, answer, now)
            await Outbox(session).add([alert], now)
            await outbox_store.mark_failed(session, message, [answer.attempt], now,
                                           answer.result.error or "")

    @staticmethod
    async def _record(session: AsyncSession, message: Claimed, answer: RefundAnswer,
                      now: datetime) -> None:
        if message.appointment_id is not None:
            await save_refund(session, message.id, message.appointment_id, answer.amount,
                              answer.reference, answer.result, now)


@dataclass(frozen=True, slots=True)
class RefundAnswer:
    """One try at a refund: what was asked and what the provider said."""

    reference: str
    amount: Decimal
    result: RefundResult
    attempt: Attempt
