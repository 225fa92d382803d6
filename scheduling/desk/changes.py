"""What a change would cost, told before the customer confirms it.

The same policy functions the booking services apply decide here, so the fee the assistant
states is the fee `cancel` charges; an appointment of another customer is simply not found.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from scheduling.booking.model import Actor, Appointment
from scheduling.booking.policies import CancelOutcome, cancel_decision, may_change
from scheduling.desk.customers import holds
from scheduling.errors import NotFound
from scheduling.ports import DeskUnitOfWork


@dataclass(frozen=True, slots=True)
class ChangeTerms:
    appointment: Appointment
    outcome: CancelOutcome
    fee: Decimal
    free_cancellation_hours: int


async def terms(
    uow: DeskUnitOfWork, appointment_id: UUID, customer_id: UUID, verb: str, now: datetime
) -> ChangeTerms:
    """Terms for `verb` ("cancel" or "reschedule") now; `PolicyViolation` when not allowed."""
    async with uow:
        appointment = await uow.appointments.get(appointment_id)
        if not holds(await uow.catalog.get_customer(customer_id), appointment):
            raise NotFound("appointment", appointment_id)
        catalog = await uow.catalog.get(appointment.business_id)
    policy = catalog.cancellation_policy(catalog.service(appointment.service_id))
    outcome = may_change(appointment, policy, Actor.CUSTOMER, now, verb)
    fee = cancel_decision(appointment, outcome, policy).fee
    return ChangeTerms(appointment, outcome, fee, policy.free_cancellation_hours)
