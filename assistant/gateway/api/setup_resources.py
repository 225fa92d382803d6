"""Each catalog resource of the admin API as a table of fields: the JSON name, the domain
attribute and its codec. The table gives the request and response schemas, turns a value into
JSON, and reads a create (every required field) or a partial edit (only the fields sent, laid
over the current value), so the documented shape and the accepted one cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Generic, TypeVar
from uuid import uuid4

from assistant.gateway.api import deposit_policy
from assistant.gateway.api import setup_codecs as c
from assistant.gateway.api.params import invalid
from assistant.gateway.api.schemas import UUID, Schema
from scheduling.booking.policies import BookingRules
from scheduling.catalog import (
    Business,
    BusinessPolicies,
    CancellationPolicy,
    Contact,
    Location,
    Service,
    Staff,
)
from scheduling.desk.setup.checks import built
from scheduling.desk.setup.values import MessageParts
from scheduling.errors import InvalidRequest

T = TypeVar("T")
Fields = Mapping[str, tuple[str, c.Codec]]


@dataclass(frozen=True)
class Resource(Generic[T]):
    """`required`: what a create must send; `identified`: a create gets a new `id`."""

    name: str
    fields: Fields
    make: Callable[..., T]
    required: tuple[str, ...] = ()
    identified: bool = True
    fold: Callable[[dict[str, Any], Any], dict[str, Any]] = lambda values, base: values
    """Turns the values read into the constructor's (two JSON fields of one attribute)."""

    def schema(self, *, request: bool, create: bool = False, **extra: Schema) -> Schema:
        """A request body (a create requires `required`; `extra` are the route's own fields,
        like `notify`), or the value as answered (with its id and `extra`)."""
        properties = {name: codec.schema for name, (_, codec) in self.fields.items()} | extra
        if request:
            return {"type": "object", "additionalProperties": False,
                    "required": list(self.required) if create else [],
                    "properties": properties}
        out = ({"id": UUID} if self.identified else {}) | properties
        return {"type": "object", "required": list(out), "properties": out}

    def to_json(self, item: T) -> dict[str, Any]:
        out = {name: codec.write(getattr(item, attr))
               for name, (attr, codec) in self.fields.items()}
        if not self.identified:
            return out
        return {"id": str(getattr(item, "id"))} | out  # noqa: B009 (T: any resource)

    def read(self, data: Mapping[str, Any], base: T | None) -> T:
        """A new value from `data` (`base` None: a create) or `base` with `data` laid over."""
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise invalid(unknown[0], f"is not a field of a {self.name}")
        missing = [name for name in self.required if base is None and name not in data]
        if missing:
            raise invalid(missing[0], "is required")
        values = self.fold({self.fields[name][0]: self.fields[name][1].read(value, name)
                            for name, value in data.items()}, base)
        try:
            if base is None:
                values = ({"id": uuid4()} if self.identified else {}) | values
                return built(self.name, lambda: self.make(**values))
            return built(self.name, lambda: replace(base, **values))  # type: ignore[type-var]
        except InvalidRequest as error:
            raise invalid(self._json_name(error.field), str(error)) from None

    def _json_name(self, attr: str | None) -> str:
        """The request's name for a domain attribute (`duration` is `duration_minutes`)."""
        named = (name for name, (field, _) in self.fields.items() if field == attr)
        return next(named, attr or self.name)


LOCATION = Resource[Location]("location", {
    "name": ("name", c.text(200, required=True)),
    "time_zone": ("time_zone", c.time_zone()),
    "address": ("address", c.text(500)),
    "opening_hours": ("opening_hours", c.hours()),
    "closures": ("closures", c.closures()),
}, Location, required=("name", "time_zone", "opening_hours"))


SERVICE = Resource[Service]("service", {
    "name": ("name", c.text(200, required=True)),
    "category": ("category", c.text(100)),
    "aliases": ("aliases", c.words(100)),
    "duration_minutes": ("duration", c.minutes(1, 24 * 60)),
    "price": ("price", c.money()),
    "deposit": ("deposit", deposit_policy.deposit()),
    "deposit_for": ("deposit_for", deposit_policy.audience()),
    "card_required": ("card_required", c.boolean()),
    "buffer_before_minutes": ("buffer_before", c.minutes(0, 12 * 60)),
    "buffer_after_minutes": ("buffer_after", c.minutes(0, 12 * 60)),
    "slot_interval_minutes": ("slot_interval", c.minutes(1, 24 * 60)),
    "capacity": ("capacity", c.integer(1, 1000)),
    "min_participants": ("min_participants", c.integer(1, 1000)),
    "max_participants": ("max_participants", c.integer(1, 1000)),
    "required_skills": ("required_skills", c.word_set(100)),
    "location_type": ("location_type", c.location_type()),
    "location_ids": ("location_ids", c.ids()),
    "min_notice_minutes": ("min_notice", c.minutes(0, 365 * 24 * 60)),
    "max_advance_days": ("max_advance_days", c.integer(0, 5 * 365)),
    "cancellation": ("cancellation", c.cancellation()),
}, Service, required=("name", "duration_minutes", "price"), fold=deposit_policy.fold)

STAFF = Resource[Staff]("staff", {
    "name": ("name", c.text(200, required=True)),
    "location_ids": ("location_ids", c.ids()),
    "weekly_hours": ("weekly_hours", c.hours()),
    "breaks": ("breaks", c.hours()),
    "time_off": ("time_off", c.time_off()),
    "overrides": ("overrides", c.overrides()),
    "skills": ("skills", c.word_set(100)),
    "languages": ("languages", c.word_set(20)),
    "max_bookings_per_day": ("max_bookings_per_day", c.optional_integer(1, 100)),
    "google_calendar_id": ("google_calendar_id", c.optional_text(320)),
}, Staff, required=("name", "location_ids", "weekly_hours"))

RULES = Resource[BookingRules]("booking rules", {
    "max_active_per_customer": ("max_active_per_customer", c.integer(1, 100)),
    "require_approval": ("require_approval", c.boolean()),
    "hold_minutes": ("hold_ttl", c.minutes(1, 24 * 60)),
    "claim_window_minutes": ("claim_window", c.minutes(1, 7 * 24 * 60)),
    "no_show_grace_minutes": ("no_show_grace", c.minutes(0, 24 * 60)),
    "payment_window_minutes": ("payment_window", c.minutes(1, 7 * 24 * 60)),
    "max_per_contact_day": ("max_per_contact_day", c.integer(1, 100)),
    "max_per_contact_week": ("max_per_contact_week", c.integer(1, 500)),
    "max_live_holds_per_customer": ("max_live_holds_per_customer", c.integer(1, 20)),
}, BookingRules, identified=False)

PARTS = Resource[MessageParts]("message parts", {
    name: (name, c.text(1000))
    for name in ("signature", "what_to_bring", "address_notes", "parking_notes")
}, MessageParts, identified=False)


@dataclass(frozen=True, slots=True)
class Profile:
    """The business as its owner edits it: flat, one field a line of the form."""

    name: str
    time_zone: str
    currency: str
    phone: str | None
    email: str | None
    website: str | None
    free_cancellation_hours: int
    late_cancel_fee: Decimal
    no_show_fee: Decimal

    @classmethod
    def of(cls, business: Business) -> Profile:
        policies, contact = business.policies, business.contact
        return cls(business.name, business.time_zone, policies.currency, contact.phone,
                   contact.email, contact.website, policies.cancellation.free_cancellation_hours,
                   policies.cancellation.late_cancel_fee, policies.no_show_fee)

    @property
    def contact(self) -> Contact:
        return Contact(self.phone, self.email, self.website)

    @property
    def policies(self) -> BusinessPolicies:
        cancel = CancellationPolicy(self.free_cancellation_hours, self.late_cancel_fee)
        return BusinessPolicies(cancel, self.currency, self.no_show_fee)


PROFILE = Resource[Profile]("business", {
    "name": ("name", c.text(200, required=True)),
    "time_zone": ("time_zone", c.time_zone()),
    "currency": ("currency", c.currency()),
    "phone": ("phone", c.optional_text(20)),
    "email": ("email", c.optional_text(320)),
    "website": ("website", c.optional_text(500)),
    "free_cancellation_hours": ("free_cancellation_hours", c.integer(0, 24 * 60)),
    "late_cancel_fee": ("late_cancel_fee", c.money()),
    "no_show_fee": ("no_show_fee", c.money()),
}, Profile, identified=False)
