"""Cancelling the rest of a recurring series at the front desk: each occurrence the desk
confirmed is cancelled by the owner through `changes.cancel`, the one cancel every channel uses
(its fee and refund, the customer's message with the reason, the waitlist offered the freed
time).

One transaction per occurrence, not one for all: `changes.cancel` is a whole use case with its
own unit of work, and an occurrence changed meanwhile (the customer cancelled or moved it, a
second click got there first) is then left out and reported instead of undoing the others. A
request cut short leaves the rest booked; asking again cancels what is still booked, and a
repeat finds nothing left, so it does nothing more.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from scheduling.booking import changes
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, IllegalTransition
from scheduling.booking.results import CancelResult
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork


@dataclass(frozen=True, slots=True)
class SeriesCancelled:
    """What was cancelled, in the order asked, and the ids no longer booked when reached."""

    cancelled: tuple[CancelResult, ...]
    skipped: tuple[UUID, ...]


async def cancel_each(occurrences: Iterable[UUID], reason: str, account: str,
                      uow: BookingUnitOfWork, now: datetime) -> SeriesCancelled:
    """Cancel `occurrences` for the customer, each with `reason` (which the customer reads);
    `account`, the desk's, is named in each audit entry."""
    if not reason.strip():
        raise InvalidRequest("give the reason the customer will read", field="reason")
    cancelled, skipped = [], []
    for appointment_id in occurrences:
        try:
            cancelled.append(await changes.cancel(
                CancelAppointment(appointment_id, Actor.OWNER, reason, account), uow, now))
        except IllegalTransition:
            skipped.append(appointment_id)
    return SeriesCancelled(tuple(cancelled), tuple(skipped))
