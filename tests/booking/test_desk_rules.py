"""The front desk's identity rules (scheduling/desk/customers.py, module docstring) and its
one-time codes, on the in-memory fake and on PostgreSQL alike."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from backends import Backend, both
from booking_builders import NOW, Salon, ny

from scheduling.booking.model import Contact
from scheduling.booking.results import BookingResult
from scheduling.catalog import Customer
from scheduling.desk import customers, verification
from scheduling.desk.customers import ANONYMOUS, Proof
from scheduling.errors import PolicyViolation
from scheduling.ports import DeskUnitOfWork

pytestmark = both


async def booked_with(salon: Salon, uow: DeskUnitOfWork, contact: Contact, proof: Proof,
                      hour: int) -> tuple[BookingResult, Customer]:
    cmd = replace(salon.booking("Cut", ny(3, 12, hour)), customer_id=None, contact=contact)
    result = await customers.book_for(cmd, proof, uow, NOW)
    async with uow:
        profile = await uow.catalog.get_customer(result.appointment.customer_id)
    return result, profile


async def test_an_unproved_request_never_changes_a_profile(
    salon: Salon, uow: DeskUnitOfWork
) -> None:
    known = salon.customers[0]
    same = Contact("Someone Else", known.phone)
    result, profile = await booked_with(salon, uow, same, ANONYMOUS, 10)
    assert profile == known  # every unproved detail matched: booked on it, unchanged
    assert result.appointment.contact == same
    more = Contact(known.name, known.phone, "new@example.com")
    result, profile = await booked_with(salon, uow, more, ANONYMOUS, 11)
    assert profile.id == known.id and profile.email is None
    assert result.appointment.contact == more  # its notices go where it was booked from


async def test_an_unproved_request_that_disagrees_books_on_a_new_profile(
    salon: Salon, uow: DeskUnitOfWork
) -> None:
    known = salon.customers[0]
    async with uow:
        await uow.catalog.save_customer(salon.id, replace(known, email="ana@example.com"))
        await uow.commit()
    other = Contact("Mallory", known.phone, "mallory@example.com")
    _, profile = await booked_with(salon, uow, other, ANONYMOUS, 10)
    assert profile.id != known.id
    assert profile.phone is None  # one number is one profile; it lives on in the contact
    async with uow:
        assert (await uow.catalog.get_customer(known.id)).email == "ana@example.com"


async def test_a_proved_request_fills_unproved_contacts_but_never_a_verified_one(
    salon: Salon, uow: DeskUnitOfWork
) -> None:
    known = salon.customers[0]
    caller = await customers.caller(uow, salon.id, known.phone or "", NOW)
    assert caller is not None and caller.phone_verified_at == NOW
    proof = Proof(customer_id=known.id)
    _, profile = await booked_with(
        salon, uow, Contact("Renamed", "+15550000001", "r@example.com"), proof, 10)
    assert profile.name == "Renamed" and profile.email == "r@example.com"
    assert profile.phone == known.phone  # verified: kept


async def test_proving_one_contact_drops_the_unproved_others(
    salon: Salon, uow: DeskUnitOfWork
) -> None:
    known = salon.customers[0]
    async with uow:
        await uow.catalog.save_customer(salon.id, replace(known, email="typed@example.com"))
        await uow.commit()
    proved = await customers.caller(uow, salon.id, known.phone or "", NOW)
    assert proved is not None and proved.email is None and proved.phone == known.phone


async def test_a_customer_sees_only_appointments_booked_with_a_proved_contact(
    salon: Salon, uow: DeskUnitOfWork
) -> None:
    known = salon.customers[0]
    mine, _ = await booked_with(salon, uow, Contact(known.name, known.phone), ANONYMOUS, 10)
    assert await customers.upcoming(uow, known.id, NOW) == []  # nothing proved yet
    await customers.caller(uow, salon.id, known.phone or "", NOW)
    seen = await customers.upcoming(uow, known.id, NOW)
    assert [a.id for a in seen] == [mine.appointment.id]
    assert await customers.upcoming(uow, known.id, ny(3, 12, 11)) == []  # ended


async def test_a_code_proves_its_contact_once_and_wrong_guesses_use_it_up(
    salon: Salon, uow: DeskUnitOfWork, backend: Backend
) -> None:
    known = salon.customers[0]
    phone = known.phone or ""
    await verification.issue_code(uow, known.id, phone, NOW)
    [sent] = await backend.payloads("verification_code")
    assert sent["to"] == phone and sent["business_id"] == str(salon.id)
    assert not await verification.check_code(uow, known.id, "not it", NOW)
    assert await verification.check_code(uow, known.id, sent["code"], NOW)
    async with uow:
        assert (await uow.catalog.get_customer(known.id)).phone_verified_at == NOW
    with pytest.raises(PolicyViolation):  # used
        await verification.check_code(uow, known.id, sent["code"], NOW)
    await verification.issue_code(uow, known.id, phone, NOW + timedelta(minutes=1))
    fresh = next(p for p in await backend.payloads("verification_code") if p != sent)
    for _ in range(verification.MAX_ATTEMPTS):
        assert not await verification.check_code(uow, known.id, "000000x", NOW)
    with pytest.raises(PolicyViolation):  # five wrong guesses used it up
        await verification.check_code(uow, known.id, fresh["code"], NOW)
