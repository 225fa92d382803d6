"""No-show protection in the booking use case, on both implementations of the ports: a service
asking for a card to confirm waits (pending, `card_pending`) only with payments online and no
deposit owed; its link goes out instead of the confirmation; unsaved by the window's end it is
released with the reason, or, once the business takes payments at the salon, confirmed with
no card asked."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, build_salon, ny

from scheduling.booking import attendance, services
from scheduling.booking.model import PaymentStatus, Status
from scheduling.booking.policies import BookingRules
from scheduling.booking.saved_cards import CARD_NOT_SAVED
from scheduling.ports import BookingUnitOfWork

pytestmark = both


@pytest.fixture
async def salon(backend: Backend) -> Salon:
    """The booking tests' salon, its cut and colour asking for a card to confirm (the colour
    also takes a $30 deposit)."""
    built = build_salon()
    carded = tuple(replace(s, card_required=s.name in ("Cut", "Colour"))
                   for s in built.catalog.services)
    built = replace(built, catalog=replace(built.catalog, services=carded))
    await backend.seed(built)
    return built


async def test_online_a_cut_waits_for_its_card_and_gets_the_link_not_the_confirmation(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(deposits_online=True))
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    assert (booked.status, booked.payment.status, booked.payment.required) == (
        Status.PENDING, PaymentStatus.CARD_PENDING, False)
    kinds = {key.split(":")[0] for key in await backend.outbox(booked.id)}
    assert "pending_payment" in kinds and "confirmation" not in kinds


async def test_a_deposit_owed_is_asked_instead_of_a_card(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(deposits_online=True))
    booked = (await services.book(salon.booking("Colour", ny(3, 12, 10)), uow, NOW)).appointment
    assert (booked.status, booked.payment.status, booked.payment.amount) == (
        Status.PENDING, PaymentStatus.PENDING, 30)


async def test_at_the_salon_no_card_is_asked(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    assert (booked.status, booked.payment.status) == (Status.CONFIRMED,
                                                      PaymentStatus.NOT_REQUIRED)
    assert any(k.startswith("confirmation:") for k in await backend.outbox(booked.id))


async def test_no_card_by_the_window_end_releases_it_with_the_reason(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(deposits_online=True))
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    assert (await attendance.expire_unpaid(uow, NOW + timedelta(minutes=29))).expired == ()
    swept = await attendance.expire_unpaid(uow, NOW + timedelta(minutes=31))
    assert swept.expired == (booked.id,)
    async with uow:
        gone = await uow.appointments.get(booked.id)
    assert gone.status is Status.CANCELLED and gone.cancellation is not None
    assert gone.cancellation.reason == CARD_NOT_SAVED
    assert any(k.startswith("cancellation:") for k in await backend.outbox(booked.id))


async def test_switched_to_the_salon_a_waiting_booking_is_confirmed_without_a_card(
    salon: Salon, uow: BookingUnitOfWork, backend: Backend
) -> None:
    await backend.set_rules(salon.id, BookingRules(deposits_online=True))
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    await backend.set_rules(salon.id, BookingRules(deposits_online=False))
    swept = await attendance.expire_unpaid(uow, NOW + timedelta(minutes=31))
    assert swept.at_salon == (booked.id,)
    async with uow:
        kept = await uow.appointments.get(booked.id)
    assert kept.status is Status.CONFIRMED
    assert any(k.startswith("confirmation:") for k in await backend.outbox(booked.id))
