"""How the assistant says things: durations, offers, appointments. Plain sentences that
read well on a screen and aloud (no symbols a speech engine would spell out, beyond $). Days,
times and money come from `scheduling.formats`, so the chat says "3:30 PM" and "$40" as the
SMS, e-mails and pages do."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from uuid import UUID

from actions.offer_value import Offer
from actions.zones import Zones
from scheduling import formats
from scheduling.booking import saved_cards
from scheduling.booking.model import Appointment
from scheduling.booking.policies import BookingRules
from scheduling.catalog import Catalog, Service
from scheduling.deposit_rules import terms


def minutes(span: timedelta) -> str:
    total = int(span.total_seconds() // 60)
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} minutes"
    text = f"{hours} hour{'s' if hours > 1 else ''}"
    return f"{text} {rest} minutes" if rest else text


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def offer_texts(offers: Sequence[Offer], catalog: Catalog, zones: Zones,
                now: datetime) -> list[str]:
    """Each offer in words: "Friday, November 27 at 9 AM with Ana (when you asked)", and
    "at Harbour" after the name when the business has more than one location."""
    names = {s.id: s.name for s in catalog.staff}
    texts = []
    for offer in offers:
        when = zones.at(catalog, offer.location_id).when(offer.start, now)
        why = f" ({offer.reason})" if offer.reason else ""
        where = at_location(catalog, offer.location_id)
        texts.append(f"{when} with {names.get(offer.staff_id, 'our team')}{where}{why}")
    return texts


def at_location(catalog: Catalog, location_id: UUID | None) -> str:
    """" at Harbour" when there is more than one place it could be; nothing otherwise."""
    if location_id is None or len(catalog.business.locations) < 2:
        return ""
    return f" at {catalog.location(location_id).name}"


def offer_lines(offers: Sequence[Offer], catalog: Catalog, zones: Zones,
                now: datetime) -> str:
    """The offers as a numbered list, for SMS and voice ("2" or "press 2" picks one)."""
    texts = offer_texts(offers, catalog, zones, now)
    return "\n".join(f"{number}. {text}" for number, text in enumerate(texts, start=1))


def offer_buttons(offers: Sequence[Offer], catalog: Catalog, zones: Zones,
                  now: datetime) -> list[dict[str, str]]:
    """The offers as the web widget's buttons; a tap says "the second", as typing it would."""
    texts = offer_texts(offers, catalog, zones, now)
    return [{"title": text, "payload": f"the {ORDINALS[number]}"}
            for number, text in enumerate(texts)]


def service_line(service: Service, currency: str) -> str:
    price = formats.money(service.price, currency)
    deposit = f", {terms(service.deposit, service.price, currency)}" if service.deposit else ""
    return f"{service.name}: {minutes(service.duration)}, {price}{deposit}"


def deposit_terms(deposit: Decimal, catalog: Catalog, rules: BookingRules,
                  asked_of: str = "", service: Service | None = None) -> str:
    """The deposit and what follows from it, said before the customer's yes: where it is
    paid, how long an online payment holds the time and that an unpaid booking is released,
    and what cancelling costs (a free cancellation refunds it). Without a deposit, the card
    `service` asks to be saved to confirm (`card_terms`), else nothing. `asked_of`: whom a
    rule for some customers asks it of, when it is not known to be this customer."""
    if deposit <= 0:
        return card_terms(catalog, rules, service)
    policies = catalog.business.policies
    amount = formats.money(deposit, policies.currency) + (f" deposit from {asked_of}"
                                                           if asked_of else " deposit")
    if rules.deposits_online:
        text = (f" It needs a {amount}, paid online: we'll send you a link to pay it "
                f"as soon as you say yes, and the time is held for "
                f"{minutes(rules.payment_window)}; if it isn't paid by then, the booking is "
                "released and we'll tell you.")
    else:
        text = f" It needs a {amount}, paid at the salon when you come in."
    cancel = policies.cancellation
    text += (f" Cancelling is free up to {cancel.free_cancellation_hours} hours before"
             f"{', and a paid deposit is refunded' if rules.deposits_online else ''}")
    fee = cancel.late_cancel_fee
    return text + (f"; later, it costs {formats.money(fee, policies.currency)}." if fee else ".")


def card_terms(catalog: Catalog, rules: BookingRules, service: Service | None) -> str:
    """No-show protection before the yes: what the saved card may be charged, that the link
    comes at once, and that the time is released without a card. Nothing when the service
    asks for no card or payments are taken at the salon (then no card is asked)."""
    if service is None or not (service.card_required and rules.deposits_online):
        return ""
    return (f" {saved_cards.terms(catalog, service)} We'll send you a link to add it as soon "
            f"as you say yes, and the time is held for {minutes(rules.payment_window)}; "
            "without a card by then, the booking is released and we'll tell you.")


def appointment_text(appointment: Appointment, catalog: Catalog, now: datetime) -> str:
    """"Men's cut with Ana at Harbour tomorrow at 3 PM", in the zone the appointment was booked
    for (as its confirmation and reminders say it), named when it is not the location's."""
    service = catalog.service(appointment.service_id).name
    staff = catalog.staff_member(appointment.staff_id).name
    location = catalog.location(appointment.location_id)
    when = Zones.of(catalog, appointment.customer_time_zone, location).when(appointment.start, now)
    return f"{service} with {staff}{at_location(catalog, location.id)} {when}"


def reference(appointment: Appointment) -> str:
    """The short reference customers quote: the first eight characters of the id."""
    return str(appointment.id)[:8].upper()
