"""The catalog: the business, its locations, staff and services, and its customers.

Plain frozen values with their invariants checked on construction, so the engine can trust
what it receives; persistence converts rows to these and back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from scheduling import formats
from scheduling.deposit_rules import (
    NO_DEPOSIT,
    CustomerHistory,
    DepositFor,
    DepositKind,
    DepositRule,
)
from scheduling.errors import InvalidRequest, NotFound
from scheduling.hours import Closure, DateOverride, TimeOff, WeeklyHours

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise InvalidRequest(f"unknown time zone {name!r}", field="time_zone") from error


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation or leading article: how names are compared."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = " ".join(re.sub(r"[^a-z0-9 ]+", " ", plain.lower()).split())
    return re.sub(r"^(a|an|the|my|some) ", "", words)


@dataclass(frozen=True, slots=True)
class CancellationPolicy:
    free_cancellation_hours: int = 24
    late_cancel_fee: Decimal = Decimal("0")

    def __post_init__(self) -> None:
        if self.free_cancellation_hours < 0 or self.late_cancel_fee < 0:
            raise InvalidRequest("cancellation policy values cannot be negative",
                                 field="cancellation")


@dataclass(frozen=True, slots=True)
class Contact:
    phone: str | None = None
    email: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class BusinessPolicies:
    cancellation: CancellationPolicy = field(default_factory=CancellationPolicy)
    currency: str = "USD"
    no_show_fee: Decimal = Decimal("0")


@dataclass(frozen=True, slots=True)
class Location:
    id: UUID
    name: str
    time_zone: str
    opening_hours: WeeklyHours
    address: str = ""
    closures: tuple[Closure, ...] = ()

    def __post_init__(self) -> None:
        zone(self.time_zone)

    @property
    def zone(self) -> ZoneInfo:
        return zone(self.time_zone)


@dataclass(frozen=True, slots=True)
class Business:
    id: UUID
    name: str
    time_zone: str
    locations: tuple[Location, ...]
    contact: Contact = field(default_factory=Contact)
    policies: BusinessPolicies = field(default_factory=BusinessPolicies)

    def __post_init__(self) -> None:
        zone(self.time_zone)
        if not self.locations:
            raise InvalidRequest("a business needs at least one location", field="locations")

    @property
    def zone(self) -> ZoneInfo:
        """The business's own time zone: its days, agendas and reports are read in it."""
        return zone(self.time_zone)


@dataclass(frozen=True, slots=True)
class Staff:
    """Working hours are read in the time zone of the location a query is about."""

    id: UUID
    name: str
    location_ids: frozenset[UUID]
    weekly_hours: WeeklyHours
    breaks: WeeklyHours = field(default_factory=WeeklyHours)
    time_off: tuple[TimeOff, ...] = ()
    overrides: tuple[DateOverride, ...] = ()
    skills: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"en"})
    max_bookings_per_day: int | None = None
    google_calendar_id: str | None = None

    def __post_init__(self) -> None:
        if self.max_bookings_per_day is not None and self.max_bookings_per_day < 1:
            raise InvalidRequest("max bookings per day must be at least 1",
                                 field="max_bookings_per_day")


class LocationType(StrEnum):
    IN_PERSON = "in_person"
    VIRTUAL = "virtual"
    PHONE = "phone"


@dataclass(frozen=True, slots=True)
class Service:
    """A bookable service; `capacity` seats share one slot (a class, a group session)."""

    id: UUID
    name: str
    duration: timedelta
    price: Decimal
    category: str = ""
    aliases: tuple[str, ...] = ()
    buffer_before: timedelta = timedelta(0)
    buffer_after: timedelta = timedelta(0)
    slot_interval: timedelta = timedelta(minutes=15)
    capacity: int = 1
    required_skills: frozenset[str] = frozenset()
    location_type: LocationType = LocationType.IN_PERSON
    location_ids: frozenset[UUID] = frozenset()
    min_notice: timedelta = timedelta(hours=1)
    max_advance_days: int = 60
    deposit: DepositRule = NO_DEPOSIT
    card_required: bool = False
    """No-show protection: a booking asked no deposit confirms once the customer saves a
    card, charged only for a late cancellation or a no-show (when payments are online)."""
    cancellation: CancellationPolicy | None = None
    min_participants: int = 1
    max_participants: int = 1

    def __post_init__(self) -> None:
        self._check_times()
        fixed = self.deposit.value if self.deposit.kind is DepositKind.FIXED else Decimal(0)
        if self.price < 0 or fixed > self.price:
            raise InvalidRequest(f"{self.name}: deposit must lie between 0 and the price",
                                 field="deposit")
        if not 1 <= self.min_participants <= self.max_participants <= self.capacity:
            raise InvalidRequest(f"{self.name}: need 1 <= min <= max participants <= capacity",
                                 field="max_participants")

    def _check_times(self) -> None:
        minute = timedelta(minutes=1)
        if self.duration < minute or self.slot_interval < minute:
            raise InvalidRequest(f"{self.name}: duration and interval must be a minute or more",
                                 field="duration")
        if self.buffer_before < timedelta(0) or self.buffer_after < timedelta(0):
            raise InvalidRequest(f"{self.name}: buffers cannot be negative", field="buffer_before")
        if self.slot_interval % minute or self.duration % minute or self.max_advance_days < 0:
            raise InvalidRequest(f"{self.name}: times must be whole minutes", field="duration")

    @property
    def deposit_for(self) -> DepositFor:
        """Who the deposit is asked of (the API's and the catalog file's own field)."""
        return self.deposit.applies_to

    def offered_at(self, location_id: UUID) -> bool:
        return not self.location_ids or location_id in self.location_ids

    def answers_to(self, text: str) -> bool:
        wanted = normalise(text)
        return any(normalise(name) == wanted for name in (self.name, *self.aliases))


class TimeOfDay(StrEnum):
    """Parts of the day as customers say them; `hours` is the local [start, end) hour range."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"

    @property
    def hours(self) -> tuple[int, int]:
        return {"morning": (5, 12), "afternoon": (12, 17), "evening": (17, 23)}[self.value]

    @classmethod
    def of_hour(cls, hour: int) -> TimeOfDay | None:
        return next((part for part in cls if part.hours[0] <= hour < part.hours[1]), None)


@dataclass(frozen=True, slots=True)
class NotificationPreferences:
    sms: bool = True
    email: bool = True
    reminder_hours: tuple[int, ...] = (24,)


@dataclass(frozen=True, slots=True)
class CustomerPreferences:
    """What the customer told us they like; weekdays are 0 (Monday) to 6."""

    weekdays: frozenset[int] = frozenset()
    times_of_day: frozenset[TimeOfDay] = frozenset()
    staff_ids: frozenset[UUID] = frozenset()
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    id: UUID
    name: str
    phone: str | None = None
    email: str | None = None
    time_zone: str | None = None
    notifications: NotificationPreferences = field(default_factory=NotificationPreferences)
    preferences: CustomerPreferences = field(default_factory=CustomerPreferences)
    phone_verified_at: datetime | None = None
    """When someone last proved control of `phone` (a text or call from it, a code sent to it);
    None: the number was only typed in, and proves nothing."""
    email_verified_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.phone is not None and not E164.match(self.phone):
            raise InvalidRequest(f"phone {self.phone!r} is not E.164 (+15551234567)", field="phone")
        if self.time_zone is not None:
            zone(self.time_zone)


@dataclass(frozen=True, slots=True)
class Archived:
    """What the owner archived: never offered again, kept so old appointments still name it."""

    locations: tuple[Location, ...] = ()
    staff: tuple[Staff, ...] = ()
    services: tuple[Service, ...] = ()


@dataclass(frozen=True, slots=True)
class Catalog:
    """One business with everything a scheduling decision reads; lookups raise `NotFound`.

    `staff`, `services` and the business's locations are what is offered; a lookup by id
    also finds an archived one (an old appointment's service still has a name and a price).
    """

    business: Business
    staff: tuple[Staff, ...]
    services: tuple[Service, ...]
    archived: Archived = field(default_factory=Archived)

    def service(self, service_id: UUID) -> Service:
        try:
            return self.offered_service(service_id)
        except NotFound:
            found = next((s for s in self.archived.services if s.id == service_id), None)
            if found is None:
                raise
            return found

    def offered_service(self, service_id: UUID) -> Service:
        """Like `service`, but an archived one is `NotFound`: it has no open times."""
        found = next((s for s in self.services if s.id == service_id), None)
        if found is None:
            raise NotFound("service", service_id)
        return found

    def staff_member(self, staff_id: UUID) -> Staff:
        found = next((s for s in (*self.staff, *self.archived.staff) if s.id == staff_id), None)
        if found is None:
            raise NotFound("staff", staff_id)
        return found

    def location(self, location_id: UUID) -> Location:
        everywhere = (*self.business.locations, *self.archived.locations)
        found = next((loc for loc in everywhere if loc.id == location_id), None)
        if found is None:
            raise NotFound("location", location_id)
        return found

    def offered_location(self, location_id: UUID) -> Location:
        """Like `location`, but an archived one is `NotFound`: it has no open times."""
        found = next((loc for loc in self.business.locations if loc.id == location_id), None)
        if found is None:
            raise NotFound("location", location_id)
        return found

    def find_service(self, text: str) -> Service:
        """By name or alias ("a trim"), ignoring case, accents and a leading article."""
        found = next((s for s in self.services if s.answers_to(text)), None)
        if found is None:
            raise NotFound("service", text)
        return found

    def deposit_owed(self, service: Service, history: CustomerHistory) -> Decimal:
        """The deposit this customer is asked for, in the business's currency's minor unit."""
        step = formats.minor_unit(self.business.policies.currency)
        return service.deposit.owed(service.price, history, step)

    def cancellation_policy(self, service: Service) -> CancellationPolicy:
        return service.cancellation or self.business.policies.cancellation
