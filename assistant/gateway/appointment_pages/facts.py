"""An appointment in the customer's words: what, with whom, when (in the customer's zone, and
the business's reading too when the two differ), where, what it costs and what the policy
allows. Dates and money go through `scheduling.formats`, as in chat, SMS and e-mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from uuid import UUID

from assistant.notifications import ics, links
from scheduling import formats
from scheduling.booking.model import Appointment, PaymentStatus
from scheduling.catalog import CancellationPolicy, Catalog, LocationType, zone

DEPOSIT = {PaymentStatus.PENDING: "due", PaymentStatus.PAID: "paid",
           PaymentStatus.REFUNDED: "refunded", PaymentStatus.PARTIALLY_REFUNDED: "partly refunded"}


@dataclass(frozen=True, slots=True)
class Facts:
    service: str
    staff: str
    when: str
    """"Friday, March 12, 2027 at 3:30 PM EST", in the customer's zone."""
    until: str
    business_when: str
    """The same moment on the business's clock when it reads differently, else ""."""
    place: str
    video: str | None
    price: str
    deposit: str
    policy: str


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a time is and who gives it: an appointment, or a slot a waitlist offer holds;
    `location_id` (None: the business) is whose clock the time is also read on."""

    service_id: UUID
    staff_id: UUID
    start: datetime
    end: datetime
    time_zone: str
    location_id: UUID | None = None


def slot_facts(catalog: Catalog, slot: Slot, place: str, price: Decimal | None = None,
               video: str | None = None, deposit: str = "") -> Facts:
    """`price` None: the service's list price (an offer's slot, not yet booked)."""
    service = catalog.service(slot.service_id)
    home = catalog.location(slot.location_id) if slot.location_id else catalog.business
    mine, theirs = zone(slot.time_zone), home.zone
    differs = formats.zone_note(slot.start, mine, theirs) != ""
    currency = catalog.business.policies.currency
    return Facts(service.name, catalog.staff_member(slot.staff_id).name,
                 formats.long_when(slot.start, mine), formats.clock(slot.end, mine),
                 formats.long_when(slot.start, theirs) if differs else "", place, video,
                 money(catalog, service.price if price is None else price), deposit,
                 policy_words(catalog.cancellation_policy(service), currency))


def facts(catalog: Catalog, appointment: Appointment) -> Facts:
    slot = Slot(appointment.service_id, appointment.staff_id, appointment.start,
                appointment.end, appointment.customer_time_zone, appointment.location_id)
    return slot_facts(catalog, slot, place(catalog, appointment), appointment.price,
                      appointment.meeting_link, deposit(catalog, appointment))


def place(catalog: Catalog, appointment: Appointment) -> str:
    if appointment.location_type is LocationType.VIRTUAL:
        return "Online, by video" if appointment.meeting_link else (
            "Online, by video: the link will follow")
    if appointment.location_type is LocationType.PHONE:
        return "By phone: we will call you"
    return appointment.address or catalog.location(appointment.location_id).address


def deposit(catalog: Catalog, appointment: Appointment) -> str:
    payment = appointment.payment
    if not payment.required:
        return ""
    state = DEPOSIT.get(payment.status, payment.status.value)
    return f"{money(catalog, payment.amount)} deposit, {state}"


def policy_words(policy: CancellationPolicy, currency: str) -> str:
    hours = policy.free_cancellation_hours
    free = f"Cancelling or moving is free up to {hours} hours before the start"
    if policy.late_cancel_fee > 0:
        fee = formats.money(policy.late_cancel_fee, currency)
        return f"{free}; after that, cancelling costs {fee} and moving is no longer possible."
    return f"{free}; after that, please call us."


def money(catalog: Catalog, amount: Decimal) -> str:
    return formats.money(amount, catalog.business.policies.currency)


@dataclass(frozen=True, slots=True)
class CalendarLinks:
    google: str
    outlook: str


def _title(catalog: Catalog, found: Facts) -> tuple[str, str]:
    return (f"{found.service} at {catalog.business.name}",
            f"{found.service} with {found.staff}. {found.policy}")


def calendar_links(catalog: Catalog, appointment: Appointment) -> CalendarLinks:
    found = facts(catalog, appointment)
    title, details = _title(catalog, found)
    where = found.video or found.place
    start, end = appointment.start, appointment.end
    return CalendarLinks(links.google_calendar_url(title, start, end, details, where),
                         links.outlook_calendar_url(title, start, end, details, where))


def calendar_file(catalog: Catalog, appointment: Appointment, chain: tuple[UUID, int],
                  now: datetime) -> bytes:
    """The .ics the e-mails attach, with the same UID and SEQUENCE (`notifications.ics`), so
    adding it again updates the event the e-mail put in the calendar rather than copying it."""
    found = facts(catalog, appointment)
    title, details = _title(catalog, found)
    business = catalog.business
    contact = appointment.contact
    event = ics.CalendarEvent(chain[0], chain[1], appointment.start, appointment.end, title,
                              details, found.video or found.place, business.name,
                              business.contact.email or "bookings@localhost",
                              contact.email if contact else None)
    return ics.build(event, "REQUEST", now)
