"""Who a message goes to and what it is about, read at send time.

Outbox payloads carry ids and the appointment's facts; addresses, language, opt-in flags and
the business's name, contact and policy are read when sending (a video link Google added after
booking is in the reminders). A message about an appointment goes to the phone and e-mail the
appointment was booked with, never to other addresses its customer's profile holds: a booking
by someone who proved nothing must not redirect anybody's notices (`scheduling.desk.customers`).
Catalogs are cached for one dispatcher batch (a batch mostly concerns few businesses).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any
from uuid import UUID

from scheduling.catalog import CancellationPolicy, Catalog, Customer, Service
from scheduling.desk.setup.values import MessageParts
from scheduling.errors import NotFound
from scheduling.persistence.delivery_reads import AppointmentContact, DeliveryReads

Json = dict[str, Any]
OWNER_KINDS = frozenset({"owner_notice", "owner_alert", "daily_agenda", "handoff"})
ADDRESSED_KINDS = frozenset({"verification_code"})
"""Sent to exactly the address in the payload (the one a visitor claims to own), not to the
customer's stored preferences."""


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str | None
    phone: str | None
    language: str
    time_zone: str
    email_ok: bool = True
    sms_ok: bool = False


@dataclass(frozen=True, slots=True)
class Audience:
    catalog: Catalog
    recipient: Person
    policy: CancellationPolicy
    chain_id: UUID | None = None
    sequence: int = 0
    refund: Decimal | None = None
    meeting_link: str | None = None
    """The video link as it is now: Google adds it after booking, so the confirmation may
    say it will follow and the reminders carry it."""
    service_id: UUID | None = None
    """The service as the catalog knows it now (for "book again"); None when it is gone."""
    home_zone: str | None = None
    """The zone of the appointment's own location (None: the business's): a time read on
    another clock is named against it, and the owner reads the branch's times on it."""
    parts: MessageParts = MessageParts()
    """The business's own words: a signature, what to bring, address and parking notes."""


class AudienceLoader:
    """Builds `Audience`s on one batch's reads; make a new one per batch."""

    def __init__(self, reads: DeliveryReads) -> None:
        self.reads = reads
        self._catalogs: dict[UUID, tuple[Catalog, MessageParts]] = {}

    async def catalog(self, business_id: UUID) -> Catalog:
        return (await self._business(business_id))[0]

    async def _business(self, business_id: UUID) -> tuple[Catalog, MessageParts]:
        if business_id not in self._catalogs:
            self._catalogs[business_id] = (await self.reads.catalog(business_id),
                                           await self.reads.message_parts(business_id))
        return self._catalogs[business_id]

    async def load(self, kind: str, payload: Json, appointment_id: UUID | None) -> Audience:
        catalog, parts = await self._business(UUID(payload["business_id"]))
        to_customer = kind not in OWNER_KINDS and kind not in ADDRESSED_KINDS
        virtual = payload.get("location_type") == "virtual"
        wanted = to_customer or kind == "cancellation" or virtual
        facts = await self._now_known(appointment_id) if wanted else None
        home = _home_zone(catalog, payload)
        if kind in OWNER_KINDS:
            recipient = _owner(catalog, kind, payload, home)
        elif kind in ADDRESSED_KINDS:
            recipient = _addressed(catalog, payload)
        else:
            recipient = await self._customer(catalog, payload, facts)
        chain_id, sequence = (await self.reads.lineage(appointment_id)
                              if appointment_id else (None, 0))
        refund = facts.refund_amount if facts and kind == "cancellation" else None
        service = _service(catalog, payload)
        policy = (catalog.cancellation_policy(service) if service
                  else catalog.business.policies.cancellation)
        return Audience(catalog, recipient, policy, chain_id, sequence, refund,
                        facts.meeting_link if facts and virtual else None,
                        service.id if service else None, home, parts)

    async def _customer(self, catalog: Catalog, payload: Json, facts: AppointmentContact | None
                        ) -> Person:
        if not payload.get("customer_id"):
            raise NotFound("customer", None)
        customer = await self.reads.customer(UUID(payload["customer_id"]))
        if facts is not None and (facts.contact_phone or facts.contact_email):
            customer = replace(customer, name=facts.contact_name or customer.name,
                               phone=facts.contact_phone, email=facts.contact_email)
        return customer_person(customer, catalog, payload.get("customer_time_zone"))

    async def _now_known(self, appointment_id: UUID | None) -> AppointmentContact | None:
        """What the appointment row knows that the payload could not: who it was booked by,
        the refund of a cancellation, the video link of a virtual visit; one read, made only
        for messages that need one of them."""
        if appointment_id is None:
            return None
        return await self.reads.appointment_contact(appointment_id)


def customer_person(customer: Customer, catalog: Catalog, zone: str | None) -> Person:
    prefs = customer.notifications
    return Person(customer.name, customer.email, customer.phone,
                  customer.preferences.language or "en",
                  zone or customer.time_zone or catalog.business.time_zone,
                  email_ok=prefs.email and bool(customer.email),
                  sms_ok=prefs.sms and bool(customer.phone))


def _home_zone(catalog: Catalog, payload: Json) -> str | None:
    """The zone of the location the payload's appointment is at; None for messages about no
    appointment, payloads written before they named the location, or a location since gone."""
    found = [loc for loc in catalog.business.locations
             if str(loc.id) == payload.get("location_id")]
    return found[0].time_zone if found else None


def _owner(catalog: Catalog, kind: str, payload: Json, home: str | None) -> Person:
    """The business's contact; a staff member's agenda goes to their own Google address."""
    business = catalog.business
    email = business.contact.email
    name = business.name
    if kind == "daily_agenda":
        staff = catalog.staff_member(UUID(payload["staff_id"]))
        own = staff.google_calendar_id or ""
        name = staff.name
        if "@" in own and not own.endswith("calendar.google.com"):
            email = own
    return Person(name, email, None, "en",
                  payload.get("time_zone") or home or business.time_zone)


def _addressed(catalog: Catalog, payload: Json) -> Person:
    by_email = payload["channel"] == "email"
    to = str(payload["to"])
    return Person("", to if by_email else None, None if by_email else to, "en",
                  catalog.business.time_zone, email_ok=by_email, sms_ok=not by_email)


def _service(catalog: Catalog, payload: Json) -> Service | None:
    """The payload's service by name: messages carry names, and a service renamed or removed
    since leaves the business's own policy and the general booking page."""
    try:
        return catalog.find_service(payload.get("service", ""))
    except NotFound:
        return None
