"""The front desk's use cases on a customer record: the desk's notes, the preferences that are
facts the owner may set (preferred staff, days, times, language, channels), export of
everything held about them, and erasure of their personal data.

Erasure (the "right to be forgotten") is one transaction under the customer's row lock:
their waitlist entries go first (so a freed slot is not offered back to them), then, if the
owner chose to, their upcoming appointments are cancelled by the owner, as the desk cancels
(group seats released, reminders withdrawn, the slot offered to the waitlist), then
`records.erase` removes their personal data (`scheduling.persistence.erasure` says what goes
and what stays), and one audit entry records who erased them and when. Erasing again does
nothing and says so. Without the owner's choice, a customer with upcoming appointments is not
erased: the owner must know those visits will not happen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from scheduling.booking import waitlist
from scheduling.booking.changes import cancel_in
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, AuditEntry
from scheduling.catalog import CustomerPreferences, NotificationPreferences
from scheduling.desk.customer_values import Erasure
from scheduling.errors import InvalidRequest, NotFound
from scheduling.ports import DeskUnitOfWork

ERASE_REASON = "the customer's personal data was erased"
NOTES_LIMIT = 5000


@dataclass(frozen=True, slots=True)
class RecordState:
    """What the desk's writes check under the row lock."""

    business_id: UUID
    notes: str
    preferences: CustomerPreferences
    notifications: NotificationPreferences
    erased_at: datetime | None


class CustomerRecordsPort(Protocol):
    async def lock(self, customer_id: UUID) -> RecordState | None: ...

    async def set_notes(self, customer_id: UUID, notes: str, now: datetime) -> None: ...

    async def set_preferences(self, customer_id: UUID, preferences: CustomerPreferences,
                              notifications: NotificationPreferences) -> None: ...

    async def upcoming(self, customer_id: UUID, now: datetime) -> list[UUID]: ...

    async def leave_waitlist(self, customer_id: UUID) -> list[UUID]: ...

    async def erase(self, customer_id: UUID, holds: Sequence[UUID], now: datetime) -> None: ...

    async def export(self, customer_id: UUID) -> dict[str, Any]: ...


class CustomerUnitOfWork(DeskUnitOfWork, Protocol):
    @property
    def records(self) -> CustomerRecordsPort: ...


@dataclass(frozen=True, slots=True)
class SaveNotes:
    business_id: UUID
    customer_id: UUID
    notes: str
    was: str | None = None
    """The notes the edit started from; a different stored text means someone saved meanwhile."""


@dataclass(frozen=True, slots=True)
class SavePreferences:
    business_id: UUID
    customer_id: UUID
    preferences: CustomerPreferences
    notifications: NotificationPreferences


@dataclass(frozen=True, slots=True)
class EraseCustomer:
    business_id: UUID
    customer_id: UUID
    by: str
    """Who erased (the admin's e-mail), for the audit trail."""
    cancel_upcoming: bool = False


async def save_notes(cmd: SaveNotes, uow: CustomerUnitOfWork, now: datetime) -> None:
    if len(cmd.notes) > NOTES_LIMIT:
        raise InvalidRequest(f"notes: at most {NOTES_LIMIT} characters", field="notes")
    async with uow:
        state = await _editable(uow, cmd.business_id, cmd.customer_id)
        if cmd.was is not None and state.notes != cmd.was:
            raise InvalidRequest("notes: changed meanwhile; read them again", field="notes")
        await uow.records.set_notes(cmd.customer_id, cmd.notes, now)
        await uow.commit()


async def save_preferences(cmd: SavePreferences, uow: CustomerUnitOfWork) -> None:
    """Preferred staff must be the business's own, current staff."""
    async with uow:
        await _editable(uow, cmd.business_id, cmd.customer_id)
        catalog = await uow.catalog.get(cmd.business_id)
        unknown = cmd.preferences.staff_ids - {s.id for s in catalog.staff}
        if unknown:
            raise InvalidRequest("staff_ids: not a staff member of this business",
                                 field="staff_ids")
        await uow.records.set_preferences(cmd.customer_id, cmd.preferences, cmd.notifications)
        await uow.commit()


async def upcoming_count(business_id: UUID, customer_id: UUID, uow: CustomerUnitOfWork,
                         now: datetime) -> int:
    """How many booked appointments erasing would cancel."""
    async with uow:
        await _own(uow, business_id, customer_id)
        return len(await uow.records.upcoming(customer_id, now))


async def export(business_id: UUID, customer_id: UUID, uow: CustomerUnitOfWork
                 ) -> dict[str, Any]:
    async with uow:
        await _own(uow, business_id, customer_id)
        return await uow.records.export(customer_id)


async def erase(cmd: EraseCustomer, uow: CustomerUnitOfWork, now: datetime) -> Erasure:
    async with uow:
        state = await _own(uow, cmd.business_id, cmd.customer_id)
        if state.erased_at is not None:
            return Erasure(cmd.customer_id, already=True)
        upcoming = await uow.records.upcoming(cmd.customer_id, now)
        if upcoming and not cmd.cancel_upcoming:
            raise InvalidRequest(f"cancel_upcoming: {len(upcoming)} upcoming appointment(s) "
                                 "must be cancelled first", field="cancel_upcoming")
        holds = await uow.records.leave_waitlist(cmd.customer_id)
        await _cancel(uow, cmd.business_id, upcoming, now)
        await uow.records.erase(cmd.customer_id, holds, now)
        await uow.appointments.record([AuditEntry(
            cmd.customer_id, now, Actor.OWNER, None, "erased", ERASE_REASON, subject="customer",
            data={"by": cmd.by, "cancelled": len(upcoming)})])
        await uow.commit()
    return Erasure(cmd.customer_id, len(upcoming))


async def _cancel(uow: CustomerUnitOfWork, business_id: UUID, ids: list[UUID],
                  now: datetime) -> None:
    if not ids:
        return
    catalog = await uow.catalog.get(business_id)
    for appointment_id in ids:
        current = await uow.appointments.get(appointment_id, lock=True)
        command = CancelAppointment(appointment_id, Actor.OWNER, ERASE_REASON)
        await cancel_in(uow, catalog, current, command, now)
        await waitlist.offer_freed(uow, catalog, current, now)


async def _own(uow: CustomerUnitOfWork, business_id: UUID, customer_id: UUID) -> RecordState:
    state = await uow.records.lock(customer_id)
    if state is None or state.business_id != business_id:
        raise NotFound("customer", customer_id)
    return state


async def _editable(uow: CustomerUnitOfWork, business_id: UUID, customer_id: UUID
                    ) -> RecordState:
    state = await _own(uow, business_id, customer_id)
    if state.erased_at is not None:
        raise InvalidRequest("customer: their data was erased; nothing to edit",
                             field="customer")
    return state
