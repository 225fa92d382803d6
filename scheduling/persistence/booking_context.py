"""What one booking reads before it places: the slice of the catalog it needs, the business's
booking rules, the customer (locked) and an earlier appointment under the same idempotency
key, and the reminder lead times, in one query (two when "anyone" may give the service).

Loading the whole catalog through the ORM on every booking cost more than the booking itself
(seven queries, every staff member and service decoded); placement only looks at the service
being booked, the staff who could give it and the locations. The slice is read inside the
booking's transaction, like everything else, so a catalog change cannot be missed: there is no
cache to invalidate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Select, Table, and_, bindparam, exists, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.model import Appointment
from scheduling.booking.values import BookingContext
from scheduling.catalog import Business, Catalog, Location, Staff
from scheduling.errors import NotFound
from scheduling.hours import TimeOff
from scheduling.notifications.reminders import DEFAULT_OFFSETS
from scheduling.persistence import booking_codec, catalog_codec, driver
from scheduling.persistence.booking_codec import rules_of
from scheduling.persistence.booking_tables import (
    AppointmentRow,
    BookingRulesRow,
    CustomerBlockRow,
)
from scheduling.persistence.catalog_repository import _customer, _location, _service, _staff
from scheduling.persistence.catalog_tables import (
    BusinessRow,
    CustomerRow,
    LocationRow,
    ServiceRow,
    StaffLocationRow,
    StaffRow,
    StaffTimeOffRow,
)
from scheduling.persistence.notification_tables import ReminderOffsetsRow


@dataclass(frozen=True, slots=True)
class Head:
    """What the first query read: the context (or the replayed appointment) and the reminder
    lead times the outbox rows will need, so they cost no query of their own."""

    found: BookingContext | Appointment
    reminder_offsets: tuple[timedelta, ...]


async def booking_context(
    session: AsyncSession, business_id: UUID, service_id: UUID, staff_id: UUID | None,
    customer_id: UUID, idempotency_key: str, lock: str | None = None,
) -> Head:
    """The context to place in, or the appointment `idempotency_key` already booked (a
    replay needs nothing else). A named `staff_id` comes in the same query; None loads every
    staff member holding the service's skills ("anyone") in a second one.

    The customer's row is locked (FOR UPDATE) by the same query: that lock serialises one
    customer's bookings, so two at once cannot both pass the per-customer maximum; it is the
    first lock a booking takes, as before. `lock` names an advisory lock the same query takes
    right after it (the staff member's: the second lock, in the order every booking path
    keeps), one round trip less. Rows come back as tuples from the driver, not as ORM objects
    (`driver`): the identity map was most of this query's cost.
    """
    params = {"business_id": business_id, "service_id": service_id, "staff_id": staff_id,
              "customer_id": customer_id, "key": idempotency_key, "lock": lock}
    found = await driver.fetch(session, HEAD.sql if lock is None else HEAD_THEN_LOCK, params)
    rows = [HEAD.split(row if lock is None else row[:-1]) for row in found]
    if not rows:  # one row per location
        raise await _missing(session, business_id, customer_id)
    business, customer, service, rules, existing, _, member, extra = rows[0]
    offsets = _offsets(extra["service_offsets"], extra["business_offsets"])
    if existing is not None:
        return Head(booking_codec.appointment(existing), offsets)
    if service is None:
        raise NotFound("service", service_id)
    locations = tuple(_location(row[5]) for row in rows if row[5] is not None)
    if member is not None:
        staff: tuple[Staff, ...] = (_staff(member, set(extra["places"] or ()),
                                           _time_off(extra["absences"] or [])),)
    elif staff_id is not None:
        staff = ()
    else:
        staff = await _candidates(session, business_id, None, list(service.required_skills))
    catalog = Catalog(_business(business, locations), staff, (_service(service),))
    context = BookingContext(catalog, rules_of(rules), _customer(customer),
                             bool(extra["blocked"]))
    return Head(context, offsets)


def _offsets(service: list[int] | None, business: list[int] | None) -> tuple[timedelta, ...]:
    """The service's lead times, else the business's, else the defaults (`offsets_for`)."""
    minutes = service if service is not None else business
    if minutes is None:
        return DEFAULT_OFFSETS
    return tuple(timedelta(minutes=m) for m in minutes)


class _Wide:
    """A select of whole tables side by side, run on the driver: `split` turns each tuple back
    into one attribute record per table (None for an outer join that found nothing) and a
    dict of the extra columns, which the row decoders read like ORM rows."""

    def __init__(self, tables: list[Any], extras: dict[str, ColumnElement[Any]],
                 build: Callable[[Select[Any]], Select[Any]]) -> None:
        self.names = [tuple(c.name for c in table.columns) for table in tables]
        self.keys = [next(iter(table.primary_key)).name for table in tables]
        self.extra_names = tuple(extras)
        columns = [c for table in tables for c in table.columns]
        self.sql = driver.compiled(build(select(*columns, *extras.values())))

    def split(self, row: tuple[Any, ...]) -> list[Any]:
        parts: list[Any] = []
        at = 0
        for names, key in zip(self.names, self.keys, strict=True):
            record = dict(zip(names, row[at:at + len(names)], strict=True))
            parts.append(SimpleNamespace(**record) if record[key] is not None else None)
            at += len(names)
        parts.append(dict(zip(self.extra_names, row[at:], strict=True)))
        return parts


def _head() -> _Wide:
    """Compiled once with parameters; a named staff member, their locations and time off, and
    the reminder lead times ride along as extra columns. Tables go by one-letter aliases: under
    4 kB the driver caches the parsed statement instead of parsing it on every booking."""
    def offsets(scope: str) -> ColumnElement[Any]:
        return (select(ReminderOffsetsRow.minutes)
                .where(ReminderOffsetsRow.scope_id == bindparam(scope)).scalar_subquery())

    b, c, s, r, a, loc, st = (cast(Table, row.__table__).alias(name) for row, name in (
        (BusinessRow, "b"), (CustomerRow, "c"), (ServiceRow, "s"), (BookingRulesRow, "r"),
        (AppointmentRow, "a"), (LocationRow, "l"), (StaffRow, "t")))
    extras: dict[str, ColumnElement[Any]] = {
        "blocked": exists().where(CustomerBlockRow.customer_id == c.c.id),
        "places": _places(st.c.id), "absences": _absences(st.c.id),
        "service_offsets": offsets("service_id"), "business_offsets": offsets("business_id"),
    }
    return _Wide([b, c, s, r, a, loc, st], extras, lambda query: (
        query.select_from(b)
        .join(c, c.c.id == bindparam("customer_id"))
        .outerjoin(s, and_(s.c.id == bindparam("service_id"), s.c.business_id == b.c.id))
        .outerjoin(r, r.c.business_id == b.c.id)
        .outerjoin(a, and_(a.c.business_id == b.c.id, a.c.idempotency_key == bindparam("key")))
        .outerjoin(loc, loc.c.business_id == b.c.id)
        .outerjoin(st, and_(st.c.id == bindparam("staff_id"), st.c.business_id == b.c.id))
        .where(b.c.id == bindparam("business_id"))
        .order_by(loc.c.position, loc.c.name)
        .with_for_update(of=c)
    ))


def _places(staff_id: ColumnElement[Any]) -> ColumnElement[Any]:
    return (select(func.array_agg(StaffLocationRow.location_id))
            .where(StaffLocationRow.staff_id == staff_id).scalar_subquery())


def _absences(staff_id: ColumnElement[Any]) -> ColumnElement[Any]:
    return (select(func.json_agg(aggregate_order_by(
        func.json_build_array(StaffTimeOffRow.starts_at, StaffTimeOffRow.ends_at,
                              StaffTimeOffRow.reason), StaffTimeOffRow.starts_at)))
        .where(StaffTimeOffRow.staff_id == staff_id).scalar_subquery())


HEAD = _head()
HEAD_THEN_LOCK = ("WITH h AS MATERIALIZED (" + HEAD.sql + ")"
                  " SELECT h.*, pg_advisory_xact_lock(hashtext(%(lock)s)) FROM h")
"""`HEAD`, then an advisory lock. The CTE is materialised, so each row is locked (FOR UPDATE
of the customer, waiting for its holder) before the outer select computes the lock column:
the advisory lock is queued on only once the customer's row lock is held."""


async def _missing(session: AsyncSession, business_id: UUID, customer_id: UUID) -> NotFound:
    if await session.get(BusinessRow, business_id) is None:
        return NotFound("business", business_id)
    return NotFound("customer", customer_id)


def _business(row: BusinessRow, locations: tuple[Location, ...]) -> Business:
    return Business(
        id=row.id, name=row.name, time_zone=row.time_zone, locations=locations,
        contact=catalog_codec.contact_of(row.contact),
        policies=catalog_codec.policies_of(row.policies),
    )


async def _candidates(
    session: AsyncSession, business_id: UUID, staff_id: UUID | None, skills: list[str]
) -> tuple[Staff, ...]:
    """The named staff member, or everyone with the skills; locations and time off in the
    same query (aggregated per staff member)."""
    staff_key = cast(Table, StaffRow.__table__).c.id
    places, absences = _places(staff_key), _absences(staff_key)
    who = StaffRow.id == staff_id if staff_id is not None else StaffRow.skills.contains(skills)
    rows = await session.execute(
        select(StaffRow, places, absences).where(StaffRow.business_id == business_id, who)
        .order_by(StaffRow.position, StaffRow.name)
    )
    return tuple(_staff(member, set(links or ()), _time_off(off or []))
                 for member, links, off in rows)


def _time_off(data: list[list[Any]]) -> list[TimeOff]:
    return [TimeOff(datetime.fromisoformat(start), datetime.fromisoformat(end), reason)
            for start, end, reason in data]
