"""The customer's yes to a change the owner made (`changes.accept_change`), on the in-memory
fake and on PostgreSQL: recorded once in the audit trail, refused when nothing was changed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from backends import both
from booking_builders import NOW, Salon, ny

from scheduling.booking import changes, services
from scheduling.booking.commands import CancelAppointment, RescheduleAppointment
from scheduling.booking.model import Actor
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork

pytestmark = both
LATER = NOW + timedelta(hours=1)


async def test_accepting_an_owner_cancellation_is_recorded_once(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    await changes.cancel(CancelAppointment(booked.id, Actor.OWNER, "flood"), uow, NOW)
    assert await changes.accept_change(booked.id, uow, LATER) is True
    assert await changes.accept_change(booked.id, uow, LATER + timedelta(minutes=1)) is False
    async with uow:
        history = await uow.appointments.history(booked.id)
    accepted = [e for e in history if e.reason == changes.CHANGE_ACCEPTED]
    assert [(e.actor, e.from_status, e.to_status) for e in accepted] == [
        (Actor.CUSTOMER, "cancelled", "cancelled")]
    assert changes.change_accepted(history) == LATER


async def test_accepting_the_new_time_of_an_owner_move(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    moved = await changes.reschedule(
        RescheduleAppointment(booked.id, ny(3, 12, 14), Actor.OWNER), uow, NOW)
    assert await changes.accept_change(moved.new.id, uow, LATER) is True


@pytest.mark.parametrize("by", [None, Actor.CUSTOMER])
async def test_nothing_to_accept_unless_the_owner_changed_it(
    salon: Salon, uow: BookingUnitOfWork, by: Actor | None
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    if by is not None:
        moved = await changes.reschedule(RescheduleAppointment(booked.id, ny(3, 12, 14), by),
                                         uow, NOW)
        booked = moved.new
    with pytest.raises(InvalidRequest):
        await changes.accept_change(booked.id, uow, LATER)
    async with uow:
        history = await uow.appointments.history(booked.id)
    assert changes.change_accepted(history) is None
