"""Where an appointment stands as its page opens: read once, then judged by the same policy
code the use cases run (`booking.policies`), so the page never offers what the use case would
refuse, and states the fee the cancel would charge.

An owner's cancellation is answered with a new booking, not a move (a cancelled appointment
cannot be moved); its idempotency key names the cancelled one, so it is made at most once and
the page finds it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from assistant.gateway.appointment_pages.problems import sentence
from scheduling.booking.changes import change_accepted, changed_by_owner
from scheduling.booking.model import BOOKED, Actor, Appointment, AuditEntry, Status
from scheduling.booking.policies import cancel_decision, may_change
from scheduling.catalog import Catalog
from scheduling.errors import PolicyViolation
from scheduling.ports import BookingUnitOfWork


def rebooking_key(cancelled: UUID) -> str:
    return f"rebook:{cancelled}"


@dataclass(frozen=True, slots=True)
class Terms:
    """Whether the customer may cancel or move now; the fee and refund a cancel would bring,
    or the policy's reason why not."""

    allowed: bool
    fee: Decimal = Decimal("0")
    refund: Decimal = Decimal("0")
    refused: str = ""


@dataclass(frozen=True, slots=True)
class Standing:
    catalog: Catalog
    appointment: Appointment
    history: tuple[AuditEntry, ...]
    successor: Appointment | None
    """The new appointment: where a move went, or the rebooking of an owner's cancellation."""
    now: datetime

    @property
    def state(self) -> str:
        """One word the page is chosen by: upcoming, now, past, no_show, cancelled, moved,
        held."""
        status, appointment = self.appointment.status, self.appointment
        named = {Status.RESCHEDULED: "moved", Status.CANCELLED: "cancelled",
                 Status.LATE_CANCEL: "cancelled", Status.NO_SHOW: "no_show",
                 Status.COMPLETED: "past", Status.HELD: "held"}
        if status in named:
            return named[status]
        if appointment.end <= self.now:
            return "past"
        return "now" if appointment.start <= self.now else "upcoming"

    @property
    def by_owner(self) -> bool:
        return changed_by_owner(self.appointment, self.history)

    @property
    def accepted_at(self) -> datetime | None:
        return change_accepted(self.history)

    @property
    def rebookable(self) -> bool:
        """An owner's cancellation the customer has not yet answered with a new time."""
        return self.state == "cancelled" and self.by_owner and self.successor is None and (
            self.appointment.customer_id is not None)

    def terms(self, verb: str) -> Terms:
        """`verb` "cancel" or "reschedule", for the customer, now."""
        appointment = self.appointment
        if appointment.status not in BOOKED or appointment.start <= self.now:
            return Terms(False, refused="This appointment can no longer be changed.")
        policy = self.catalog.cancellation_policy(self.catalog.service(appointment.service_id))
        try:
            outcome = may_change(appointment, policy, Actor.CUSTOMER, self.now, verb)
        except PolicyViolation as refusal:
            return Terms(False, refused=sentence(str(refusal)))
        decision = cancel_decision(appointment, outcome, policy)
        return Terms(True, decision.fee, decision.refund)


async def standing(uow: BookingUnitOfWork, appointment_id: UUID, now: datetime) -> Standing:
    """The appointment, its catalog, its audit trail and its successor, in one unit of work."""
    async with uow:
        appointment = await uow.appointments.get(appointment_id)
        catalog = await uow.catalog.get(appointment.business_id)
        history = tuple(await uow.appointments.history(appointment.id))
        successor = None
        if appointment.rescheduled_to is not None:
            successor = await uow.appointments.get(appointment.rescheduled_to)
        elif appointment.status is Status.CANCELLED:
            successor = await uow.appointments.by_key(appointment.business_id,
                                                      rebooking_key(appointment.id))
    return Standing(catalog, appointment, history, successor, now)
