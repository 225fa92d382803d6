"""Reads the front desk needs (a customer by e-mail, upcoming visits, open waitlist offers)
and the one-time codes; adds and flushes on the caller's session, never commits."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.model import BOOKED, Appointment, Contact
from scheduling.booking.values import Offer
from scheduling.desk.codes import VerificationCode
from scheduling.persistence import booking_codec
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.desk_tables import VerificationCodeRow
from scheduling.persistence.waitlist_tables import WaitlistEntryRow, WaitlistOfferRow


class DeskRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def lock_contact(self, business_id: UUID, contact: Contact) -> None:
        """A transaction-scoped advisory lock per phone and e-mail, taken in sorted order so
        two transactions locking the same pair cannot deadlock."""
        keys = sorted(f"customer:{business_id}:{value.lower()}"
                      for value in (contact.phone, contact.email) if value)
        for key in keys:
            await self.session.execute(select(func.pg_advisory_xact_lock(
                func.hashtextextended(key, 0))))

    async def customer_id_by_phone(self, business_id: UUID, phone: str) -> UUID | None:
        return await self.session.scalar(
            select(CustomerRow.id)
            .where(CustomerRow.business_id == business_id, CustomerRow.phone == phone)
        )

    async def customer_id_by_email(self, business_id: UUID, email: str) -> UUID | None:
        return await self.session.scalar(
            select(CustomerRow.id)
            .where(CustomerRow.business_id == business_id,
                   func.lower(CustomerRow.email) == email.lower())
            .order_by(CustomerRow.created_at)
            .limit(1)
        )

    async def business_of(self, customer_id: UUID) -> UUID | None:
        return await self.session.scalar(
            select(CustomerRow.business_id).where(CustomerRow.id == customer_id))

    async def upcoming_by_contact(
        self, customer_id: UUID, phone: str | None, email: str | None, now: datetime
    ) -> list[Appointment]:
        """Booked appointments not yet ended, in the customer's business, that were booked with
        this phone or e-mail (whichever profile they were booked on)."""
        business = select(CustomerRow.business_id).where(CustomerRow.id == customer_id)
        reached = [AppointmentRow.contact_phone == phone] if phone else []
        if email:
            reached.append(func.lower(AppointmentRow.contact_email) == email.lower())
        rows = await self.session.scalars(
            select(AppointmentRow)
            .where(AppointmentRow.business_id == business.scalar_subquery(), or_(*reached),
                   AppointmentRow.ends_at > now,
                   AppointmentRow.status.in_([s.value for s in BOOKED]))
            .order_by(AppointmentRow.starts_at)
        )
        return [booking_codec.appointment(row) for row in rows]

    async def history(self, customer_id: UUID) -> list[Appointment]:
        """Every appointment the customer kept or still has: what their habits are read from."""
        rows = await self.session.scalars(
            select(AppointmentRow)
            .where(AppointmentRow.customer_id == customer_id,
                   AppointmentRow.status.in_(["completed", *(s.value for s in BOOKED)]))
            .order_by(AppointmentRow.starts_at.desc())
            .limit(50)
        )
        return [booking_codec.appointment(row) for row in rows]

    async def open_offers(self, customer_id: UUID, now: datetime) -> list[Offer]:
        rows = await self.session.execute(
            select(WaitlistOfferRow)
            .join(WaitlistEntryRow, WaitlistEntryRow.id == WaitlistOfferRow.entry_id)
            .where(WaitlistEntryRow.customer_id == customer_id,
                   WaitlistOfferRow.status == "offered", WaitlistOfferRow.expires_at > now)
            .order_by(WaitlistOfferRow.starts_at)
        )
        return [
            Offer(r.id, r.entry_id, r.hold_id, r.staff_id, r.starts_at, r.offered_at,
                  r.expires_at, r.status)
            for r in rows.scalars()
        ]

    async def add_code(self, code: VerificationCode) -> None:
        await self.session.execute(insert(VerificationCodeRow).values(
            id=code.id, customer_id=code.customer_id, code_hash=code.code_hash,
            sent_to=code.sent_to, attempts=code.attempts, created_at=code.created_at,
            expires_at=code.expires_at, used_at=code.used_at,
        ))

    async def latest_code(self, customer_id: UUID) -> VerificationCode | None:
        """The newest code, used or not: a new code supersedes every older one."""
        row = await self.session.scalar(
            select(VerificationCodeRow)
            .where(VerificationCodeRow.customer_id == customer_id)
            .order_by(VerificationCodeRow.created_at.desc())
            .limit(1)
            .with_for_update()
        )
        if row is None:
            return None
        return VerificationCode(row.id, row.customer_id, row.code_hash, row.sent_to,
                                row.attempts, row.created_at, row.expires_at, row.used_at)

    async def mark_code(self, code_id: UUID, *, attempts: int, used_at: datetime | None) -> None:
        await self.session.execute(
            update(VerificationCodeRow).where(VerificationCodeRow.id == code_id)
            .values(attempts=attempts, used_at=used_at)
        )
