"""Cancelling and moving appointments, under the cancellation policy, and the customer's yes
to a change the owner made.

A move is one transaction: the old appointment stops occupying its slot, the new one is placed
and inserted, and the two are linked; if the new slot cannot be had the transaction rolls back
and the old appointment stands untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID, uuid4

from scheduling.booking import fees, messages, waitlist
from scheduling.booking.commands import (
    CancelAppointment,
    RescheduleAppointment,
    SlotChoice,
)
from scheduling.booking.model import (
    Actor,
    Appointment,
    AuditEntry,
    Cancellation,
    Status,
    transition,
)
from scheduling.booking.policies import cancel_decision, may_change
from scheduling.booking.results import CancelResult, RescheduleResult
from scheduling.booking.services import check_hold, reminders, secure, store
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork

CHANGE_ACCEPTED = "the customer accepted the business's change"


async def cancel(cmd: CancelAppointment, uow: BookingUnitOfWork, now: datetime) -> CancelResult:
    """Free window: cancelled and refunded; notice window: refused, or a late cancel with its
    fee; the owner always may, and the customer is then offered new times."""
    async with uow:
        current = await uow.appointments.get(cmd.appointment_id, lock=True)
        catalog = await uow.catalog.get(current.business_id)
        done = await cancel_in(uow, catalog, current, cmd, now)
        offer = await waitlist.offer_freed(uow, catalog, current, now)
        await uow.commit()
    cancellation = done.cancellation or Cancellation(cmd.by, cmd.reason)
    return CancelResult(done, cancellation.fee, cancellation.refund,
                        cmd.by is Actor.OWNER, offer)


async def cancel_in(
    uow: BookingUnitOfWork, catalog: Catalog, current: Appointment, cmd: CancelAppointment,
    now: datetime,
) -> Appointment:
    """Cancel inside the caller's transaction (the unpaid-booking sweep cancels many)."""
    policy = catalog.cancellation_policy(catalog.service(current.service_id))
    outcome = may_change(current, policy, cmd.by, now, "cancel")
    decision = cancel_decision(current, outcome, policy)
    record = Cancellation(cmd.by, cmd.reason, decision.fee, decision.refund, now)
    payment = replace(current.payment, status=decision.payment_status)
    done, entry = transition(current, decision.status, now=now, actor=cmd.by,
                             reason=cmd.reason or outcome.value, cancellation=record,
                             payment=payment)
    await _free(uow, catalog, current)
    await _save(uow, catalog, done, [_signed(entry, cmd.account)])
    await uow.outbox.add(messages.cancelled(done, catalog, now, cmd.by is Actor.OWNER), now)
    await fees.queue(uow, done, catalog, now)
    return done


async def reschedule(
    cmd: RescheduleAppointment, uow: BookingUnitOfWork, now: datetime
) -> RescheduleResult:
    """Move under the same policy; the old slot is freed only with the new one secured."""
    async with uow:
        repo = uow.appointments
        old = await repo.get(cmd.appointment_id, lock=True)
        catalog = await uow.catalog.get(old.business_id)
        policy = catalog.cancellation_policy(catalog.service(old.service_id))
        may_change(old, policy, cmd.by, now, "reschedule")
        moved, entry = transition(old, Status.RESCHEDULED, now=now, actor=cmd.by,
                                  reason=cmd.reason or "rescheduled")
        await _free(uow, catalog, old)
        await _save(uow, catalog, moved, [_signed(entry, cmd.account)])
        new = await _place_new(uow, catalog, old, cmd, now)
        moved = replace(moved, rescheduled_to=new.id)
        await _save(uow, catalog, moved, [])
        online = (await repo.rules(old.business_id)).deposits_online
        news = messages.rescheduled(old, new, catalog, now, online)
        await uow.outbox.add(news + await reminders(repo, new, catalog, now), now)
        offer = await waitlist.offer_freed(uow, catalog, old, now)
        await uow.commit()
    return RescheduleResult(moved, new, offer)


async def accept_change(appointment_id: UUID, uow: BookingUnitOfWork, now: datetime) -> bool:
    """The customer's yes to what the owner did (cancelled the appointment, or moved it to
    this one): an audit entry the owner sees, written once; True when this call wrote it."""
    async with uow:
        current = await uow.appointments.get(appointment_id, lock=True)
        history = await uow.appointments.history(current.id)
        if not changed_by_owner(current, history):
            raise InvalidRequest("the business has not changed this appointment",
                                 field="appointment")
        if change_accepted(history) is not None:
            return False
        status = current.status.value
        await uow.appointments.record([AuditEntry(current.id, now, Actor.CUSTOMER, status,
                                                  status, CHANGE_ACCEPTED)])
        await uow.commit()
    return True


def changed_by_owner(appointment: Appointment, history: Sequence[AuditEntry]) -> bool:
    """Cancelled by the owner, or the new time of a move the owner made (its first entry)."""
    if appointment.cancellation is not None:
        return appointment.cancellation.by is Actor.OWNER
    moved_here = appointment.rescheduled_from is not None and bool(history)
    return moved_here and history[0].actor is Actor.OWNER


def change_accepted(history: Sequence[AuditEntry]) -> datetime | None:
    """When the customer accepted the owner's change, if they have."""
    return next((e.at for e in history if e.reason == CHANGE_ACCEPTED), None)


async def _place_new(
    uow: BookingUnitOfWork, catalog: Catalog, old: Appointment, cmd: RescheduleAppointment,
    now: datetime,
) -> Appointment:
    repo = uow.appointments
    choice = SlotChoice(old.business_id, old.service_id, cmd.start,
                        cmd.staff_id or old.staff_id, old.location_id)
    held = None
    if cmd.hold_id is not None:
        held = check_hold(await repo.get(cmd.hold_id, lock=True), choice, old.customer_id, now)
    placement = await secure(repo, catalog, choice, old.seats, now, held, (old.id,),
                             customer_id=old.customer_id)
    new = replace(
        old, id=held.id if held else uuid4(), staff_id=placement.staff_id,
        location_id=placement.location_id, start=placement.start, end=placement.end,
        idempotency_key=None, hold_expires_at=None, rescheduled_from=old.id,
        rescheduled_to=None, created_at=now, updated_at=now, checked_in_at=None,
    )
    await store(repo, catalog, choice, new, now, held)
    entry = AuditEntry(new.id, now, cmd.by, Status.HELD.value if held else None,
                       new.status.value, f"rescheduled from {old.id}")
    await repo.record([_signed(entry, cmd.account)])
    await uow.outbox.cancel_pending(old.id, messages.REMINDER_KINDS)
    return new


def _signed(entry: AuditEntry, account: str) -> AuditEntry:
    """The entry naming the desk account that made the change (as a payment marked at the
    desk does, in `data["by"]`); unchanged for a change no account made."""
    return replace(entry, data={"by": account}) if account else entry


async def _free(uow: BookingUnitOfWork, catalog: Catalog, appointment: Appointment) -> None:
    """Give back group seats and withdraw reminders of an appointment leaving its slot."""
    capacity = catalog.service(appointment.service_id).capacity
    if capacity > 1:
        await uow.appointments.release_seats(appointment, capacity)
    await uow.outbox.cancel_pending(appointment.id, messages.REMINDER_KINDS)


async def _save(
    uow: BookingUnitOfWork, catalog: Catalog, appointment: Appointment, audit: list[AuditEntry]
) -> None:
    capacity = catalog.service(appointment.service_id).capacity
    await uow.appointments.update(appointment, capacity)
    await uow.appointments.record(audit)
