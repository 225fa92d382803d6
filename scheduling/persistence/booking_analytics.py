"""Booking analytics and listings, computed in SQL over `appointments` (holds excluded).

Filters apply to every figure; local days, weeks, months and hours are taken in the zone the
caller passes (the business's), so a 23:30 booking lands on the day the owner saw it.
Listings page by keyset on (start, id) with an opaque cursor, stable under concurrent inserts.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.model import Appointment, Status
from scheduling.errors import InvalidRequest
from scheduling.persistence import booking_codec as codec
from scheduling.persistence.booking_tables import AppointmentRow as A


@dataclass(frozen=True, slots=True)
class Filters:
    business_id: UUID
    start_from: datetime | None = None
    start_until: datetime | None = None
    statuses: tuple[Status, ...] = ()
    staff_ids: tuple[UUID, ...] = ()
    service_ids: tuple[UUID, ...] = ()
    customer_id: UUID | None = None
    channels: tuple[str, ...] = ()
    location_ids: tuple[UUID, ...] = ()

    def conditions(self) -> list[ColumnElement[bool]]:
        out = [A.business_id == self.business_id, A.status != Status.HELD.value]
        pairs: list[tuple[Any, Any]] = [
            (self.statuses and [s.value for s in self.statuses], A.status),
            (self.staff_ids, A.staff_id), (self.service_ids, A.service_id),
            (self.channels, A.channel), (self.location_ids, A.location_id),
        ]
        out += [column.in_(list(values)) for values, column in pairs if values]
        if self.start_from is not None:
            out.append(A.starts_at >= self.start_from)
        if self.start_until is not None:
            out.append(A.starts_at < self.start_until)
        if self.customer_id is not None:
            out.append(A.customer_id == self.customer_id)
        return out


@dataclass(frozen=True, slots=True)
class Summary:
    by_status: dict[str, int]
    cancellation_rate: float
    no_show_rate: float
    average_lead_hours: float
    revenue_by_service: dict[UUID, Decimal]
    booked_minutes_by_staff: dict[UUID, float]


@dataclass(frozen=True, slots=True)
class Page:
    items: tuple[Appointment, ...]
    next_cursor: str | None


async def summary(session: AsyncSession, filters: Filters) -> Summary:
    where = filters.conditions()
    rows = await session.execute(select(A.status, func.count()).where(*where).group_by(A.status))
    by_status = {status: int(n) for status, n in rows.all()}
    total = sum(by_status.values()) or 1
    cancelled = by_status.get("cancelled", 0) + by_status.get("late_cancel", 0)
    attended = by_status.get("completed", 0) + by_status.get("no_show", 0)
    lead = await session.scalar(
        select(func.avg(func.extract("epoch", A.starts_at - A.created_at))).where(*where)
    )
    earned = case((A.status == "completed", A.price), (A.status == "late_cancel", A.cancel_fee),
                  else_=0)
    revenue = await session.execute(
        select(A.service_id, func.sum(earned)).where(*where).group_by(A.service_id)
    )
    minutes = await session.execute(
        select(A.staff_id, func.sum(func.extract("epoch", A.ends_at - A.starts_at) / 60))
        .where(*where, A.status.in_(["pending", "confirmed", "completed", "no_show"]))
        .group_by(A.staff_id)
    )
    return Summary(
        by_status, cancelled / total, by_status.get("no_show", 0) / (attended or 1),
        float(lead or 0) / 3600, {sid: Decimal(v or 0) for sid, v in revenue.all()},
        {sid: float(v or 0) for sid, v in minutes.all()},
    )


async def buckets(
    session: AsyncSession, filters: Filters, grain: str, zone: str
) -> list[tuple[datetime, int]]:
    """Bookings per local day, week or month (the bucket's first local midnight)."""
    if grain not in ("day", "week", "month"):
        raise InvalidRequest("grain is day, week or month", field="grain")
    local = func.timezone(zone, A.starts_at)
    bucket = func.date_trunc(grain, local)
    rows = await session.execute(
        select(bucket, func.count()).where(*filters.conditions()).group_by(bucket).order_by(bucket)
    )
    return [(moment, int(n)) for moment, n in rows.all()]


async def heat_map(
    session: AsyncSession, filters: Filters, zone: str
) -> dict[tuple[int, int], int]:
    """Bookings by local (ISO weekday 1-7, hour 0-23)."""
    local = func.timezone(zone, A.starts_at)
    day, hour = func.extract("isodow", local), func.extract("hour", local)
    rows = await session.execute(
        select(day, hour, func.count()).where(*filters.conditions()).group_by(day, hour)
    )
    return {(int(d), int(h)): int(n) for d, h, n in rows.all()}


BOOKED = ("pending", "confirmed", "completed", "no_show")
"""Statuses whose price counts as booked: cancelled ones were not, a rescheduled row's value
moved to its new appointment."""
DEPOSIT_TAKEN = ("paid", "partially_refunded", "refunded")


@dataclass(frozen=True, slots=True)
class Revenue:
    """Money over a range's appointments. `paid` is what the business has in hand: completed
    appointments at their price, plus deposits kept on appointments not completed (a late
    cancel's fee kept from its deposit is inside). A moved appointment's deposit counts on
    its new appointment only."""

    booked: Decimal
    completed: Decimal
    deposits_kept: Decimal
    deposits_owed: Decimal
    late_cancel_fees: Decimal
    paid: Decimal


@dataclass(frozen=True, slots=True)
class Counts:
    """The same appointments (each once, whatever became of it) counted five ways; day is
    the local day in the zone asked for, and only days with a booking are present."""

    by_channel: dict[str, int]
    by_status: dict[str, int]
    by_service: dict[UUID, int]
    by_staff: dict[UUID, int]
    by_day: dict[date, int]


async def revenue(session: AsyncSession, filters: Filters) -> Revenue:
    kept = A.payment_amount - func.coalesce(A.refund_amount, 0)
    taken = and_(A.payment_status.in_(DEPOSIT_TAKEN), A.status != "rescheduled")
    owed = and_(A.payment_required, A.payment_status == "pending",
                A.status.in_(["pending", "confirmed"]))
    sums: list[ColumnElement[Any]] = [func.sum(A.price).filter(A.status.in_(BOOKED)),
            func.sum(A.price).filter(A.status == "completed"),
            func.sum(kept).filter(taken),
            func.sum(A.payment_amount).filter(owed),
            func.sum(A.cancel_fee).filter(A.status == "late_cancel"),
            func.sum(kept).filter(taken, A.status != "completed")]
    row = (await session.execute(select(*sums).where(*filters.conditions()))).one()
    booked, completed, deposits, due, fees, kept_elsewhere = (Decimal(v or 0) for v in row)
    return Revenue(booked, completed, deposits, due, fees, completed + kept_elsewhere)


async def counts(session: AsyncSession, filters: Filters, zone: str) -> Counts:
    """One grouped query folded five ways (the groups are few: days x services x staff)."""
    day = func.date(func.timezone(zone, A.starts_at))
    keys = (A.channel, A.status, A.service_id, A.staff_id, day)
    rows = (await session.execute(select(*keys, func.count()).where(*filters.conditions())
                                  .group_by(*keys))).all()
    tallies: list[Counter[Any]] = [Counter() for _ in keys]
    for row in rows:
        for tally, key in zip(tallies, row[:-1], strict=True):
            tally[key] += int(row[-1])
    channel, status, service, staff, days = (dict(t) for t in tallies)
    return Counts(channel, status, service, staff, days)


def utilisation(booked: dict[UUID, float], available: dict[UUID, float]) -> dict[UUID, float]:
    """Booked over available minutes per staff member (available from the hours engine)."""
    return {sid: booked.get(sid, 0.0) / minutes for sid, minutes in available.items() if minutes}


async def listing(
    session: AsyncSession, filters: Filters, limit: int = 50, cursor: str | None = None
) -> Page:
    query: Select[A] = select(A).where(*filters.conditions())
    if cursor is not None:
        start, last_id = _decode(cursor)
        query = query.where(or_(A.starts_at > start,
                                and_(A.starts_at == start, A.id > last_id)))
    rows = list(await session.scalars(query.order_by(A.starts_at, A.id).limit(limit + 1)))
    items = tuple(codec.appointment(row) for row in rows[:limit])
    more = len(rows) > limit
    return Page(items, _encode(items[-1].start, items[-1].id) if more and items else None)


def _encode(start: datetime, appointment_id: UUID) -> str:
    raw = json.dumps([start.isoformat(), str(appointment_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode(cursor: str) -> tuple[datetime, UUID]:
    try:
        start, appointment_id = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        return datetime.fromisoformat(start), UUID(appointment_id)
    except (ValueError, TypeError) as error:
        raise InvalidRequest("bad cursor", field="cursor") from error


__all__ = ["Counts", "Filters", "Page", "Revenue", "Summary", "buckets", "counts", "heat_map",
           "listing", "revenue", "summary", "utilisation"]
