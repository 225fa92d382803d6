"""Who is talking, and what they have proved: customers found by phone or e-mail.

The identity model (README, "Security"):

- A customer profile's phone and e-mail are each either *verified* (someone proved control of
  it: a text or call from the number, a one-time code sent to it) or merely *given*.
- A request proves: a signed Twilio webhook, the caller's number (`Proof.phone`); a one-time
  code, the profile it was sent for (`Proof.customer_id`); an admin, that it is the business
  (`Proof.owner`); an anonymous web chat or API call, nothing (`ANONYMOUS`).
- A request that proved nothing never changes a profile. It books on the profile its contact
  names only when every unproved detail of that profile is one it gave too; otherwise on a
  new profile. Either way the appointment keeps the contact it was booked with, and its
  notices go there, never to another address the profile may hold.
- A proved request may rename its profile and fill or replace contacts nobody has proved; a
  verified contact is never replaced.
- Proving one contact drops from the profile the contacts nobody proved: whoever typed them
  cannot prove them later and take the profile over.
- A customer sees and changes only the appointments booked with a contact they proved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from uuid import UUID, uuid4

from scheduling.booking import services
from scheduling.booking.commands import BookAppointment
from scheduling.booking.model import Appointment, Contact
from scheduling.booking.results import BookingResult
from scheduling.booking.values import Offer
from scheduling.catalog import Customer
from scheduling.errors import InvalidRequest, NotFound
from scheduling.ports import DeskUnitOfWork


@dataclass(frozen=True, slots=True)
class Proof:
    """What a request proved control of; the default proves nothing."""

    phone: str | None = None
    """The caller's number of a signed Twilio text or call."""
    customer_id: UUID | None = None
    """The profile a one-time code (in chat, or behind an API customer token) was checked for."""
    owner: bool = False
    """The business itself: an admin session or the admin API key."""


ANONYMOUS = Proof()


async def find(
    uow: DeskUnitOfWork, business_id: UUID, *, phone: str | None = None, email: str | None = None
) -> Customer | None:
    """The customer with this phone (preferred) or e-mail, or None for a newcomer."""
    async with uow:
        found = await find_id(uow, business_id, phone, email)
        return await uow.catalog.get_customer(found) if found else None


async def find_id(
    uow: DeskUnitOfWork, business_id: UUID, phone: str | None, email: str | None
) -> UUID | None:
    """As a booking finds its customer: by phone, else by e-mail (inside `uow`)."""
    found = await uow.desk.customer_id_by_phone(business_id, phone) if phone else None
    if found is None and email:
        found = await uow.desk.customer_id_by_email(business_id, email)
    return found


async def identify(
    uow: DeskUnitOfWork, business_id: UUID, contact: Contact, proof: Proof, now: datetime
) -> Customer:
    """The profile this request acts for, inside the caller's transaction (see the module
    docstring for the rules); saved when new or changed, never committed here.

    The contact is locked first (`DeskPort.lock_contact`): two bookings at once for a new
    phone would both find no profile and both register it, and the second insert would break
    the one-profile-per-phone constraint; locked, the second waits and finds the first's."""
    if proof.phone is not None:
        contact = replace(contact, phone=proof.phone)
    await uow.desk.lock_contact(business_id, contact)
    if proof.customer_id is not None:
        return await _update(uow, business_id, await uow.catalog.get_customer(proof.customer_id),
                             contact)
    if proof.phone is not None:
        return await _caller(uow, business_id, contact, now)
    found = await find_id(uow, business_id, contact.phone, contact.email)
    if found is None:
        return await _new(uow, business_id, contact)
    profile = await uow.catalog.get_customer(found)
    if proof.owner:
        return await _update(uow, business_id, profile, contact)
    if _consistent(profile, contact):
        return profile
    return await _new(uow, business_id, contact)


async def register(
    uow: DeskUnitOfWork, business_id: UUID, contact: Contact, proof: Proof, now: datetime
) -> Customer:
    """`identify` in a transaction of its own (the waitlist joins in another)."""
    async with uow:
        customer = await identify(uow, business_id, contact, proof, now)
        await uow.commit()
    return customer


async def book_for(
    cmd: BookAppointment, proof: Proof, uow: DeskUnitOfWork, now: datetime
) -> BookingResult:
    """Identify the customer from `cmd.contact` and `proof` and book, in one transaction: a
    refused booking leaves no profile behind. A replayed key returns the first booking when
    it was made with the same service and contact."""
    if cmd.contact is None:
        raise InvalidRequest("a name and a phone or e-mail are required", field="contact")
    contact = cmd.contact

    async def customer_of(work: DeskUnitOfWork) -> UUID:
        return (await identify(work, cmd.slot.business_id, contact, proof, now)).id

    return await services.book(cmd, uow, now, identify=customer_of)


async def caller(
    uow: DeskUnitOfWork, business_id: UUID, phone: str, now: datetime
) -> Customer | None:
    """The profile of a texting or calling number, now proved (a signed Twilio webhook
    carries it); None when the number has no profile yet."""
    async with uow:
        found = await uow.desk.customer_id_by_phone(business_id, phone)
        if found is None:
            return None
        profile = await _prove(uow, business_id, await uow.catalog.get_customer(found), phone, now)
        await uow.commit()
    return profile


async def prove(
    uow: DeskUnitOfWork, business_id: UUID, customer_id: UUID, contact: str, now: datetime
) -> Customer:
    """Record that `contact` (a phone or e-mail of the profile) was proved just now, inside
    the caller's transaction."""
    return await _prove(uow, business_id, await uow.catalog.get_customer(customer_id), contact,
                        now)


async def _caller(
    uow: DeskUnitOfWork, business_id: UUID, contact: Contact, now: datetime
) -> Customer:
    phone = contact.phone or ""
    found = await uow.desk.customer_id_by_phone(business_id, phone)
    if found is None:
        fresh = await _new(uow, business_id, contact)
        return await _prove(uow, business_id, fresh, phone, now)
    profile = await _prove(uow, business_id, await uow.catalog.get_customer(found), phone, now)
    return await _update(uow, business_id, profile, contact)


async def _prove(
    uow: DeskUnitOfWork, business_id: UUID, profile: Customer, contact: str, now: datetime
) -> Customer:
    """Mark `contact` verified and drop the profile's contacts that nobody proved."""
    by_email = "@" in contact
    if by_email and not _same_email(profile.email, contact):
        raise NotFound("customer contact", contact)
    if not by_email and profile.phone != contact:
        raise NotFound("customer contact", contact)
    proved = replace(
        profile,
        phone=profile.phone if not by_email or profile.phone_verified_at else None,
        email=profile.email if by_email or profile.email_verified_at else None,
        phone_verified_at=profile.phone_verified_at if by_email else now,
        email_verified_at=now if by_email else profile.email_verified_at,
    )
    if proved != profile:
        await uow.catalog.save_customer(business_id, proved)
    return proved


async def _update(
    uow: DeskUnitOfWork, business_id: UUID, profile: Customer, contact: Contact
) -> Customer:
    """A proved request's details: a new name, and contacts where nobody proved one."""
    phone, email = profile.phone, profile.email
    if contact.phone and contact.phone != phone and profile.phone_verified_at is None:
        taken = await uow.desk.customer_id_by_phone(business_id, contact.phone)
        phone = contact.phone if taken in (None, profile.id) else phone
    if contact.email and not _same_email(email, contact.email) and not profile.email_verified_at:
        email = contact.email
    updated = replace(profile, name=contact.name or profile.name, phone=phone, email=email)
    if updated != profile:
        await uow.catalog.save_customer(business_id, updated)
    return updated


async def _new(uow: DeskUnitOfWork, business_id: UUID, contact: Contact) -> Customer:
    """A profile with the details as given; a phone another profile holds stays off it (one
    number is one profile) and lives on in the appointment's contact."""
    taken = contact.phone and await uow.desk.customer_id_by_phone(business_id, contact.phone)
    customer = Customer(uuid4(), contact.name, None if taken else contact.phone, contact.email)
    await uow.catalog.save_customer(business_id, customer)
    return customer


def _consistent(profile: Customer, contact: Contact) -> bool:
    """Every detail of the profile that nobody proved is one this request gave as well."""
    phone_ok = profile.phone is None or profile.phone_verified_at or profile.phone == contact.phone
    email_ok = (profile.email is None or profile.email_verified_at
                or _same_email(profile.email, contact.email))
    return bool(phone_ok and email_ok)


def _same_email(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.lower() == b.lower()


def _proved_contact(customer: Customer) -> tuple[str | None, str | None]:
    """The phone and e-mail of the profile that someone proved (None where not)."""
    return (customer.phone if customer.phone_verified_at else None,
            customer.email if customer.email_verified_at else None)


def holds(customer: Customer, appointment: Appointment) -> bool:
    """Whether this customer proved a contact the appointment was booked with."""
    phone, email = _proved_contact(customer)
    return appointment.contact is not None and appointment.contact.reaches(phone, email)


async def upcoming(uow: DeskUnitOfWork, customer_id: UUID, now: datetime) -> list[Appointment]:
    """Booked (pending or confirmed) appointments that have not ended, soonest first, of those
    booked with a contact this customer proved."""
    async with uow:
        customer = await uow.catalog.get_customer(customer_id)
        phone, email = _proved_contact(customer)
        if phone is None and email is None:
            return []
        return await uow.desk.upcoming_by_contact(customer_id, phone, email, now)


async def open_offers(uow: DeskUnitOfWork, customer_id: UUID, now: datetime) -> list[Offer]:
    """Waitlist offers made to this customer that can still be claimed."""
    async with uow:
        return await uow.desk.open_offers(customer_id, now)
