"""`AppointmentsPort.add` writes a booking's audit entries and outbox messages with its row,
and only if the row went in: PostgreSQL does all three in one statement (the hot path's round
trips are its cost), so a refused insert must not leave an orphan entry or message behind in a
transaction that goes on to commit."""

from __future__ import annotations

from dataclasses import replace
from typing import Any
from uuid import UUID, uuid4

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, ny

from scheduling.booking import services
from scheduling.booking.messages import OutboxMessage
from scheduling.booking.model import Actor, Appointment, AuditEntry
from scheduling.errors import SlotUnavailable
from scheduling.ports import BookingUnitOfWork

pytestmark = both


async def _booked_and_another(salon: Salon, uow: BookingUnitOfWork, **changes: Any
                              ) -> tuple[Appointment, Appointment]:
    """An appointment booked at 10:00, and a second one like it with `changes` (none: on
    the very same slot), not yet stored."""
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10), customer=1), uow,
                                  NOW)).appointment
    key = changes.pop("idempotency_key", "another request")
    return booked, replace(booked, id=uuid4(), idempotency_key=key, **changes)


def _entry(appointment_id: UUID, reason: str) -> AuditEntry:
    return AuditEntry(appointment_id, NOW, Actor.OWNER, None, "confirmed", reason)


async def test_refused_insert_records_no_audit_even_when_the_transaction_commits(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    _, clash = await _booked_and_another(salon, uow)
    async with uow:
        with pytest.raises(SlotUnavailable):
            await uow.appointments.add(clash, 1, NOW, [_entry(clash.id, "clash")])
        await uow.commit()
    async with uow:
        assert await uow.appointments.history(clash.id) == []


async def test_every_audit_entry_is_recorded_with_the_row_in_order(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    _, later = await _booked_and_another(salon, uow, idempotency_key="later",
                                              start=ny(3, 12, 15), end=ny(3, 12, 15, 45))
    async with uow:
        await uow.appointments.add(later, 1, NOW, [_entry(later.id, "first"),
                                                   _entry(later.id, "second")])
        await uow.commit()
    async with uow:
        history = await uow.appointments.history(later.id)
    assert [e.reason for e in history] == ["first", "second"]


def _message(appointment_id: UUID, key: str) -> OutboxMessage:
    return OutboxMessage("confirmation", key, NOW, {"n": key}, appointment_id)


async def test_refused_insert_queues_no_message_even_when_the_transaction_commits(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    _, clash = await _booked_and_another(salon, uow)
    async with uow:
        with pytest.raises(SlotUnavailable):
            await uow.appointments.add(clash, 1, NOW, [], [_message(clash.id, "clash")])
        await uow.commit()
    async with uow:
        assert await uow.outbox.existing(["clash"]) == set()


async def test_messages_are_queued_with_the_row_and_a_queued_key_is_skipped(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    booked, later = await _booked_and_another(salon, uow, idempotency_key="later",
                                              start=ny(3, 12, 15), end=ny(3, 12, 15, 45))
    async with uow:
        await uow.outbox.add([_message(booked.id, "queued before")], NOW)
        await uow.appointments.add(later, 1, NOW, [], [_message(later.id, "queued before"),
                                                       _message(later.id, "new")])
        await uow.commit()
    async with uow:
        assert await uow.outbox.existing(["queued before", "new"]) == {"queued before", "new"}
    assert (await backend.outbox(booked.id)).get("queued before") == "pending"
    assert await backend.outbox(later.id) == {"new": "pending"}
