"""`Catalog` -> the YAML text `read.read_catalog` reads back to the same catalog.

Every id is written, so renaming an entry in the file keeps its appointments. A field equal to
what the reader would assume without it is left out (found by writing a bare entry the same
way), so the file shows what is particular to the business.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

import yaml

from scheduling import deposit_rules
from scheduling.booking.policies import BookingRules
from scheduling.catalog import Business, CancellationPolicy, Catalog, Location, Service, Staff
from scheduling.catalog_yaml import keys
from scheduling.catalog_yaml.rules import NO, YES, write_offsets, write_rules
from scheduling.catalog_yaml.values import (
    format_duration,
    format_moment,
    format_money,
    format_spans,
)
from scheduling.desk.setup.replace import Reminders
from scheduling.hours import WEEKDAYS, Closure, DateOverride, TimeOff, WeeklyHours

Data = dict[str, Any]
HEADER = """\
# The catalog of {name}, as `python -m assistant catalog export` writes it and
# `python -m assistant catalog import FILE.yml` reads it. The format: docs/catalog-yaml.md
"""
NOBODY = UUID(int=0)


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    """Lists indented under their key, lists of words on one line, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    words = all(isinstance(item, str) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=words)


_Dumper.add_representer(list, _list)


def write_catalog(
    catalog: Catalog, rules: BookingRules | None = None, reminders: Reminders | None = None
) -> str:
    """`rules` and `reminders`, when given, are written too (an import then sets them)."""
    writer = _Writer(catalog.business)
    business = writer.business(catalog.business)
    services = [writer.service(service) for service in catalog.services]
    if reminders is not None:
        business["reminders"] = write_offsets(reminders.business)
        for entry in services:
            if entry["name"] in reminders.services:
                entry["reminders"] = write_offsets(reminders.services[entry["name"]])
    data: Data = {
        "business": business,
        "locations": [writer.location(location) for location in catalog.business.locations],
        "staff": [writer.staff(member) for member in catalog.staff],
        "services": services,
    }
    if rules is not None:
        data["booking_rules"] = write_rules(rules)
    text = str(yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100))
    return HEADER.format(name=catalog.business.name) + text


def _trimmed(data: Data, bare: Data, order: tuple[str, ...], always: tuple[str, ...]) -> Data:
    """`data` in `order`, without what a bare entry has too (what the reader assumes)."""
    return {key: data[key] for key in order
            if key in data and (key in always or data[key] != bare.get(key))}


def _cancellation(policy: CancellationPolicy | None) -> Data | None:
    if policy is None:
        return None
    return {"free_before": f"{policy.free_cancellation_hours}h",
            "late_fee": format_money(policy.late_cancel_fee)}


def _week(hours: WeeklyHours) -> Data:
    return {day: format_spans(spans)
            for day, spans in zip(WEEKDAYS, hours.days, strict=True) if spans}


def _closure(closure: Closure) -> Data:
    data: Data = {"from": closure.first_day.isoformat(), "to": closure.last_day.isoformat(),
                  "reason": closure.reason or None}
    return _trimmed(data, {"to": data["from"]}, keys.CLOSURE, ())


def _override(override: DateOverride) -> Data:
    return {"day": override.day.isoformat(), "hours": format_spans(override.spans)}


class _Writer:
    def __init__(self, business: Business) -> None:
        self.zone: ZoneInfo = business.zone
        self.time_zone = business.time_zone
        self.names = {location.id: location.name for location in business.locations}

    def _places(self, ids: frozenset[UUID], everywhere_is: frozenset[UUID]) -> list[str]:
        """Location names; none when `ids` is what an entry without them gets."""
        if ids == everywhere_is:
            return []
        return [name for location_id, name in self.names.items() if location_id in ids]

    def business(self, business: Business) -> Data:
        bare = Business(NOBODY, business.name, business.time_zone, business.locations)
        return _trimmed(self._business(business), self._business(bare), keys.BUSINESS,
                        ("name", "time_zone", "currency", "cancellation"))

    def _business(self, business: Business) -> Data:
        contact = business.contact
        return {
            "id": str(business.id), "name": business.name, "time_zone": business.time_zone,
            "currency": business.policies.currency,
            "contact": _trimmed({"phone": contact.phone, "email": contact.email,
                                 "website": contact.website}, {}, keys.CONTACT, ()),
            "cancellation": _cancellation(business.policies.cancellation),
            "no_show_fee": format_money(business.policies.no_show_fee),
        }

    def location(self, location: Location) -> Data:
        bare = Location(NOBODY, location.name, self.time_zone, WeeklyHours())
        return _trimmed(self._location(location), self._location(bare), keys.LOCATION,
                        ("name", "hours"))

    def _location(self, location: Location) -> Data:
        return {
            "id": str(location.id), "name": location.name, "time_zone": location.time_zone,
            "address": location.address, "hours": _week(location.opening_hours),
            "closures": [_closure(closure) for closure in location.closures],
        }

    def staff(self, member: Staff) -> Data:
        everywhere = frozenset(self.names)
        bare = Staff(NOBODY, member.name, everywhere, WeeklyHours())
        return _trimmed(self._staff(member, everywhere), self._staff(bare, everywhere),
                        keys.STAFF, ("name", "hours"))

    def _staff(self, member: Staff, everywhere: frozenset[UUID]) -> Data:
        return {
            "id": str(member.id), "name": member.name,
            "locations": self._places(member.location_ids, everywhere),
            "hours": _week(member.weekly_hours), "breaks": _week(member.breaks),
            "time_off": [self._time_off(off) for off in member.time_off],
            "overrides": [_override(override) for override in member.overrides],
            "skills": sorted(member.skills), "languages": sorted(member.languages),
            "max_bookings_per_day": member.max_bookings_per_day,
            "google_calendar_id": member.google_calendar_id,
        }

    def _time_off(self, off: TimeOff) -> Data:
        data = {"from": format_moment(off.start, self.zone),
                "to": format_moment(off.end, self.zone), "reason": off.reason or None}
        return _trimmed(data, {}, keys.TIME_OFF, ())

    def service(self, service: Service) -> Data:
        bare = Service(NOBODY, service.name, timedelta(minutes=1), Decimal(0))
        return _trimmed(self._service(service), self._service(bare), keys.SERVICE,
                        ("name", "duration", "price"))

    def _service(self, service: Service) -> Data:
        durations = ("duration", "buffer_before", "buffer_after", "slot_interval", "min_notice")
        return {
            "id": str(service.id), "name": service.name, "category": service.category,
            "aliases": list(service.aliases),
            **{key: format_duration(getattr(service, key)) for key in durations},
            "price": format_money(service.price), "deposit": deposit_rules.text(service.deposit),
            "deposit_for": service.deposit.applies_to.value,
            "card_required": YES[0] if service.card_required else NO[0],
            "capacity": service.capacity, "min_participants": service.min_participants,
            "max_participants": service.max_participants,
            "skills": sorted(service.required_skills),
            "location_type": service.location_type.value,
            "locations": self._places(service.location_ids, frozenset()),
            "max_advance_days": service.max_advance_days,
            "cancellation": _cancellation(service.cancellation),
        }
