"""Recurring series: weekly, fortnightly or monthly, until a date or a number of times.

Occurrences step on the location's wall clock, so a 10:00 series stays at 10:00 across a DST
change. Each occurrence is booked like a single booking, in its own savepoint within the one
transaction: the free ones are booked, the taken ones reported with their alternatives.
A monthly series skips months without its day (no 31 February).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from uuid import UUID, uuid4
from zoneinfo import ZoneInfo

from scheduling.booking.changes import cancel_in
from scheduling.booking.commands import BookAppointment, CancelAppointment
from scheduling.booking.model import BOOKED, Actor
from scheduling.booking.results import Occurrence, SeriesResult
from scheduling.booking.services import book_in
from scheduling.errors import DomainError, InvalidRequest, PolicyViolation, SlotUnavailable
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.booking_uow import BookingUnitOfWork

MAX_OCCURRENCES = 52


class Frequency(StrEnum):
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    MONTHLY = "monthly"


@dataclass(frozen=True, slots=True)
class Recurrence:
    frequency: Frequency
    count: int | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if (self.count is None) == (self.until is None):
            raise InvalidRequest("a series ends after a number of times or on a date")
        if self.count is not None and not 1 <= self.count <= MAX_OCCURRENCES:
            raise InvalidRequest(f"a series has 1 to {MAX_OCCURRENCES} occurrences")


@dataclass(frozen=True, slots=True)
class BookSeries:
    """`first` books the first occurrence; the others get keys `<key>#<n>`."""

    first: BookAppointment
    rule: Recurrence


def occurrences(first: datetime, rule: Recurrence, zone: ZoneInfo) -> list[datetime]:
    local = first.astimezone(zone)
    out: list[datetime] = []
    for n in range(MAX_OCCURRENCES * 2):
        moment = _step(local, rule.frequency, n)
        if moment is None:
            continue
        if rule.until is not None and moment.date() > rule.until:
            break
        out.append(moment)
        if len(out) == rule.count or len(out) == MAX_OCCURRENCES:
            break
    return out


def _step(local: datetime, frequency: Frequency, n: int) -> datetime | None:
    """The n-th start on the wall clock (re-attached to the zone, so DST is honoured)."""
    if frequency is not Frequency.MONTHLY:
        weeks = n * (2 if frequency is Frequency.BIWEEKLY else 1)
        wall = local.replace(tzinfo=None) + timedelta(weeks=weeks)
        return wall.replace(tzinfo=local.tzinfo)
    month = local.month - 1 + n
    try:
        return local.replace(year=local.year + month // 12, month=month % 12 + 1)
    except ValueError:
        return None


async def book_series(cmd: BookSeries, uow: BookingUnitOfWork, now: datetime) -> SeriesResult:
    series_id = uuid4()
    booked: list[Occurrence] = []
    conflicted: list[Occurrence] = []
    async with uow:
        catalog = await uow.catalog.get(cmd.first.slot.business_id)
        zone = catalog.location(cmd.first.slot.location_id or catalog.business.locations[0].id)
        await uow.appointments.add_series(series_id, cmd.first, cmd.rule.frequency.value,
                                          cmd.rule.count, cmd.rule.until, now)
        for n, start in enumerate(occurrences(cmd.first.slot.start, cmd.rule, zone.zone)):
            one = replace(cmd.first, slot=replace(cmd.first.slot, start=start),
                          idempotency_key=f"{cmd.first.idempotency_key}#{n}")
            outcome = await _occurrence(uow, one, now, series_id)
            (booked if outcome.appointment else conflicted).append(outcome)
        await uow.commit()
    return SeriesResult(series_id, tuple(booked), tuple(conflicted))


async def _occurrence(
    uow: BookingUnitOfWork, cmd: BookAppointment, now: datetime, series_id: UUID
) -> Occurrence:
    """Book one occurrence in a savepoint, so a refusal undoes only its own writes."""
    try:
        async with uow.session.begin_nested():
            result = await book_in(uow, cmd, now, series_id)
    except (SlotUnavailable, PolicyViolation) as refused:
        alternatives = tuple(getattr(refused, "alternatives", ()))
        return Occurrence(cmd.slot.start, None, str(refused), alternatives)
    return Occurrence(cmd.slot.start, result.appointment)


async def cancel_series(
    series_id: UUID, by: Actor, uow: BookingUnitOfWork, now: datetime, reason: str = ""
) -> tuple[tuple[UUID, ...], tuple[UUID, ...]]:
    """Cancel every upcoming occurrence; (cancelled ids, ids the policy kept)."""
    done: list[UUID] = []
    kept: list[UUID] = []
    async with uow:
        upcoming = await uow.appointments.find(
            AppointmentRow.series_id == series_id, AppointmentRow.starts_at > now,
            AppointmentRow.status.in_([s.value for s in BOOKED]),
        )
        catalog = await uow.catalog.get(upcoming[0].business_id) if upcoming else None
        for appointment in upcoming:
            try:
                async with uow.session.begin_nested():
                    if catalog is not None:
                        command = CancelAppointment(appointment.id, by, reason)
                        await cancel_in(uow, catalog, appointment, command, now)
                done.append(appointment.id)
            except DomainError:
                kept.append(appointment.id)
        await uow.commit()
    return tuple(done), tuple(kept)
