"""Notify and rebook stranded appointments: each is cancelled by the owner, which offers the
customer new times (the owner_change message, whose link lets them pick one)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from scheduling.booking.changes import cancel
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, Appointment, IllegalTransition
from scheduling.ports import BookingUnitOfWork

REASON = "the business changed its hours; please pick a new time"


async def notify(appointments: Iterable[Appointment], uow: BookingUnitOfWork,
                 now: datetime) -> list[UUID]:
    """One transaction each, so one that changed meanwhile (cancelled or moved since the list
    was made) is skipped and does not hold back the others; returns the ids cancelled."""
    done = []
    for appointment in appointments:
        command = CancelAppointment(appointment.id, Actor.OWNER, REASON)
        try:
            result = await cancel(command, uow, now)
        except IllegalTransition:
            continue
        done.append(result.appointment.id)
    return done
