"""The front desk marks an appointment completed or a no-show, checks a customer in only
around the appointment's time, and states the cost of cancelling before it cancels: on the
in-memory fake and on PostgreSQL alike."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, ny

from scheduling.booking import changes, services
from scheduling.booking.commands import CancelAppointment
from scheduling.booking.model import Actor, Appointment, IllegalTransition, Status
from scheduling.desk import desk_appointments as desk
from scheduling.errors import InvalidRequest
from scheduling.ports import BookingUnitOfWork

pytestmark = both
START = ny(3, 12, 10)


async def _booked(salon: Salon, uow: BookingUnitOfWork, customer: int = 0) -> Appointment:
    return (await services.book(salon.booking("Cut", START, customer=customer), uow,
                                 NOW)).appointment


async def test_no_show_by_hand_tells_the_customer_as_the_periodic_job_does(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    booked = await _booked(salon, uow)
    by = "desk@example.com"
    with pytest.raises(InvalidRequest, match="once it has started"):
        await desk.mark_no_show(booked.id, by, uow, START - timedelta(minutes=1))
    done = await desk.mark_no_show(booked.id, by, uow, START + timedelta(minutes=20))
    assert done.status is Status.NO_SHOW
    assert any(k.startswith("no_show:") for k in await backend.outbox(booked.id))
    async with uow:
        history = await uow.appointments.history(booked.id)
    assert history[-1].reason == "marked a no-show by desk@example.com"
    assert history[-1].actor is Actor.OWNER
    with pytest.raises(IllegalTransition):  # a second click changes nothing
        await desk.mark_no_show(booked.id, "desk@example.com", uow, START + timedelta(hours=1))


async def test_a_customer_who_checked_in_is_completed_never_a_no_show(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    booked = await _booked(salon, uow)
    await desk.check_in(booked.id, uow, START - timedelta(minutes=10))
    with pytest.raises(InvalidRequest, match="checked in"):
        await desk.mark_no_show(booked.id, "desk@example.com", uow, START + timedelta(minutes=5))
    done = await desk.mark_completed(booked.id, "desk@example.com", uow,
                                     START + timedelta(minutes=40))
    assert done.status is Status.COMPLETED and done.completed_at is not None
    assert not any(k.startswith("no_show:") for k in await backend.outbox(booked.id))


async def test_check_in_opens_an_hour_ahead_and_closes_at_the_end(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    booked = await _booked(salon, uow)
    weeks_ahead = START - timedelta(days=14)
    assert not desk.check_in_open(booked, weeks_ahead)
    assert desk.check_in_open(booked, START - timedelta(minutes=59))
    assert not desk.check_in_open(booked, booked.end)
    with pytest.raises(InvalidRequest):
        await desk.check_in(booked.id, uow, weeks_ahead)
    with pytest.raises(InvalidRequest, match="closes when the appointment ends"):
        await desk.check_in(booked.id, uow, booked.end)
    checked = (await desk.check_in(booked.id, uow, START)).appointment
    assert checked.checked_in_at == START and not desk.check_in_open(checked, START)


async def test_the_cancel_terms_stated_are_the_ones_cancel_applies(
    salon: Salon, uow: BookingUnitOfWork
) -> None:
    booked = await _booked(salon, uow)
    late = START - timedelta(hours=1)  # inside any notice window: the owner still pays none
    terms = desk.cancel_terms(booked, salon.catalog, late)
    done = await changes.cancel(CancelAppointment(booked.id, Actor.OWNER, "the salon floods"),
                                uow, late)
    assert (terms.fee, terms.refund) == (done.fee, done.refund) == (Decimal(0), Decimal(0))
    assert terms.status is done.appointment.status is Status.CANCELLED
    assert not desk.may_mark(done.appointment, START + timedelta(minutes=5))
