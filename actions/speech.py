"""How the assistant says things: times, money, offers, appointments. Plain sentences that
read well on a screen and aloud (no symbols a speech engine would spell out, beyond $)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from actions.offer_value import Offer
from scheduling.booking.model import Appointment
from scheduling.catalog import Catalog, Service
from scheduling.suggestions import clock_text


def money(amount: Decimal, currency: str = "USD") -> str:
    symbol = "$" if currency == "USD" else f"{currency} "
    return f"{symbol}{amount:.2f}".replace(".00", "")


def minutes(span: timedelta) -> str:
    total = int(span.total_seconds() // 60)
    hours, rest = divmod(total, 60)
    if not hours:
        return f"{rest} minutes"
    text = f"{hours} hour{'s' if hours > 1 else ''}"
    return f"{text} {rest} minutes" if rest else text


def day_text(moment: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """"Tuesday 24 November"; "today"/"tomorrow" when close."""
    local = moment.astimezone(zone)
    if now is not None:
        today = now.astimezone(zone).date()
        if local.date() == today:
            return "today"
        if (local.date() - today).days == 1:
            return "tomorrow"
    return f"{local:%A} {local.day} {local:%B}"


def day_and_time(moment: datetime, zone: ZoneInfo, now: datetime | None = None) -> str:
    """"Tuesday 24 November at 3:15 pm"; "today"/"tomorrow" when close."""
    return f"{day_text(moment, zone, now)} at {clock_text(moment.astimezone(zone))}"


ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")


def offer_texts(offers: Sequence[Offer], catalog: Catalog, zone: ZoneInfo,
                now: datetime) -> list[str]:
    """Each offer in words: "Friday 27 November at 9 am with Ana (when you asked)"."""
    names = {s.id: s.name for s in catalog.staff}
    texts = []
    for offer in offers:
        when = day_and_time(offer.start, zone, now)
        why = f" ({offer.reason})" if offer.reason else ""
        texts.append(f"{when} with {names.get(offer.staff_id, 'our team')}{why}")
    return texts


def offer_lines(offers: Sequence[Offer], catalog: Catalog, zone: ZoneInfo,
                now: datetime) -> str:
    """The offers as a numbered list, for SMS and voice ("2" or "press 2" picks one)."""
    texts = offer_texts(offers, catalog, zone, now)
    return "\n".join(f"{number}. {text}" for number, text in enumerate(texts, start=1))


def offer_buttons(offers: Sequence[Offer], catalog: Catalog, zone: ZoneInfo,
                  now: datetime) -> list[dict[str, str]]:
    """The offers as the web widget's buttons; a tap says "the second", as typing it would."""
    texts = offer_texts(offers, catalog, zone, now)
    return [{"title": text, "payload": f"the {ORDINALS[number]}"}
            for number, text in enumerate(texts)]


def service_line(service: Service, currency: str) -> str:
    deposit = f", {money(service.deposit, currency)} deposit" if service.deposit else ""
    return f"{service.name}: {minutes(service.duration)}, {money(service.price, currency)}{deposit}"


def appointment_text(appointment: Appointment, catalog: Catalog, now: datetime) -> str:
    service = catalog.service(appointment.service_id).name
    staff = catalog.staff_member(appointment.staff_id).name
    zone = catalog.location(appointment.location_id).zone
    return f"{service} with {staff} {day_and_time(appointment.start, zone, now)}"


def reference(appointment: Appointment) -> str:
    """The short reference customers quote: the first eight characters of the id."""
    return str(appointment.id)[:8].upper()
