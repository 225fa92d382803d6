"""The new-booking form at the front desk, read: what was typed (kept whole, so a refused
booking loses nothing), and what it chooses (service, location, staff member, day, time,
customer, group, repetition), with what is wrong said by field.

The form is one POST form whose buttons say what to do next (show the free times, find a
customer, book); only "book" changes anything, so every other button just draws the form again
with what was typed. Values out, no HTML, no database.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from assistant.gateway.booking_page.choose import start_of
from assistant.gateway.booking_page.contact import contact_of
from assistant.gateway.booking_page.view import choosable_staff
from scheduling.booking.model import Contact, Participant
from scheduling.catalog import Catalog, Location, Service, Staff
from scheduling.desk.series import Repeat, Unit
from scheduling.errors import InvalidRequest
from scheduling.locations import serving

LIMITS = {"notes": 2000, "participants": 2000, "q": 100, "name": 120}
KEPT = 10_000
"""What is kept of a longer value: enough to say it is too long rather than cut it quietly."""
FIELDS = ("key", "service_id", "staff_id", "location_id", "day", "start", "waive_notice", "q",
          "customer_id", "name", "phone", "email", "notes", "participants", "repeat", "every",
          "unit", "count")
ANYONE = "any"
FURTHEST = timedelta(days=5 * 366)
"""No service books further ahead; a later time (year 9999) would overflow date arithmetic."""
NEW_CUSTOMER = "new"


def typed(source: Mapping[str, object]) -> dict[str, str]:
    """Each known field as typed: text only (a file upload is nothing), trimmed at the ends,
    cut at its limit, without NUL (PostgreSQL refuses it) or undecodable bytes."""
    values = {}
    for name in FIELDS:
        raw = source.get(name)
        text = raw if isinstance(raw, str) else ""
        text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "")
        values[name] = text.strip()[:LIMITS["q"] if name == "q" else KEPT]
    values["key"] = values["key"] if is_key(values["key"]) else secrets.token_urlsafe(18)
    return values


def is_key(text: str) -> bool:
    return 16 <= len(text) <= 40 and text.replace("-", "").replace("_", "").isalnum()


@dataclass
class Chosen:
    """What the form chooses so far; `problems` says, by field, what it cannot use."""

    service: Service
    location: Location | None
    staff: Staff | None
    zone: ZoneInfo
    day: date
    start: datetime | None = None
    problems: dict[str, str] = field(default_factory=dict)


def choose(catalog: Catalog, form: dict[str, str], scope: UUID | None,
           now: datetime) -> Chosen:
    """Service (the first offered when none or an unknown one is named), location, staff
    member (fixed to `scope` for a staff account), day and time."""
    problems: dict[str, str] = {}
    service = _service(catalog, form["service_id"], scope, uuid_or_none(form["staff_id"]),
                       problems)
    location = _location(catalog, service, form["location_id"], problems)
    staff = _staff(catalog, service, location, form["staff_id"], scope, problems)
    zone = location.zone if location else catalog.business.zone
    chosen = Chosen(service, location, staff, zone, now.astimezone(zone).date(),
                    problems=problems)
    _when(chosen, form)
    if chosen.start is not None and not now <= chosen.start <= now + FURTHEST:
        chosen.problems["start"] = ("That time has passed: choose one from the list."
                                    if chosen.start < now else "Choose a time from the list.")
        chosen.start = None
    return chosen


def within_notice(chosen: Chosen, now: datetime) -> bool:
    """Whether the chosen time is sooner than the service's notice allows: a gap in today's
    calendar clicked for a walk-in, which the owner means to book now."""
    start = chosen.start
    return start is not None and now <= start < now + chosen.service.min_notice


def _service(catalog: Catalog, text: str, scope: UUID | None, named: UUID | None,
             problems: dict[str, str]) -> Service:
    """The service named, else the first one the staff account (`scope`), or else the staff
    member the calendar's link names, gives."""
    person = scope or named
    offered = [s for s in catalog.services if person is None or givers(catalog, s, person)]
    if not offered and scope is None:
        offered = list(catalog.services)
    if not offered:
        raise InvalidRequest("no service can be booked here yet", field="service_id")
    found = next((s for s in catalog.services if str(s.id) == text), None)
    if text and found is None:
        problems["service_id"] = "Choose a service from the list."
    return found or offered[0]


def uuid_or_none(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def givers(catalog: Catalog, service: Service, staff_id: UUID) -> bool:
    return any(s.id == staff_id for s in choosable_staff(catalog, service))


def _location(catalog: Catalog, service: Service, text: str,
              problems: dict[str, str]) -> Location | None:
    places = serving(catalog, service)
    found = next((loc for loc in places if str(loc.id) == text), None)
    if text and text != ANYONE and found is None:
        problems["location_id"] = "Choose a location that gives this service."
    if found is None and len(places) == 1:
        return places[0]
    return found


def _staff(catalog: Catalog, service: Service, location: Location | None, text: str,
           scope: UUID | None, problems: dict[str, str]) -> Staff | None:
    people = choosable_staff(catalog, service, location)
    wanted = str(scope) if scope is not None else text
    found = next((s for s in people if str(s.id) == wanted), None)
    if found is None and (scope is not None or text not in ("", ANYONE)):
        problems["staff_id"] = "Choose someone who gives this service (here), or anyone."
    return found


def _when(chosen: Chosen, form: dict[str, str]) -> None:
    """The day (a YYYY-MM-DD, or the day of `start`) and the time; a local `start` without an
    offset (the calendar's link) is read on the location's clock."""
    try:
        if form["start"]:
            chosen.start = _instant(form["start"], chosen.zone)
            chosen.day = chosen.start.astimezone(chosen.zone).date()
        if form["day"]:
            chosen.day = date.fromisoformat(form["day"])
    except (ValueError, OverflowError, InvalidRequest):
        which = "day" if form["day"] and not _is_day(form["day"]) else "start"
        chosen.problems[which] = ("Enter a day like 2027-03-10." if which == "day"
                                  else "Choose a time from the list.")
    if chosen.start and chosen.start.astimezone(chosen.zone).date() != chosen.day:
        chosen.start = None


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _instant(text: str, zone: ZoneInfo) -> datetime:
    found = datetime.fromisoformat(text)
    if found.tzinfo is None:
        return found.replace(tzinfo=zone).astimezone(UTC)
    return start_of(text)


def customer_of(form: dict[str, str], region: str) -> tuple[Contact, dict[str, str]]:
    """A new customer as typed: a name; phone and e-mail are optional for a walk-in."""
    given = {name: form[name] for name in ("name", "phone", "email")}
    contact, problems = contact_of(given, region)
    if not form["phone"] and not form["email"]:
        problems.pop("phone", None)
    if "name" in problems:
        problems["name"] = f"Enter the customer's name (up to {LIMITS['name']} characters)."
    return contact, problems


def notes_problem(form: dict[str, str]) -> dict[str, str]:
    if len(form["notes"]) > LIMITS["notes"]:
        return {"notes": f"Keep the notes under {LIMITS['notes']} characters."}
    return {}


def participants_of(form: dict[str, str], service: Service) -> tuple[Participant, ...]:
    """A group's names, one a line; none books one seat."""
    names = [" ".join(line.split()) for line in form["participants"].splitlines()]
    names = [name for name in names if name]
    if len(form["participants"]) > LIMITS["participants"]:
        raise InvalidRequest("the list of names is too long", field="participants")
    if len(names) > service.max_participants:
        raise InvalidRequest(f"at most {service.max_participants} people in one booking",
                             field="participants")
    if any(len(name) > LIMITS["name"] or not name.isprintable() for name in names):
        raise InvalidRequest("one name a line, up to 120 characters", field="participants")
    return tuple(Participant(name) for name in names)


def repeat_of(form: dict[str, str]) -> Repeat | None:
    """The repetition asked for, or None for a single booking."""
    if form["repeat"] != "yes":
        return None
    try:
        every, count = int(form["every"] or "1"), int(form["count"] or "0")
        unit = Unit(form["unit"] or "weeks")
    except ValueError:
        raise InvalidRequest("enter how often (a number) and how many times",
                             field="every") from None
    return Repeat(every, unit, count)
