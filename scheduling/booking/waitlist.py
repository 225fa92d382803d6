"""The waitlist: customers waiting for a service at certain times, offered freed slots in turn.

When a matching slot frees up (a cancel, a move), the longest-waiting matching entry is offered
it: the slot is held for that customer for the claim window (two hours unless the business set
another), so nobody else can take it meanwhile. Claiming books it; an offer left unclaimed
expires, its hold is released, and the slot goes to the next entry. Every step is an audit row.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID, uuid4

from scheduling.booking import messages
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.messages import OutboxMessage
from scheduling.booking.model import Actor, Appointment, AuditEntry, Channel, Status
from scheduling.booking.results import BookingResult
from scheduling.booking.services import book_in, draft, secure, store
from scheduling.booking.values import Offer, WaitlistEntry
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest, SlotUnavailable
from scheduling.hours import require_range
from scheduling.ports import BookingUnitOfWork


@dataclass(frozen=True, slots=True)
class JoinWaitlist:
    business_id: UUID
    customer_id: UUID
    service_id: UUID
    windows: tuple[tuple[datetime, datetime], ...]
    staff_id: UUID | None = None

    def __post_init__(self) -> None:
        if not self.windows:
            raise InvalidRequest("say when you could come", field="windows")
        for start, end in self.windows:
            require_range(start, end)


def _event(subject_id: UUID, now: datetime, old: str | None, new: str, why: str) -> AuditEntry:
    return AuditEntry(subject_id, now, Actor.SYSTEM if old else Actor.CUSTOMER, old, new, why,
                      subject="waitlist")


async def join(cmd: JoinWaitlist, uow: BookingUnitOfWork, now: datetime) -> WaitlistEntry:
    async with uow:
        catalog = await uow.catalog.get(cmd.business_id)
        catalog.service(cmd.service_id)
        entry = WaitlistEntry(uuid4(), cmd.business_id, cmd.customer_id, cmd.service_id,
                              cmd.staff_id, cmd.windows, "waiting", now)
        await uow.waitlist.add(entry)
        await uow.appointments.record([_event(entry.id, now, None, "waiting", "joined")])
        await uow.commit()
    return entry


async def offer_freed(
    uow: BookingUnitOfWork, catalog: Catalog, freed: Appointment, now: datetime
) -> UUID | None:
    """Offer the slot `freed` left to the first matching entry; None when nobody fits it."""
    entries = await uow.waitlist.waiting(freed.service_id, freed.staff_id, freed.start)
    for entry in entries:
        offer = await _offer(uow, catalog, entry, freed, now)
        if offer is not None:
            return offer
    return None


async def _offer(
    uow: BookingUnitOfWork, catalog: Catalog, entry: WaitlistEntry, freed: Appointment,
    now: datetime,
) -> UUID | None:
    """Hold the slot for the entry's customer; None when it is no longer bookable."""
    repo = uow.appointments
    rules = await repo.rules(entry.business_id)
    choice = SlotChoice(entry.business_id, entry.service_id, freed.start, freed.staff_id,
                        freed.location_id)
    try:
        placement = await secure(repo, catalog, choice, 1, now, customer_id=entry.customer_id)
        held = replace(draft(placement, catalog, entry.customer_id, None, now),
                       status=Status.HELD, hold_expires_at=now + rules.claim_window)
        await store(repo, catalog, choice, held, now)
    except SlotUnavailable:
        return None
    offer = Offer(uuid4(), entry.id, held.id, held.staff_id, held.start, now,
                  now + rules.claim_window, "offered")
    await uow.waitlist.add_offer(offer)
    await uow.waitlist.set_entry(entry.id, "offered", now)
    await repo.record([_event(entry.id, now, "waiting", "offered", f"offer {offer.id}")])
    payload = messages.describe(held, catalog) | {
        "offer_id": str(offer.id), "expires_at": offer.expires_at.isoformat(),
        "customer_id": str(entry.customer_id),
    }
    message = OutboxMessage("waitlist_offer", f"waitlist_offer:{offer.id}", now, payload, held.id)
    await uow.outbox.add([message], now)
    return offer.id


async def claim(
    offer_id: UUID, idempotency_key: str, uow: BookingUnitOfWork, now: datetime,
    channel: Channel = Channel.SMS,
) -> BookingResult:
    """Book the held slot of an open offer for its customer."""
    async with uow:
        offer = await uow.waitlist.offer(offer_id, lock=True)
        entry = await uow.waitlist.entry(offer.entry_id)
        if offer.status != "offered" or offer.expires_at <= now or offer.hold_id is None:
            raise SlotUnavailable("this offer has expired")
        slot = SlotChoice(entry.business_id, entry.service_id, offer.start, offer.staff_id)
        cmd = BookAppointment(slot, entry.customer_id, idempotency_key, channel=channel,
                              hold_id=offer.hold_id)
        result = await book_in(uow, cmd, now)
        await uow.waitlist.set_offer(offer.id, "claimed")
        await uow.waitlist.set_entry(entry.id, "claimed", now)
        await uow.appointments.record([_event(entry.id, now, "offered", "claimed", "claimed")])
        await uow.commit()
    return result


async def expire_offers(uow: BookingUnitOfWork, now: datetime) -> tuple[UUID, ...]:
    """Periodic job: end unclaimed offers, release their holds, offer the slots onwards."""
    async with uow:
        expired = []
        for offer in await uow.waitlist.due_offers(now):
            await _expire(uow, offer, now)
            expired.append(offer.id)
        await uow.commit()
    return tuple(expired)


async def _expire(uow: BookingUnitOfWork, offer: Offer, now: datetime) -> None:
    repo = uow.appointments
    await uow.waitlist.set_offer(offer.id, "expired")
    await uow.waitlist.set_entry(offer.entry_id, "waiting", now)
    await repo.record([_event(offer.entry_id, now, "offered", "waiting", "offer expired")])
    if offer.hold_id is None:
        return
    held = await repo.get(offer.hold_id)
    await repo.delete(held.id)
    if held.status is Status.HELD:
        catalog = await uow.catalog.get(held.business_id)
        await offer_freed(uow, catalog, held, now)
