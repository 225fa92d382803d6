"""Recurring bookings made at the front desk: "every 2 weeks, 6 times".

The owner first sees every occurrence with the ones that cannot be had marked, each with the
nearest free times that day (`preview`, on the one availability path, `openings.open_slots`),
then books the ones kept in one transaction (`book_series`): each occurrence is an ordinary
booking through `services.book_in` (same rules, same messages to the customer), all linked by
one `booking_series` row. Either every kept occurrence is booked or none is.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from scheduling.availability import AvailabilityQuery, Slot
from scheduling.booking import notice
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.booking.model import Appointment, Channel, Contact, Participant
from scheduling.booking.openings import open_slots
from scheduling.booking.services import book_in
from scheduling.booking.values import DuplicateIdempotencyKey
from scheduling.catalog import Catalog
from scheduling.desk import customers
from scheduling.errors import InvalidRequest, SlotUnavailable
from scheduling.ports import BookingUnitOfWork, DeskUnitOfWork

MAX_OCCURRENCES = 26
MAX_EVERY = {"days": 90, "weeks": 12}
NEAREST = 3


class Unit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"


@dataclass(frozen=True, slots=True)
class Repeat:
    """Every `every` `unit`, `count` times in all (the first included)."""

    every: int
    unit: Unit
    count: int

    def __post_init__(self) -> None:
        if not 1 <= self.every <= MAX_EVERY[self.unit.value]:
            raise InvalidRequest(f"repeat every 1 to {MAX_EVERY[self.unit.value]} "
                                 f"{self.unit.value}", field="every")
        if not 2 <= self.count <= MAX_OCCURRENCES:
            raise InvalidRequest(f"a series has 2 to {MAX_OCCURRENCES} occurrences",
                                 field="count")

    def starts(self, first: datetime, zone: ZoneInfo) -> list[datetime]:
        """The occurrences at the first one's wall-clock time in `zone` (10 AM stays 10 AM
        across a daylight-saving change), in UTC."""
        local = first.astimezone(zone).replace(tzinfo=None)
        step = timedelta(days=self.every * (7 if self.unit is Unit.WEEKS else 1))
        return [(local + step * n).replace(tzinfo=zone).astimezone(UTC)
                for n in range(self.count)]

    def rule(self) -> dict[str, Any]:
        """As `booking_series.rule` keeps it."""
        return {"every": self.every, "unit": self.unit.value, "count": self.count}


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One planned start; `free` False with the nearest free `alternatives` that day."""

    number: int
    start: datetime
    free: bool
    alternatives: tuple[Slot, ...] = ()


class SeriesPort(Protocol):
    async def add_series(self, series_id: UUID, business_id: UUID, customer_id: UUID,
                         rule: dict[str, Any], now: datetime) -> None:
        """Insert the `booking_series` row its occurrences point at."""


class SeriesUnitOfWork(DeskUnitOfWork, Protocol):
    @property
    def front_desk(self) -> SeriesPort: ...


async def preview(
    uow: BookingUnitOfWork, first: SlotChoice, repeat: Repeat, seats: int, now: datetime,
    waive_notice: bool = False,
) -> list[Occurrence]:
    """Every occurrence of `repeat` from `first`, checked against what is booked now."""
    async with uow:
        catalog = await uow.catalog.get(first.business_id)
        if waive_notice:
            catalog = notice.waived(catalog, first.service_id)
        zone = _zone(catalog, first)
        return [await _check(uow, catalog, replace(first, start=start), seats, zone, now, n)
                for n, start in enumerate(repeat.starts(first.start, zone), 1)]


async def _check(
    uow: BookingUnitOfWork, catalog: Catalog, choice: SlotChoice, seats: int, zone: ZoneInfo,
    now: datetime, number: int,
) -> Occurrence:
    midnight = datetime.combine(choice.start.astimezone(zone).date(), time(), zone)
    query = AvailabilityQuery(choice.service_id, midnight, midnight + timedelta(days=1), now,
                              staff_id=choice.staff_id, location_id=choice.location_id,
                              seats=seats)
    slots = await open_slots(uow.appointments, catalog, query)
    if any(s.start == choice.start and s.seats_left >= seats for s in slots):
        return Occurrence(number, choice.start, True)
    others = sorted(slots, key=lambda s: (abs((s.start - choice.start).total_seconds()),
                                          s.start))
    return Occurrence(number, choice.start, False, tuple(others[:NEAREST]))


def _zone(catalog: Catalog, choice: SlotChoice) -> ZoneInfo:
    """The clock a series repeats on: its location's, else the business's."""
    if choice.location_id is not None:
        return catalog.location(choice.location_id).zone
    return catalog.business.zone


class OccurrenceTaken(SlotUnavailable):
    """One occurrence of a series could not be booked (so none was)."""

    def __init__(self, number: int, start: datetime, cause: SlotUnavailable) -> None:
        self.number, self.start = number, start
        super().__init__(f"occurrence {number} could not be booked: {cause}",
                         cause.alternatives)


@dataclass(frozen=True, slots=True)
class BookSeries:
    """Book `starts` (the occurrences kept, some perhaps moved) as one series for the
    customer `contact` and `proof` name; `first` carries the service, staff and location."""

    first: SlotChoice
    starts: tuple[datetime, ...]
    repeat: Repeat
    contact: Contact
    proof: customers.Proof
    idempotency_key: str
    notes: str = ""
    participants: tuple[Participant, ...] = ()
    waive_notice: bool = False
    channel: Channel = Channel.ADMIN
    """ADMIN from the front desk; the chat's channel when a customer asks for it there."""

    def __post_init__(self) -> None:
        if not 1 <= len(self.starts) <= MAX_OCCURRENCES:
            raise InvalidRequest(f"keep 1 to {MAX_OCCURRENCES} occurrences", field="starts")
        if len(set(self.starts)) != len(self.starts):
            raise InvalidRequest("two occurrences are at the same time", field="starts")
        if not self.idempotency_key.strip():
            raise InvalidRequest("an idempotency key is required", field="idempotency_key")

    def occurrence(self, number: int, customer_id: UUID, series_id: UUID) -> BookAppointment:
        return BookAppointment(
            replace(self.first, start=self.starts[number - 1]), customer_id,
            self.key(number), channel=self.channel, notes=self.notes,
            participants=self.participants, contact=self.contact,
            waive_notice=self.waive_notice, series_id=series_id)

    def key(self, number: int) -> str:
        return f"{self.idempotency_key}:{number}"


@dataclass(frozen=True, slots=True)
class SeriesResult:
    series_id: UUID | None
    appointments: tuple[Appointment, ...]
    replayed: bool = False


async def book_series(cmd: BookSeries, uow: SeriesUnitOfWork, now: datetime) -> SeriesResult:
    """Book every kept occurrence or none; the same key books once (a double submit)."""
    try:
        async with uow:
            done = await _replayed(uow, cmd)
            if done is not None:
                return done
            result = await _book_all(uow, cmd, now)
            await uow.commit()
            return result
    except DuplicateIdempotencyKey:
        async with uow:
            done = await _replayed(uow, cmd)
        if done is None:
            raise
        return done


async def _book_all(uow: SeriesUnitOfWork, cmd: BookSeries, now: datetime) -> SeriesResult:
    business_id = cmd.first.business_id
    customer = await customers.identify(uow, business_id, cmd.contact, cmd.proof, now)
    series_id = uuid4()
    await uow.front_desk.add_series(series_id, business_id, customer.id, cmd.repeat.rule(), now)
    booked = []
    for number in range(1, len(cmd.starts) + 1):
        try:
            result = await book_in(uow, cmd.occurrence(number, customer.id, series_id), now)
        except SlotUnavailable as error:
            raise OccurrenceTaken(number, cmd.starts[number - 1], error) from None
        booked.append(result.appointment)
    return SeriesResult(series_id, tuple(booked))


async def _replayed(uow: BookingUnitOfWork, cmd: BookSeries) -> SeriesResult | None:
    """What this key booked before, when it did (all its occurrences committed together)."""
    business_id = cmd.first.business_id
    first = await uow.appointments.by_key(business_id, cmd.key(1))
    if first is None:
        return None
    found = [first] + [await uow.appointments.by_key(business_id, cmd.key(n))
                       for n in range(2, len(cmd.starts) + 1)]
    return SeriesResult(first.series_id, tuple(a for a in found if a is not None), replayed=True)
