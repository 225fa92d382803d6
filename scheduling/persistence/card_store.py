"""Cards saved to confirm a booking (no-show protection) as the use case's port: the unit of
work that records the card, confirms the booking and records the provider's event in one
transaction (`scheduling.booking.saved_cards.CardUnitOfWork`)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.fees import SavedCard
from scheduling.booking.model import Appointment
from scheduling.persistence.fee_tables import SavedCardRow
from scheduling.persistence.payment_store import PaymentUnitOfWork


class CardStore:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def save(self, appointment: Appointment, card: SavedCard, now: datetime) -> None:
        await self.session.execute(insert(SavedCardRow).values(
            appointment_id=appointment.id, customer_id=appointment.customer_id,
            provider_customer=card.customer, payment_method=card.payment_method,
            created_at=now).on_conflict_do_nothing(index_elements=["appointment_id"]))


class CardUnitOfWork(PaymentUnitOfWork):
    """The payments' unit of work with the saved cards in the same transaction."""

    cards: CardStore

    def _start(self) -> None:
        super()._start()
        self.cards = CardStore(self.session)
