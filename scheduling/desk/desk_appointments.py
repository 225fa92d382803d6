"""The front desk's own verbs on one appointment: when check-in, completion and no-show make
sense, marking an appointment completed or a no-show by hand, and what cancelling it for the
customer would cost, stated before the owner confirms.

Cancel and reschedule themselves are `scheduling.booking.changes` (the owner is an actor
there); check-in is `scheduling.booking.attendance`, which refuses an early one; this module
adds the other end of the window, so a button the page shows is one the use case accepts.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from scheduling.booking import attendance, fees, messages
from scheduling.booking.model import Actor, Appointment, Status, transition
from scheduling.booking.policies import CancelDecision, cancel_decision, may_change
from scheduling.booking.results import BookingResult
from scheduling.catalog import Catalog
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork


def check_in_open(appointment: Appointment, now: datetime) -> bool:
    """From an hour before the start until the end, once, for a confirmed appointment: the
    button is not shown weeks ahead, nor for a visit already over (mark it instead)."""
    opens = appointment.start - attendance.EARLIEST_CHECK_IN
    return (appointment.status is Status.CONFIRMED and appointment.checked_in_at is None
            and opens <= now < appointment.end)


def may_mark(appointment: Appointment, now: datetime) -> bool:
    """Completed or no-show may be marked by hand once a confirmed appointment has started
    (the periodic job does it anyway after the end plus the grace period)."""
    return appointment.status is Status.CONFIRMED and now >= appointment.start


def may_mark_no_show(appointment: Appointment, now: datetime) -> bool:
    """A customer who checked in came: such an appointment is completed, never a no-show."""
    return may_mark(appointment, now) and appointment.checked_in_at is None


def cancel_terms(appointment: Appointment, catalog: Catalog, now: datetime) -> CancelDecision:
    """What `changes.cancel` by the owner will decide: the fee (none: the owner always may
    cancel for free) and the refund of a deposit paid, to state before confirming."""
    policy = catalog.cancellation_policy(catalog.service(appointment.service_id))
    return cancel_decision(appointment, may_change(appointment, policy, Actor.OWNER, now,
                                                   "cancel"), policy)


async def check_in(appointment_id: UUID, uow: BookingUnitOfWork, now: datetime
                   ) -> BookingResult:
    """`attendance.check_in`, refused once the appointment has ended."""
    async with uow:
        current = await uow.appointments.get(appointment_id)
    if now >= current.end:
        raise InvalidRequest("check-in closes when the appointment ends; mark it completed "
                             "or a no-show instead")
    return await attendance.check_in(appointment_id, uow, now)


async def mark_completed(appointment_id: UUID, by: str, uow: BookingUnitOfWork,
                         now: datetime) -> Appointment:
    """The visit took place (`by`, the desk account, is named in the audit trail)."""
    return await _mark(appointment_id, Status.COMPLETED, by, uow, now)


async def mark_no_show(appointment_id: UUID, by: str, uow: BookingUnitOfWork,
                       now: datetime) -> Appointment:
    """The customer did not come: the same "we missed you" message (with the business's
    no-show fee, if any) the periodic job sends is queued for them."""
    return await _mark(appointment_id, Status.NO_SHOW, by, uow, now)


async def _mark(appointment_id: UUID, to: Status, by: str, uow: BookingUnitOfWork,
                now: datetime) -> Appointment:
    async with uow:
        current = await uow.appointments.get(appointment_id, lock=True)
        allowed = may_mark_no_show if to is Status.NO_SHOW else may_mark
        if current.status is Status.CONFIRMED and not allowed(current, now):
            raise InvalidRequest(_too_soon(current, to))
        words = "completed" if to is Status.COMPLETED else "a no-show"
        done, entry = transition(current, to, now=now, actor=Actor.OWNER,
                                 reason=f"marked {words} by {by}")
        catalog = await uow.catalog.get(done.business_id)
        await uow.appointments.update(done, catalog.service(done.service_id).capacity)
        await uow.appointments.record([entry])
        if to is Status.NO_SHOW:
            await uow.outbox.add(messages.no_show(done, catalog, now), now)
            await fees.queue(uow, done, catalog, now)
        await uow.commit()
    return done


def _too_soon(current: Appointment, to: Status) -> str:
    if to is Status.NO_SHOW and current.checked_in_at is not None:
        return "the customer checked in: mark the appointment completed instead"
    return "an appointment can be marked only once it has started"
