"""The catalog screens' forms read into catalog values, and catalog values written back into
form fields. A `Reader` gathers a message for every wrong field (keyed by the field's name, so
the page prints it beside that field) instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar
from uuid import UUID

from assistant.gateway.admin import setup_form as fields
from scheduling import deposit_rules
from scheduling.catalog import CancellationPolicy, Location, Service, Staff
from scheduling.deposit_rules import NO_DEPOSIT, DepositFor, DepositKind, DepositRule
from scheduling.errors import InvalidRequest
from scheduling.hours import WEEKDAYS, Closure, DateOverride, TimeOff, TimeSpan, WeeklyHours, spans

T = TypeVar("T")
FIRST_YEAR, LAST_YEAR = 2000, 2200
LONG = 300
"""The catalog screens' limit for one-line fields (names, addresses, lists of aliases)."""
CLOSURE = "2026-12-25 2026-12-26 Christmas (or one day: 2027-01-01 New Year's Day)"
OVERRIDE = "2026-12-24 09:00-13:00 (or 2026-12-24 off)"
AWAY = "2026-12-20 09:00 - 2026-12-22 18:00 holiday (or a whole day: 2026-12-24 blocked)"
SPANS_HINT = "like 09:00-12:30, 13:30-18:00; each ends by midnight (00:00); blank: none"
DEPOSIT_AUDIENCES = [(who.value, (deposit_rules.AUDIENCE[who] or "everyone").capitalize())
                     for who in DepositFor]
"""The service form's choices of who is asked for the deposit."""


class Reader:
    def __init__(self, form: fields.Form) -> None:
        """A NUL character is refused in any field up front: PostgreSQL stores none, in text
        or in JSON, and nobody types one."""
        self.form = form
        self.problems: fields.Problems = {
            name: "Plain text only, please (this has a control character in it)."
            for name in form if "\x00" in str(form.get(name, ""))}

    def text(self, name: str, label: str, required: bool = False, limit: int = LONG) -> str:
        return fields.text(self.form, name, self.problems, label, required, limit)

    def whole(self, name: str, label: str, low: int, high: int) -> int:
        return fields.whole(self.form, name, self.problems, label, low, high)

    def optional(self, name: str, label: str, low: int, high: int) -> int | None:
        blank = not str(self.form.get(name, "")).strip()
        return None if blank else self.whole(name, label, low, high)

    def amount(self, name: str, label: str) -> str:
        return fields.amount(self.form, name, self.problems, label)

    def minutes(self, name: str, label: str, high: int = 24 * 60) -> timedelta:
        return timedelta(minutes=self.whole(name, label, 0, high))

    def lead_times(self, name: str) -> tuple[timedelta, ...]:
        """Reminder lead times, comma separated: hours ("24, 2") or minutes ("30m")."""
        found = []
        for typed in (t.strip().lower() for t in str(self.form.get(name, "")).split(",")):
            minutes = typed.removesuffix("m")
            hours = typed.removesuffix("h")
            if typed and minutes != typed and minutes.isdecimal():
                found.append(timedelta(minutes=int(minutes)))
            elif typed and hours.isdecimal():
                found.append(timedelta(hours=int(hours)))
            elif typed:
                self.problems[name] = ("Write the reminders as hours before, or minutes with "
                                       "an m, comma separated: 24, 2, 30m.")
        if any(not timedelta(0) < t <= timedelta(days=30) for t in found):
            self.problems[name] = "Each reminder comes between a minute and 30 days before."
        return tuple(found)

    def words(self, name: str) -> frozenset[str]:
        """A comma-separated list, as the owner types skills or languages."""
        return frozenset(w.strip().lower() for w in self.text(name, name).split(",")
                         if w.strip())

    def ids(self, name: str, known: Iterable[UUID]) -> frozenset[UUID]:
        chosen = {str(v) for v in fields.all_values(self.form, name)}
        return frozenset(i for i in known if str(i) in chosen)

    def week(self, prefix: str, label: str) -> WeeklyHours:
        """One text field a weekday (`{prefix}_mon`...): its spans, comma separated."""
        days = []
        for day in WEEKDAYS:
            name = f"{prefix}_{day}"
            typed = [t for t in self.text(name, label).replace(";", ",").split(",") if t.strip()]
            none: tuple[TimeSpan, ...] = ()
            days.append(self.build(name, partial(spans, *typed), none))
        return WeeklyHours(tuple(days))

    def build(self, name: str, make: Callable[[], T], fallback: T) -> T:
        """`make()`, or `fallback` with its refusal kept as the field's problem."""
        try:
            return make()
        except (InvalidRequest, ValueError) as error:
            self.problems.setdefault(name, _hint(name, error))
            return fallback

    def lines(self, name: str, read: Callable[[str], T], example: str) -> tuple[T, ...]:
        """One value a line; the first bad line is reported by its number, with an example."""
        found: list[T] = []
        for number, line in enumerate(str(self.form.get(name, "")).splitlines(), 1):
            try:
                if line.strip():
                    found.append(read(line.strip()))
            except (InvalidRequest, ValueError, IndexError, OverflowError):
                self.problems.setdefault(name, f"Line {number}: write it like {example}.")
        return tuple(found)


def _hint(name: str, error: Exception) -> str:
    if any(name.endswith(f"_{day}") for day in WEEKDAYS):
        return f"Write the times {SPANS_HINT}."
    return str(error)


def day_of(text: str) -> date:
    """A YYYY-MM-DD day within the years anything can be booked in (a year-9999 day would
    overflow once moved to UTC)."""
    found = date.fromisoformat(text)
    if not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise ValueError(f"{text}: a day between {FIRST_YEAR} and {LAST_YEAR}")
    return found


def override(line: str) -> DateOverride:
    """"2026-12-24 09:00-13:00, 14:00-16:00", or "2026-12-24 off"."""
    day, _, rest = line.partition(" ")
    hours = () if rest.strip().lower() in ("", "off") else spans(*rest.split(","))
    return DateOverride(day_of(day), hours)


def away(zone: Any) -> Callable[[str], TimeOff]:
    """"2026-12-24 09:00 - 2026-12-24 13:00 reason" in the location's zone; a bare day
    "2026-12-24 reason" is the whole day (blocked time)."""
    def read(line: str) -> TimeOff:
        parts = line.split()
        if len(parts) >= 5 and parts[2] == "-":
            start = datetime.combine(day_of(parts[0]), time.fromisoformat(parts[1]), zone)
            end = datetime.combine(day_of(parts[3]), time.fromisoformat(parts[4]), zone)
            return TimeOff(start, end, " ".join(parts[5:]))
        day = day_of(parts[0])
        start = datetime.combine(day, time(0), zone)
        end = datetime.combine(day + timedelta(days=1), time(0), zone)
        return TimeOff(start, end, " ".join(parts[1:]))
    return read


def location_of(form: fields.Form, location_id: UUID) -> tuple[Location | None, Reader]:
    read = Reader(form)
    name = read.text("name", "name", required=True)
    zone = fields.zone_name(form, "time_zone", read.problems)
    hours = read.week("hours", "opening hours")
    address = read.text("address", "address")
    closed = read.lines("closures", closure, CLOSURE)
    if read.problems:
        return None, read
    return read.build("name", lambda: Location(location_id, name, zone, hours, address,
                                               closed), None), read


def closure(line: str) -> Closure:
    """"2026-12-25 2026-12-26 Christmas", or one day: "2027-01-01 New Year's Day"."""
    first, _, rest = line.partition(" ")
    last, _, reason = rest.strip().partition(" ")
    try:
        until = day_of(last)
    except ValueError:
        until, reason = day_of(first), rest.strip()
    return Closure(day_of(first), until, reason)


def service_of(form: fields.Form, service_id: UUID, locations: Iterable[UUID]
               ) -> tuple[Service | None, Reader]:
    read = Reader(form)
    values: dict[str, Any] = {
        "name": read.text("name", "name", required=True),
        "duration": timedelta(minutes=read.whole("duration", "duration in minutes", 1, 720)),
        "price": Decimal(read.amount("price", "price")),
        "deposit": _deposit(read),
        "card_required": read.form.get("card_required") == "on",
        "category": read.text("category", "category"),
        "aliases": tuple(sorted(read.words("aliases"))),
        "buffer_before": read.minutes("buffer_before", "buffer before"),
        "buffer_after": read.minutes("buffer_after", "buffer after"),
        "slot_interval": timedelta(minutes=read.whole("slot_interval", "interval", 1, 720)),
        "capacity": read.whole("capacity", "seats", 1, 500),
        "max_participants": read.whole("max_participants", "group size", 1, 500),
        "required_skills": read.words("required_skills"),
        "location_ids": read.ids("location_ids", locations),
        "min_notice": timedelta(minutes=read.whole("min_notice", "notice", 0, 60 * 24 * 365)),
        "max_advance_days": read.whole("max_advance_days", "horizon", 0, 5 * 366),
        "cancellation": _own_terms(read),
    }
    read.lead_times("reminder_hours")  # checked here, saved by set_reminders
    deposit = values["deposit"]
    if deposit.kind is DepositKind.FIXED and deposit.value > values["price"]:
        read.problems["deposit"] = "The deposit cannot be more than the price."
    if values["max_participants"] > values["capacity"]:
        read.problems["max_participants"] = "The group size cannot be more than the seats."
    if read.problems:
        return None, read
    return read.build("name", lambda: Service(service_id, **values), None), read


def _deposit(read: Reader) -> DepositRule:
    """An amount ("30") or a percentage of the price ("20%"), and who is asked for it."""
    try:
        return deposit_rules.parse(str(read.form.get("deposit", "")),
                                   deposit_rules.audience(str(read.form.get("deposit_for", ""))))
    except InvalidRequest as error:
        read.problems[error.field or "deposit"] = (
            f"The deposit must be an amount like 30 or 30.50, or a percentage of the price "
            f"from 0 to 100 like 20% ({error})." if error.field == "deposit" else f"{error}.")
        return NO_DEPOSIT


def _own_terms(read: Reader) -> CancellationPolicy | None:
    """The service's own cancellation terms; None (both blank) follows the business's."""
    hours = read.optional("free_cancellation_hours", "free cancellation hours", 0, 24 * 60)
    if hours is None and not str(read.form.get("late_cancel_fee", "")).strip():
        return None
    fee = Decimal(read.amount("late_cancel_fee", "late cancellation fee"))
    return CancellationPolicy(hours or 0, fee)


def staff_of(form: fields.Form, member: Staff, locations: dict[UUID, Location]
             ) -> tuple[Staff | None, Reader]:
    read = Reader(form)
    places = read.ids("location_ids", locations)
    zone = first_zone(places, locations)
    values: dict[str, Any] = {
        "name": read.text("name", "name", required=True), "location_ids": places,
        "weekly_hours": read.week("hours", "working hours"),
        "breaks": read.week("breaks", "breaks"),
        "skills": read.words("skills"), "languages": read.words("languages") or {"en"},
        "max_bookings_per_day": read.optional("max_bookings_per_day", "daily maximum", 1, 100),
        "overrides": read.lines("overrides", override, OVERRIDE),
        "time_off": tuple(sorted(read.lines("time_off", away(zone), AWAY),
                                 key=lambda o: o.start)),
    }
    if not places:
        read.problems["location_ids"] = "Tick the location(s) this person works at."
    if read.problems:
        return None, read
    return read.build("name", lambda: Staff(member.id, **values,
                                            google_calendar_id=member.google_calendar_id),
                      None), read


def first_zone(places: Iterable[UUID], locations: dict[UUID, Location]) -> Any:
    """The zone a staff member's time off is typed in: their first location's, in the
    catalog's order (the business's first location's when none is ticked)."""
    chosen = set(places)
    ordered = list(locations.values())
    return next((loc.zone for loc in ordered if loc.id in chosen), ordered[0].zone)


def lead_times_text(offsets: Iterable[timedelta]) -> str:
    """What `Reader.lead_times` reads back: whole hours as hours, the rest in minutes."""
    minutes = [int(o.total_seconds() // 60) for o in offsets]
    return ", ".join(str(m // 60) if m % 60 == 0 else f"{m}m" for m in minutes)


def week_fields(prefix: str, hours: WeeklyHours) -> dict[str, str]:
    return {f"{prefix}_{day}": ", ".join(str(s) for s in day_spans)
            for day, day_spans in zip(WEEKDAYS, hours.days, strict=True)}


def location_fields(location: Location) -> dict[str, str]:
    return {"name": location.name, "time_zone": location.time_zone,
            "address": location.address, **week_fields("hours", location.opening_hours),
            "closures": "\n".join(f"{c.first_day.isoformat()} {c.last_day.isoformat()} "
                                   f"{c.reason}".strip() for c in location.closures)}


def service_fields(service: Service) -> dict[str, Any]:
    def minutes(value: timedelta) -> str:
        return str(int(value.total_seconds() // 60))
    return {"name": service.name, "duration": minutes(service.duration),
            "price": str(service.price), "deposit": deposit_rules.text(service.deposit),
            "deposit_for": service.deposit.applies_to.value,
            "card_required": "on" if service.card_required else "",
            "category": service.category, "aliases": ", ".join(service.aliases),
            "buffer_before": minutes(service.buffer_before),
            "buffer_after": minutes(service.buffer_after),
            "slot_interval": minutes(service.slot_interval), "capacity": str(service.capacity),
            "max_participants": str(service.max_participants),
            "required_skills": ", ".join(sorted(service.required_skills)),
            "location_ids": [str(i) for i in service.location_ids],
            "min_notice": minutes(service.min_notice),
            "max_advance_days": str(service.max_advance_days),
            **_terms_fields(service.cancellation)}


def _terms_fields(terms: CancellationPolicy | None) -> dict[str, str]:
    if terms is None:
        return {"free_cancellation_hours": "", "late_cancel_fee": ""}
    return {"free_cancellation_hours": str(terms.free_cancellation_hours),
            "late_cancel_fee": str(terms.late_cancel_fee)}


def staff_fields(member: Staff, zone: Any) -> dict[str, Any]:
    def moment(at: datetime) -> str:
        """The form's own input syntax (what `away` reads), not a display."""
        return at.astimezone(zone).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    return {"name": member.name, "location_ids": [str(i) for i in member.location_ids],
            **week_fields("hours", member.weekly_hours), **week_fields("breaks", member.breaks),
            "skills": ", ".join(sorted(member.skills)),
            "languages": ", ".join(sorted(member.languages)),
            "max_bookings_per_day": str(member.max_bookings_per_day or ""),
            "overrides": "\n".join(f"{o.day.isoformat()} " + (", ".join(map(str, o.spans))
                                                             or "off")
                                   for o in member.overrides),
            "time_off": "\n".join(f"{moment(o.start)} - {moment(o.end)} {o.reason}".strip()
                                  for o in member.time_off)}
