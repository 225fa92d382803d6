"""The first-run wizard's steps read from their forms: each reader returns what the owner typed,
cleaned, and a message for every field that is wrong, keyed by the field's name so the page
can print it next to that field. Nothing here touches the database.

What the steps gathered (the draft) is plain JSON, so it can travel between requests; `catalog`
turns a finished draft into the `Catalog` that replaces the demo.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID, uuid4
from zoneinfo import available_timezones

from babel.numbers import list_currencies

from scheduling.catalog import (
    Business,
    BusinessPolicies,
    Catalog,
    Location,
    Service,
    Staff,
    normalise,
)
from scheduling.deposit_rules import DepositRule
from scheduling.errors import InvalidRequest
from scheduling.hours import WEEKDAYS, TimeSpan, WeeklyHours

Form = Mapping[str, Any]
Draft = dict[str, Any]
Problems = dict[str, str]
SERVICE_ROWS = 6
STAFF_ROWS = 4
MAX_TEXT = 100
CLOCK = re.compile(r"^\d{2}:\d{2}$")


def text(form: Form, name: str, problems: Problems, label: str, required: bool = True,
         limit: int = MAX_TEXT) -> str:
    """The field stripped; a problem when it is required and empty, too long or not text."""
    value = " ".join(str(form.get(name, "")).split())
    if required and not value:
        problems[name] = f"Enter the {label}."
    elif len(value) > limit or "\x00" in value:
        problems[name] = f"The {label} must be plain text of at most {limit} characters."
    return value


def whole(form: Form, name: str, problems: Problems, label: str, low: int, high: int) -> int:
    raw = str(form.get(name, "")).strip()
    if raw.isdecimal() and low <= int(raw) <= high:
        return int(raw)
    problems[name] = f"The {label} must be a whole number from {low} to {high}."
    return low


def amount(form: Form, name: str, problems: Problems, label: str) -> str:
    """A non-negative amount with at most two decimals, kept as text ("0" when blank)."""
    raw = str(form.get(name, "")).strip() or "0"
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = Decimal(-1)
    if not value.is_finite() or value < 0 or value > 100_000 or value != round(value, 2):
        problems[name] = f"The {label} must be an amount like 45 or 45.50."
        return "0"
    return str(value)


def read_business(form: Form) -> tuple[Draft, Problems]:
    problems: Problems = {}
    draft = {"name": text(form, "name", problems, "business name"),
             "address": text(form, "address", problems, "address"),
             "time_zone": zone_name(form, "time_zone", problems),
             "currency": currency(form, "currency", problems)}
    return draft, problems


def zones() -> list[str]:
    return sorted(z for z in available_timezones() if "/" in z and not z.startswith("Etc/"))


def zone_name(form: Form, name: str, problems: Problems) -> str:
    """A zone of the list the form offers (an alias like "EST" or "Etc/GMT+5" is refused:
    owners pick a place, and its rules follow that place)."""
    typed = str(form.get(name, "")).strip()
    if typed not in zones():
        problems[name] = "Choose a time zone from the list, like Europe/Lisbon."
    return typed


def currency(form: Form, name: str, problems: Problems) -> str:
    typed = str(form.get(name, "")).strip().upper()
    if typed not in list_currencies():
        problems[name] = "Enter a three-letter currency code, like USD or EUR."
    return typed


def read_hours(form: Form) -> tuple[Draft, Problems]:
    """Opening and closing time per weekday; both blank is a closed day. A day ends at
    midnight at the latest: hours past midnight are refused rather than read as the next day."""
    problems: Problems = {}
    days: Draft = {}
    for day in WEEKDAYS:
        opens, closes = (str(form.get(f"{day}_{end}", "")).strip() for end in ("opens", "closes"))
        if not opens and not closes:
            continue
        span = _span(opens, closes)
        if span is None:
            problems[f"{day}_opens"] = ("Give both times as HH:MM, closing after opening "
                                        "and by midnight (00:00), or leave both blank.")
        else:
            days[day] = str(span)
    if not days and not problems:
        problems["mon_opens"] = "Open at least one day."
    return days, problems


def _span(opens: str, closes: str) -> TimeSpan | None:
    if not (CLOCK.match(opens) and CLOCK.match(closes)):
        return None
    try:
        return TimeSpan(time.fromisoformat(opens), time.fromisoformat(closes))
    except (ValueError, InvalidRequest):
        return None


def read_services(form: Form) -> tuple[Draft, Problems]:
    """The filled rows of the services table (a row is filled when it has a name)."""
    problems: Problems = {}
    rows = []
    for row in range(SERVICE_ROWS):
        if not str(form.get(f"service{row}_name", "")).strip():
            continue
        rows.append(_service_row(form, f"service{row}_", problems))
    if not rows and not problems:
        problems["service0_name"] = "Name at least one service."
    return {"rows": rows}, problems


def _service_row(form: Form, prefix: str, problems: Problems) -> Draft:
    row: Draft = {"name": text(form, prefix + "name", problems, "service name"),
                  "minutes": whole(form, prefix + "minutes", problems, "minutes", 5, 720),
                  "price": amount(form, prefix + "price", problems, "price"),
                  "deposit": amount(form, prefix + "deposit", problems, "deposit"),
                  "seats": whole(form, prefix + "seats", problems, "number of seats", 1, 100)}
    if prefix + "deposit" not in problems and Decimal(row["deposit"]) > Decimal(row["price"]):
        problems[prefix + "deposit"] = "The deposit cannot be more than the price."
    return row


def read_staff(form: Form, services: int) -> tuple[Draft, Problems]:
    """The filled rows of the staff table, each with the services (by row) they give."""
    problems: Problems = {}
    rows = []
    for row in range(STAFF_ROWS):
        prefix = f"staff{row}_"
        if not str(form.get(prefix + "name", "")).strip():
            continue
        gives = sorted({int(v) for v in all_values(form, prefix + "services")
                        if str(v).isdecimal() and int(v) < services})
        if not gives:
            problems[prefix + "services"] = "Tick at least one service this person gives."
        rows.append({"name": text(form, prefix + "name", problems, "name"), "services": gives})
    if not rows and not problems:
        problems["staff0_name"] = "Name at least one person who takes appointments."
    return {"rows": rows}, problems


def all_values(form: Form, name: str) -> list[Any]:
    getall: Callable[..., list[Any]] | None = getattr(form, "getall", None)
    return getall(name, []) if getall is not None else [form[name]] if name in form else []


def typed_values(typed: Any) -> dict[str, list[str]]:
    """Every field's values as text, from a posted form or from the draft's answers."""
    getall = getattr(typed, "getall", None)
    if getall is not None:
        return {key: [str(v) for v in getall(key)] for key in typed}
    return {key: [str(v) for v in (value if isinstance(value, list) else [value])]
            for key, value in typed.items()}


@dataclass(frozen=True)
class Step:
    name: str
    title: str


STEPS = (Step("business", "Your business"), Step("hours", "Opening hours"),
         Step("services", "Services"), Step("staff", "Staff"), Step("review", "Review"))


def missing(draft: Draft) -> Step | None:
    """The first step the draft has no answer for, None when it is complete."""
    return next((s for s in STEPS[:-1] if s.name not in draft), None)


def catalog(draft: Draft, ids: Callable[[], UUID] = uuid4) -> Catalog:
    """The one-location business the finished draft describes: every staff member works the
    opening hours and gives the services ticked for them (each service needs its own skill)."""
    about, hours = draft["business"], WeeklyHours.of(
        {day: [span] for day, span in draft["hours"].items()})
    location = Location(ids(), about["name"], about["time_zone"], hours, about["address"])
    business = Business(ids(), about["name"], about["time_zone"], (location,),
                        policies=BusinessPolicies(currency=about["currency"]))
    services = tuple(_service(ids(), row) for row in draft["services"]["rows"])
    staff = tuple(
        Staff(ids(), row["name"], frozenset({location.id}), hours,
              skills=frozenset(_skill(draft["services"]["rows"][i]) for i in row["services"]))
        for row in draft["staff"]["rows"])
    return Catalog(business, staff, services)


def _service(service_id: UUID, row: Draft) -> Service:
    return Service(service_id, row["name"], timedelta(minutes=row["minutes"]),
                   Decimal(row["price"]), deposit=DepositRule.fixed(Decimal(row["deposit"])),
                   required_skills=frozenset({_skill(row)}), capacity=row["seats"])


def _skill(row: Draft) -> str:
    return normalise(row["name"]) or row["name"]
