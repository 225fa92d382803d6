"""The day of the appointment: check-in, completion, and the periodic jobs that tidy up.

The jobs are plain service calls taking `now`; the scheduler that runs them every few minutes
is wired in the composition root.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from scheduling.booking import changes, fees, messages, waitlist
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, Appointment, AuditEntry, Status, transition
from scheduling.booking.results import BookingResult, SweepResult
from scheduling.booking.saved_cards import CARD_NOT_SAVED
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork

EARLIEST_CHECK_IN = timedelta(hours=1)
PAYMENT_NOT_RECEIVED = "payment not received"
DEPOSIT_AT_SALON = "deposit now paid at the salon"
NO_CARD_AT_SALON = "no card needed: payments now at the salon"


async def check_in(appointment_id: UUID, uow: BookingUnitOfWork, now: datetime) -> BookingResult:
    """Record arrival; from an hour before the start, for confirmed appointments only."""
    async with uow:
        current = await uow.appointments.get(appointment_id, lock=True)
        if current.status is not Status.CONFIRMED:
            raise InvalidRequest(f"a {current.status} appointment cannot be checked in")
        if now < current.start - EARLIEST_CHECK_IN or current.checked_in_at is not None:
            raise InvalidRequest("check-in opens an hour before the start, once")
        done = replace(current, checked_in_at=now, updated_at=now)
        entry = AuditEntry(done.id, now, Actor.OWNER, current.status.value,
                           done.status.value, "checked in")
        await _save(uow, done, entry)
        await uow.commit()
    return BookingResult(done)


async def close_past(uow: BookingUnitOfWork, now: datetime) -> SweepResult:
    """Periodic job: confirmed appointments past their end plus the business's grace period
    become completed when checked in, no-shows otherwise; each no-show gets a "we missed you"
    message (with the business's no-show fee, if it charges one)."""
    async with uow:
        repo = uow.appointments
        due = await repo.ended_confirmed(now)
        catalogs = _Catalogs(uow)
        grace: dict[UUID, timedelta] = {}
        no_show: list[UUID] = []
        completed: list[UUID] = []
        for current in due:
            if current.business_id not in grace:
                grace[current.business_id] = (await repo.rules(current.business_id)).no_show_grace
            if current.end + grace[current.business_id] > now:
                continue
            catalog = await catalogs.get(current.business_id)
            done = await _close(uow, catalog, current, now)
            (completed if done.status is Status.COMPLETED else no_show).append(done.id)
        await uow.commit()
    return SweepResult(no_show=tuple(no_show), completed=tuple(completed))


async def _close(
    uow: BookingUnitOfWork, catalog: Catalog, current: Appointment, now: datetime
) -> Appointment:
    arrived = current.checked_in_at is not None
    to = Status.COMPLETED if arrived else Status.NO_SHOW
    reason = "checked in, past its end" if arrived else "not checked in by the end of grace"
    done, entry = transition(current, to, now=now, actor=Actor.SYSTEM, reason=reason)
    await _save(uow, done, entry, catalog)
    if not arrived:
        await uow.outbox.add(messages.no_show(done, catalog, now), now)
        await fees.queue(uow, done, catalog, now)
    return done


async def release_expired_holds(uow: BookingUnitOfWork, now: datetime) -> int:
    """Periodic job: delete holds past their expiry (booking already ignores them)."""
    async with uow:
        count = await uow.appointments.purge_expired_holds(now)
        await uow.commit()
    return count


async def expire_unpaid(uow: BookingUnitOfWork, now: datetime) -> SweepResult:
    """Periodic job: a pending booking whose deposit has not arrived within the business's
    payment window is cancelled by the system ("payment not received"), freeing the slot (and
    offering it to the waitlist); the customer is told through the usual cancellation message.

    A business taking deposits at the salon (`BookingRules.deposits_online` off) never has
    a booking cancelled for non-payment: one left waiting to pay online when the owner
    switched to the salon is confirmed with the deposit owed there, and the customer gets
    its confirmation. Rows are locked with SKIP LOCKED and re-checked under the lock, so a
    payment confirmed meanwhile wins, and a confirmation arriving after the sweep finds a
    cancelled booking.
    """
    async with uow:
        catalogs = _Catalogs(uow)
        expired, at_salon = [], []
        for current in await uow.appointments.unpaid_past_window(now):
            rules = await uow.appointments.rules(current.business_id)
            catalog = await catalogs.get(current.business_id)
            if not rules.deposits_online:
                if not rules.require_approval:  # else pending for approval, not unpaid
                    await _owed_at_salon(uow, catalog, current, now)
                    at_salon.append(current.id)
                continue
            why = CARD_NOT_SAVED if messages.card_to_save(current) else PAYMENT_NOT_RECEIVED
            cmd = CancelAppointment(current.id, Actor.SYSTEM, why)
            await changes.cancel_in(uow, catalog, current, cmd, now)
            await waitlist.offer_freed(uow, catalog, current, now)
            expired.append(current.id)
        await uow.commit()
    return SweepResult(expired=tuple(expired), at_salon=tuple(at_salon))


async def _owed_at_salon(
    uow: BookingUnitOfWork, catalog: Catalog, current: Appointment, now: datetime
) -> None:
    why = NO_CARD_AT_SALON if messages.card_to_save(current) else DEPOSIT_AT_SALON
    done, entry = transition(current, Status.CONFIRMED, now=now, actor=Actor.SYSTEM,
                             reason=why)
    await _save(uow, done, entry, catalog)
    await uow.outbox.cancel_pending(done.id, ("pending_payment",))
    await uow.outbox.add(messages.confirmed(done, catalog, now), now)


class _Catalogs:
    """Each business's catalog loaded once per sweep."""

    def __init__(self, uow: BookingUnitOfWork) -> None:
        self.uow = uow
        self.loaded: dict[UUID, Catalog] = {}

    async def get(self, business_id: UUID) -> Catalog:
        if business_id not in self.loaded:
            self.loaded[business_id] = await self.uow.catalog.get(business_id)
        return self.loaded[business_id]


async def _save(
    uow: BookingUnitOfWork, done: Appointment, entry: AuditEntry, catalog: Catalog | None = None
) -> None:
    catalog = catalog or await uow.catalog.get(done.business_id)
    await uow.appointments.update(done, catalog.service(done.service_id).capacity)
    await uow.appointments.record([entry])
