"""YAML text -> `Catalog`, or a `CatalogFileError` listing every problem by line and field.

Locations are referred to by name; an entity without an `id` gets one derived from its name
(and its business's), so importing the same file twice updates rather than duplicates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import TypeVar
from uuid import NAMESPACE_URL, UUID, uuid5
from zoneinfo import ZoneInfo

import yaml

from scheduling import deposit_rules
from scheduling.booking.policies import BookingRules
from scheduling.catalog import (
    Business,
    BusinessPolicies,
    CancellationPolicy,
    Catalog,
    Contact,
    Location,
    LocationType,
    Service,
    Staff,
    normalise,
    zone,
)
from scheduling.catalog_yaml import keys
from scheduling.catalog_yaml.nodes import CatalogFileError, Field, Fields, Problem
from scheduling.catalog_yaml.rules import parse_yes_no, read_offsets, read_rules
from scheduling.catalog_yaml.values import (
    parse_count,
    parse_day,
    parse_duration,
    parse_id,
    parse_moment,
    parse_money,
    parse_spans,
    zone_name,
)
from scheduling.deposit_rules import NO_DEPOSIT, DepositFor
from scheduling.desk.setup.checks import no_overlaps
from scheduling.desk.setup.replace import Reminders
from scheduling.errors import InvalidRequest
from scheduling.hours import WEEKDAYS, Closure, DateOverride, TimeOff, TimeSpan, WeeklyHours
from scheduling.notifications.reminders import DEFAULT_OFFSETS

NAMESPACE = uuid5(NAMESPACE_URL, "https://booking-assistant.local/catalog/")
T = TypeVar("T")


def derived_id(kind: str, name: str, parent: UUID = NAMESPACE) -> UUID:
    """The id an entry without one gets: the same name, the same id, on every import."""
    return uuid5(parent, f"{kind}/{normalise(name)}")


@dataclass(frozen=True, slots=True)
class CatalogFile:
    """What a file sets: its catalog, and the rules and reminders when it has them."""

    catalog: Catalog
    rules: BookingRules | None = None
    reminders: Reminders | None = None


def read_catalog(text: str) -> Catalog:
    return read_file(text).catalog


def read_file(text: str) -> CatalogFile:
    problems: list[Problem] = []
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise CatalogFileError([_not_yaml(error, text)]) from error
    if node is None:
        raise CatalogFileError([Problem(1, "", "the file is empty")])
    reader = _Reader(Field(node, "", problems))
    catalog = reader.catalog()
    if problems or catalog is None:
        raise CatalogFileError(problems)
    return CatalogFile(catalog, reader.rules, reader.reminders())


def _not_yaml(error: yaml.YAMLError, text: str) -> Problem:
    """Where the parser gave up: a mark, or a character position (`ReaderError`)."""
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        return Problem(mark.line + 1 if mark else 1, "", f"not valid YAML: {error.problem}")
    if isinstance(error, yaml.reader.ReaderError):
        line = text[:error.position].count("\n") + 1
        return Problem(line, "", f"not valid YAML: {error.reason} (character {error.position})")
    return Problem(1, "", f"not valid YAML: {error}")


def _not_empty(top: Fields, key: str, filled: bool, message: str) -> None:
    """A required part written but left empty (`locations: []`)."""
    place = top.found.get(key)
    if place is not None and not filled:
        place.fail(message)


class _Reader:
    def __init__(self, root: Field) -> None:
        self.root = root
        self.zone = ZoneInfo("UTC")
        self.business_id = NAMESPACE
        self.places: dict[str, UUID] = {}
        self.named: set[tuple[str, str]] = set()
        self.ids: set[UUID] = set()
        self.rules: BookingRules | None = None
        self.offsets: dict[str, tuple[timedelta, ...]] = {}
        """Reminder lead times by service name, the business's under "" ."""

    def catalog(self) -> Catalog | None:
        top = self.root.mapping(keys.TOP, required=("business", "locations"))
        about = top.get("business")
        head = about.mapping(keys.BUSINESS, required=("name", "time_zone")) if about else None
        if head is not None:
            self._identify(head)
        locations = self._each(top, "locations", self._location)
        staff = self._each(top, "staff", self._staff)
        services = self._each(top, "services", self._service)
        rules = top.get("booking_rules")
        self.rules = None if rules is None else read_rules(rules)
        _not_empty(top, "business", about is not None, "needs a name and a time_zone")
        _not_empty(top, "locations", any(top.each("locations")), "needs at least one location")
        if about is None or head is None or not locations:
            return None
        business = about.built(0, self._business, dict(head=head, locations=tuple(locations)))
        return None if business is None else Catalog(business, tuple(staff), tuple(services))

    def reminders(self) -> Reminders | None:
        """The file's lead times, when it sets any (a service's alone included)."""
        if not self.offsets:
            return None
        services = {name: offsets for name, offsets in self.offsets.items() if name}
        return Reminders(self.offsets.get("", DEFAULT_OFFSETS), services)

    def _offsets(self, fields: Fields, name: str) -> None:
        place = fields.get("reminders")
        if place is not None:
            self.offsets[name] = read_offsets(place)

    def _identify(self, head: Fields) -> None:
        name = head.parse("name", str, "")
        self._offsets(head, "")
        self.zone = head.parse("time_zone", zone, self.zone)
        self.business_id = head.parse("id", parse_id, derived_id("business", name))

    def _each(self, top: Fields, key: str, read: Callable[[Field], T | None]) -> list[T]:
        read_all = [read(place) for place in top.each(key)]
        return [value for value in read_all if value is not None]

    def _id(self, place: Field, fields: Fields, kind: str, name: str) -> UUID:
        """The entry's id; a second entry of one name (as the bot compares names) or of one
        id is refused: they would be one row."""
        found = fields.parse("id", parse_id, derived_id(kind, name, self.business_id))
        if (kind, normalise(name)) in self.named:
            place.fail(f"a second {kind} named {name!r}")
        elif found in self.ids:
            place.fail(f"id {found} is used twice")
        self.named.add((kind, normalise(name)))
        self.ids.add(found)
        return found

    def _business(self, *, head: Fields, locations: tuple[Location, ...]) -> Business:
        return Business(
            id=self.business_id, name=head.parse("name", str, ""),
            time_zone=str(self.zone), locations=locations,
            contact=self._contact(head.get("contact")), policies=self._policies(head),
        )

    def _contact(self, place: Field | None) -> Contact:
        if place is None:
            return Contact()
        fields = place.mapping(keys.CONTACT)
        return Contact(*(fields.parse(key, str, None) for key in keys.CONTACT))

    def _policies(self, head: Fields) -> BusinessPolicies:
        return BusinessPolicies(
            cancellation=self._cancellation(head.get("cancellation")) or CancellationPolicy(),
            currency=head.parse("currency", str, "USD"),
            no_show_fee=head.parse("no_show_fee", parse_money, Decimal(0)),
        )

    def _cancellation(self, place: Field | None) -> CancellationPolicy | None:
        if place is None:
            return None
        fields = place.mapping(keys.CANCELLATION)
        hours = fields.parse("free_before", parse_duration, timedelta(hours=24))
        if hours % timedelta(hours=1):
            (fields.get("free_before") or place).fail("must be whole hours, like \"24h\"")
        return place.built(len(place.problems), CancellationPolicy, dict(
            free_cancellation_hours=hours // timedelta(hours=1),
            late_cancel_fee=fields.parse("late_fee", parse_money, Decimal(0))))

    def _location(self, place: Field) -> Location | None:
        before = len(place.problems)
        fields = place.mapping(keys.LOCATION, required=("name", "hours"))
        name = fields.parse("name", str, "")
        location_id = self._id(place, fields, "location", name)
        self.places[name] = location_id
        return place.built(before, Location, dict(
            id=location_id, name=name,
            time_zone=fields.parse("time_zone", zone_name, str(self.zone)),
            opening_hours=self._week(fields.get("hours")), address=fields.parse("address", str, ""),
            closures=tuple(filter(None, map(self._closure, fields.each("closures")))),
        ))

    def _closure(self, place: Field) -> Closure | None:
        fields = place.mapping(keys.CLOSURE, required=("from",))
        first = fields.parse("from", parse_day, None)
        if first is None:
            return None
        return place.built(len(place.problems), Closure, dict(
            first_day=first, last_day=fields.parse("to", parse_day, first),
            reason=fields.parse("reason", str, "")))

    def _week(self, place: Field | None) -> WeeklyHours:
        if place is None:
            return WeeklyHours()
        fields = place.mapping(WEEKDAYS)
        return WeeklyHours(tuple(self._day(fields.get(day), index)
                                 for index, day in enumerate(WEEKDAYS)))

    def _day(self, place: Field | None, weekday: int) -> tuple[TimeSpan, ...]:
        """One weekday's spans, refused when two of them overlap (a typo, not a meaning)."""
        if place is None:
            return ()
        parts = [item.parse(parse_spans) for item in place.items()]
        spans = tuple(span for found in parts if found for span in found)
        alone = tuple(spans if day == weekday else () for day in range(len(WEEKDAYS)))
        try:
            no_overlaps(WeeklyHours(alone), place.path)
        except InvalidRequest as error:
            place.fail(str(error).removeprefix(f"{place.path}: "))
        return spans

    def _where(self, fields: Fields, key: str) -> frozenset[UUID]:
        names = fields.texts(key)
        unknown = [name for name in names if name not in self.places]
        if unknown:
            (fields.get(key) or fields.owner).fail(
                f"no location named {', '.join(map(repr, unknown))}")
        return frozenset(self.places[name] for name in names if name in self.places)

    def _staff(self, place: Field) -> Staff | None:
        before = len(place.problems)
        fields = place.mapping(keys.STAFF, required=("name", "hours"))
        name = fields.parse("name", str, "")
        everywhere = frozenset(self.places.values())
        return place.built(before, Staff, dict(
            id=self._id(place, fields, "staff", name), name=name,
            location_ids=self._where(fields, "locations") or everywhere,
            weekly_hours=self._week(fields.get("hours")), breaks=self._week(fields.get("breaks")),
            time_off=tuple(filter(None, map(self._time_off, fields.each("time_off")))),
            overrides=tuple(filter(None, map(self._override, fields.each("overrides")))),
            skills=frozenset(fields.texts("skills")),
            languages=frozenset(fields.texts("languages") or ["en"]),
            max_bookings_per_day=fields.parse("max_bookings_per_day", parse_count, None),
            google_calendar_id=fields.parse("google_calendar_id", str, None),
        ))

    def _time_off(self, place: Field) -> TimeOff | None:
        fields = place.mapping(keys.TIME_OFF, required=("from", "to"))
        start = fields.parse("from", lambda text: parse_moment(text, self.zone), None)
        end = fields.parse("to", lambda text: parse_moment(text, self.zone), None)
        if start is None or end is None:
            return None
        return place.built(len(place.problems), TimeOff, dict(
            start=start, end=end, reason=fields.parse("reason", str, "")))

    def _override(self, place: Field) -> DateOverride | None:
        fields = place.mapping(keys.OVERRIDE, required=("day",))
        day = fields.parse("day", parse_day, None)
        spans = fields.parse("hours", parse_spans, None) or ()
        return None if day is None else DateOverride(day, spans)

    def _service(self, place: Field) -> Service | None:
        before = len(place.problems)
        fields = place.mapping(keys.SERVICE, required=("name", "duration", "price"))
        name = fields.parse("name", str, "")
        minutes = self._minutes(fields)
        self._offsets(fields, name)
        return place.built(before, Service, dict(
            id=self._id(place, fields, "service", name), name=name,
            duration=minutes("duration", timedelta(0)),
            price=fields.parse("price", parse_money, Decimal(0)),
            category=fields.parse("category", str, ""), aliases=tuple(fields.texts("aliases")),
            buffer_before=minutes("buffer_before", timedelta(0)),
            buffer_after=minutes("buffer_after", timedelta(0)),
            slot_interval=minutes("slot_interval", timedelta(minutes=15)),
            capacity=fields.parse("capacity", parse_count, 1),
            required_skills=frozenset(fields.texts("skills")),
            location_type=fields.parse("location_type", LocationType, LocationType.IN_PERSON),
            location_ids=self._where(fields, "locations"),
            min_notice=minutes("min_notice", timedelta(hours=1)),
            max_advance_days=fields.parse("max_advance_days", parse_count, 60),
            deposit=fields.parse("deposit", partial(
                deposit_rules.parse, applies_to=fields.parse("deposit_for", deposit_rules.audience,
                                                             DepositFor.EVERYONE)), NO_DEPOSIT),
            card_required=fields.parse("card_required", parse_yes_no, False),
            cancellation=self._cancellation(fields.get("cancellation")),
            min_participants=fields.parse("min_participants", parse_count, 1),
            max_participants=fields.parse("max_participants", parse_count, 1),
        ))

    def _minutes(self, fields: Fields) -> Callable[[str, timedelta], timedelta]:
        return lambda key, default: fields.parse(key, parse_duration, default)
