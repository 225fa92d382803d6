"""Waitlist entries and offers, read and written as the domain's values; never commits."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from sqlalchemy import exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.values import Offer, WaitlistEntry
from scheduling.errors import NotFound
from scheduling.persistence.waitlist_tables import WaitlistEntryRow, WaitlistOfferRow


class WaitlistRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, entry: WaitlistEntry) -> None:
        windows = [[low.isoformat(), high.isoformat()] for low, high in entry.windows]
        await self.session.execute(insert(WaitlistEntryRow).values(
            id=entry.id, business_id=entry.business_id, customer_id=entry.customer_id,
            service_id=entry.service_id, staff_id=entry.staff_id, windows=windows,
            status=entry.status, created_at=entry.created_at, updated_at=entry.created_at,
        ))

    async def entry(self, entry_id: UUID) -> WaitlistEntry:
        row = await self.session.get(WaitlistEntryRow, entry_id)
        if row is None:
            raise NotFound("waitlist entry", entry_id)
        return _entry(row)

    async def waiting(
        self, service_id: UUID, staff_id: UUID, start: datetime
    ) -> list[WaitlistEntry]:
        """Entries that want this slot and were not offered it before, longest-waiting first."""
        offered_before = exists().where(
            WaitlistOfferRow.entry_id == WaitlistEntryRow.id,
            WaitlistOfferRow.staff_id == staff_id, WaitlistOfferRow.starts_at == start,
        )
        rows = await self.session.scalars(
            select(WaitlistEntryRow)
            .where(WaitlistEntryRow.service_id == service_id,
                   WaitlistEntryRow.status == "waiting",
                   (WaitlistEntryRow.staff_id.is_(None)) | (WaitlistEntryRow.staff_id == staff_id),
                   ~offered_before)
            .order_by(WaitlistEntryRow.created_at, WaitlistEntryRow.id)
            .with_for_update(skip_locked=True)
        )
        return [entry for entry in map(_entry, rows) if entry.wants(start)]

    async def set_entry(self, entry_id: UUID, status: str, now: datetime) -> None:
        await self.session.execute(
            update(WaitlistEntryRow).where(WaitlistEntryRow.id == entry_id)
            .values(status=status, updated_at=now)
        )

    async def add_offer(self, offer: Offer) -> None:
        await self.session.execute(insert(WaitlistOfferRow).values(
            id=offer.id, entry_id=offer.entry_id, hold_id=offer.hold_id, staff_id=offer.staff_id,
            starts_at=offer.start, offered_at=offer.offered_at, expires_at=offer.expires_at,
            status=offer.status, data={},
        ))

    async def offer(self, offer_id: UUID, *, lock: bool = False) -> Offer:
        query = select(WaitlistOfferRow).where(WaitlistOfferRow.id == offer_id)
        row = await self.session.scalar(query.with_for_update() if lock else query)
        if row is None:
            raise NotFound("waitlist offer", offer_id)
        return _offer(row)

    async def set_offer(self, offer_id: UUID, status: str) -> None:
        await self.session.execute(
            update(WaitlistOfferRow).where(WaitlistOfferRow.id == offer_id).values(status=status)
        )

    async def due_offers(self, now: datetime) -> list[Offer]:
        rows = await self.session.scalars(
            select(WaitlistOfferRow)
            .where(WaitlistOfferRow.status == "offered", WaitlistOfferRow.expires_at <= now)
            .order_by(WaitlistOfferRow.expires_at)
            .with_for_update(skip_locked=True)
        )
        return [_offer(row) for row in rows]


def _entry(row: WaitlistEntryRow) -> WaitlistEntry:
    windows = tuple(
        (datetime.fromisoformat(low), datetime.fromisoformat(high)) for low, high in row.windows
    )
    return WaitlistEntry(row.id, row.business_id, row.customer_id, row.service_id, row.staff_id,
                         windows, row.status, row.created_at)


def _offer(row: WaitlistOfferRow) -> Offer:
    return Offer(row.id, row.entry_id, row.hold_id, row.staff_id, row.starts_at, row.offered_at,
                 row.expires_at, row.status)
