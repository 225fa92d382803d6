"""How each kind of catalog value travels in the admin API: its JSON Schema, and the two
directions between JSON and the domain value. Reading refuses anything off the schema (and
anything the schema cannot say, like a span past midnight) with a 422 naming the field."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from assistant.gateway.api.params import HISTORY, invalid, uuid_of, when_of
from assistant.gateway.api.schemas import UUID as UUID_SCHEMA
from assistant.gateway.api.schemas import WHEN, Schema, nullable, obj
from scheduling.catalog import CancellationPolicy, LocationType, zone
from scheduling.desk.setup.checks import built
from scheduling.hours import WEEKDAYS, Closure, DateOverride, TimeOff, WeeklyHours, spans

MONEY_TEXT = re.compile(r"^\d{1,9}(\.\d{1,2})?$")
SPAN = r"^\d{2}:\d{2}-\d{2}:\d{2}$"
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True, slots=True)
class Codec:
    schema: Schema
    read: Callable[[Any, str], Any]
    write: Callable[[Any], Any]


def _same(value: Any) -> Any:
    return value


def text(limit: int, required: bool = False) -> Codec:
    def read(value: Any, field: str) -> str:
        if not isinstance(value, str) or "\x00" in value or len(value) > limit:
            raise invalid(field, f"must be text of at most {limit} characters")
        if required and not value.strip():
            raise invalid(field, "must not be empty")
        return value.strip()
    return Codec({"type": "string", "maxLength": limit, **({"minLength": 1} if required else {})},
                 read, _same)


def optional_text(limit: int) -> Codec:
    inner = text(limit)
    return Codec(nullable(inner.schema),
                 lambda value, field: None if value is None else inner.read(value, field) or None,
                 _same)


def integer(low: int, high: int) -> Codec:
    def read(value: Any, field: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise invalid(field, f"must be a whole number from {low} to {high}")
        return value
    return Codec({"type": "integer", "minimum": low, "maximum": high}, read, _same)


def optional_integer(low: int, high: int) -> Codec:
    inner = integer(low, high)
    return Codec(nullable(inner.schema),
                 lambda value, field: None if value is None else inner.read(value, field), _same)


def boolean() -> Codec:
    def read(value: Any, field: str) -> bool:
        if not isinstance(value, bool):
            raise invalid(field, "must be true or false")
        return value
    return Codec({"type": "boolean"}, read, _same)


def minutes(low: int, high: int) -> Codec:
    """A duration as whole minutes."""
    inner = integer(low, high)
    return Codec(inner.schema, lambda value, field: timedelta(minutes=inner.read(value, field)),
                 lambda value: int(value.total_seconds() // 60))


def money() -> Codec:
    def read(value: Any, field: str) -> Decimal:
        if not isinstance(value, str) or not MONEY_TEXT.match(value):
            raise invalid(field, "must be an amount as text, like \"25.00\"")
        try:
            return Decimal(value)
        except InvalidOperation:
            raise invalid(field, "is not an amount") from None
    return Codec({"type": "string", "pattern": MONEY_TEXT.pattern}, read, str)


def time_zone() -> Codec:
    def read(value: Any, field: str) -> str:
        name: str = text(64, required=True).read(value, field)
        built(field, lambda: zone(name))
        return name
    return Codec({"type": "string", "minLength": 1, "maxLength": 64}, read, _same)


def words(limit: int, items: int = 30) -> Codec:
    """A list of short texts (aliases, skills, languages), kept in order, without repeats."""
    one = text(limit, required=True)

    def read(value: Any, field: str) -> tuple[str, ...]:
        if not isinstance(value, list) or len(value) > items:
            raise invalid(field, f"must be a list of at most {items} texts")
        return tuple(dict.fromkeys(one.read(item, field) for item in value))
    return Codec({"type": "array", "maxItems": items, "items": one.schema}, read,
                 lambda value: sorted(value) if isinstance(value, frozenset) else list(value))


def word_set(limit: int) -> Codec:
    inner = words(limit)
    return Codec(inner.schema, lambda value, field: frozenset(inner.read(value, field)),
                 inner.write)


def ids() -> Codec:
    def read(value: Any, field: str) -> frozenset[UUID]:
        if not isinstance(value, list) or len(value) > 50:
            raise invalid(field, "must be a list of at most 50 ids")
        return frozenset(uuid_of(item, field) for item in value)
    return Codec({"type": "array", "maxItems": 50, "items": UUID_SCHEMA}, read,
                 lambda value: sorted(str(item) for item in value))


def location_type() -> Codec:
    choices = [kind.value for kind in LocationType]

    def read(value: Any, field: str) -> LocationType:
        if value not in choices:
            raise invalid(field, f"must be one of {', '.join(choices)}")
        return LocationType(value)
    return Codec({"type": "string", "enum": choices}, read, lambda value: value.value)


HOURS_SCHEMA = {"type": "object", "additionalProperties": False, "properties": {
    day: {"type": "array", "maxItems": 6, "items": {"type": "string", "pattern": SPAN}}
    for day in WEEKDAYS}}


def hours() -> Codec:
    """{"mon": ["09:00-12:00", "13:00-17:00"], ...}: a day left out is closed."""
    def read(value: Any, field: str) -> WeeklyHours:
        if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
            raise invalid(field, "must map weekdays (mon..sun) to lists of \"09:00-17:00\"")
        if any(len(v) > 6 or not all(isinstance(s, str) for s in v) for v in value.values()):
            raise invalid(field, "at most six \"HH:MM-HH:MM\" spans a day")
        return built(field, lambda: WeeklyHours.of(value))
    return Codec(HOURS_SCHEMA, read, lambda value: value.as_dict())


def day_of(value: Any, field: str) -> date:
    try:
        found = date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        found = None
    if found is None or not FIRST_YEAR <= found.year <= LAST_YEAR:
        raise invalid(field, f"must be a date (YYYY-MM-DD) from {FIRST_YEAR} to {LAST_YEAR}")
    return found


def _listed(item_schema: Schema, read_one: Callable[[dict[str, Any], str], Any],
            write_one: Callable[[Any], Any], items: int = 100) -> Codec:
    def read(value: Any, field: str) -> tuple[Any, ...]:
        if not isinstance(value, list) or len(value) > items:
            raise invalid(field, f"must be a list of at most {items}")
        if not all(isinstance(item, dict) for item in value):
            raise invalid(field, "each item must be an object")
        return tuple(read_one(item, field) for item in value)
    return Codec({"type": "array", "maxItems": items, "items": item_schema}, read,
                 lambda value: [write_one(item) for item in value])


DATE = {"type": "string", "format": "date"}


def closures() -> Codec:
    def read_one(item: dict[str, Any], field: str) -> Closure:
        first, last = day_of(item.get("first_day"), field), day_of(item.get("last_day"), field)
        reason = text(200).read(item.get("reason", ""), field)
        return built(field, lambda: Closure(first, last, reason))
    return _listed(obj(["first_day", "last_day"], first_day=DATE, last_day=DATE,
                       reason={"type": "string", "maxLength": 200}), read_one,
                   lambda c: {"first_day": str(c.first_day), "last_day": str(c.last_day),
                              "reason": c.reason})


def overrides() -> Codec:
    """One date with its own spans; no spans is the day off."""
    def read_one(item: dict[str, Any], field: str) -> DateOverride:
        listed = item.get("spans", [])
        if not isinstance(listed, list) or not all(isinstance(s, str) for s in listed):
            raise invalid(field, "spans must be a list of \"HH:MM-HH:MM\"")
        return DateOverride(day_of(item.get("day"), field), built(field, lambda: spans(*listed)))
    return _listed(obj(["day"], day=DATE, spans={"type": "array", "maxItems": 6, "items": {
        "type": "string", "pattern": SPAN}}), read_one,
        lambda o: {"day": str(o.day), "spans": [str(s) for s in o.spans]})


def time_off_of(item: dict[str, Any], field: str) -> TimeOff:
    start = when_of(item.get("start"), f"{field}.start", HISTORY)
    end = when_of(item.get("end"), f"{field}.end", HISTORY)
    reason = text(200).read(item.get("reason", ""), f"{field}.reason")
    if end <= start:
        raise invalid(f"{field}.end", "must be after the start")
    return TimeOff(start, end, reason)


TIME_OFF_SCHEMA = obj(["start", "end"], start=WHEN, end=WHEN,
                      reason={"type": "string", "maxLength": 200})


def time_off_json(off: TimeOff) -> dict[str, Any]:
    return {"start": off.start.isoformat(), "end": off.end.isoformat(), "reason": off.reason}


def time_off() -> Codec:
    return _listed(TIME_OFF_SCHEMA, time_off_of, time_off_json, items=500)


def cancellation() -> Codec:
    """A service's own policy, or null for the business's."""
    hours_codec, fee = integer(0, 24 * 60), money()

    def read(value: Any, field: str) -> CancellationPolicy | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise invalid(field, "must be an object or null")
        return CancellationPolicy(hours_codec.read(value.get("free_hours"), f"{field}.free_hours"),
                                  fee.read(value.get("late_fee", "0"), f"{field}.late_fee"))
    return Codec(nullable(obj(["free_hours"], free_hours=hours_codec.schema, late_fee=fee.schema)),
                 read, lambda p: None if p is None else {
                     "free_hours": p.free_cancellation_hours, "late_fee": str(p.late_cancel_fee)})



def currency() -> Codec:
    """An ISO 4217 code, as Babel formats prices with it."""
    def read(value: Any, field: str) -> str:
        if not isinstance(value, str) or not re.fullmatch(r"[A-Z]{3}", value):
            raise invalid(field, "must be a three-letter currency code, like USD")
        return value
    return Codec({"type": "string", "pattern": "^[A-Z]{3}$"}, read, _same)
