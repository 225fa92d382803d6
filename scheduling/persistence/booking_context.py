"""What one booking reads before it places: the slice of the catalog it needs, the business's
booking rules, the customer (locked), whether an earlier appointment has the same idempotency
key, and the reminder lead times, in one query (two when "anyone" may give the service).

Loading the whole catalog through the ORM on every booking cost more than the booking itself
(seven queries, every staff member and service decoded); placement only looks at the service
being booked, the staff who could give it and the locations. The slice is read inside the
booking's transaction, like everything else, so a catalog change cannot be missed: there is no
cache to invalidate.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any, cast
from uuid import UUID

from sqlalchemy import ColumnElement, Table, func, select
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.model import Appointment
from scheduling.booking.values import BookingContext
from scheduling.catalog import Business, Catalog, Location, Staff
from scheduling.errors import NotFound
from scheduling.hours import TimeOff
from scheduling.notifications.reminders import DEFAULT_OFFSETS
from scheduling.persistence import booking_codec, catalog_codec, driver
from scheduling.persistence import booking_read_ahead as read_ahead
from scheduling.persistence.booking_codec import rules_of
from scheduling.persistence.booking_tables import AppointmentRow, BookingRulesRow
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


@dataclass(frozen=True, slots=True)
class Head:
    """What the first query read: the context (or the replayed appointment) and the reminder
    lead times the outbox rows will need, so they cost no query of their own."""

    found: BookingContext | Appointment
    reminder_offsets: tuple[timedelta, ...]
    ahead: read_ahead.ReadAhead | None = None


async def booking_context(
    session: AsyncSession, business_id: UUID, service_id: UUID, staff_id: UUID | None,
    customer_id: UUID, idempotency_key: str, lock: str | None = None,
    ahead: tuple[datetime, datetime] | None = None,
) -> Head:
    """The context to place in, or the appointment `idempotency_key` already booked (a
    replay needs nothing else, and is read by a second query). A named `staff_id` comes in
    the same query; None loads every staff member holding the service's skills ("anyone") in
    a second one.

    The customer's row is locked (FOR UPDATE) by the same query: that lock serialises one
    customer's bookings, so two at once cannot both pass the per-customer maximum; it is the
    first lock a booking takes, as before. `lock` names an advisory lock the same query takes
    right after it (the staff member's: the second lock, in the order every booking path
    keeps), one round trip less. Rows come back as tuples from the driver, not as ORM objects
    (`driver`): the identity map was most of this query's cost.

    `ahead` (`now`, the start asked for), with a named `staff_id` and `lock`: the staff lock
    is taken by `booking_read_ahead` instead, which also reads the customer's count and the
    staff member's bookings after it (`Head.ahead`), as a statement sent next would.
    """
    params: dict[str, object] = {
        "business_id": business_id, "service_id": service_id, "staff_id": staff_id,
        "customer_id": customer_id, "key": idempotency_key, "lock": lock}
    reading = ahead if lock is not None and staff_id is not None else None
    if reading is not None:
        params.update(now=reading[0], start=reading[1])
    query = HEAD if reading is None else AHEAD
    found = await driver.fetch(session, query.locking_sql if lock is not None and reading is None
                               else query.sql, params)
    if not found:  # one row per location
        raise await _missing(session, business_id, customer_id)
    rows = [query.split(row) for row in found]
    customer, business, service, rules, _, member, extra = rows[0]
    offsets = _offsets(extra["service_offsets"], extra["business_offsets"])
    if extra["replay"] is not None:
        return Head(await _appointment(session, extra["replay"]), offsets)
    if service is None:
        raise NotFound("service", service_id)
    locations = tuple(_location(row[4]) for row in rows if row[4] is not None)
    if member is not None:
        staff: tuple[Staff, ...] = (_staff(member, set(extra["places"] or ()),
                                           _time_off(extra["absences"] or [])),)
    elif staff_id is not None:
        staff = ()
    else:
        staff = await _anyone(session, business_id, list(service.required_skills))
    catalog = Catalog(_business(business, locations), staff, (_service(service),))
    context = BookingContext(catalog, rules_of(rules), _customer(customer),
                             bool(extra["blocked"]))
    read = (None if reading is None or staff_id is None
            else read_ahead.ReadAhead.of(extra, reading[0], staff_id))
    return Head(context, offsets, read)


def _offsets(service: list[int] | None, business: list[int] | None) -> tuple[timedelta, ...]:
    """The service's lead times, else the business's, else the defaults (`offsets_for`)."""
    minutes = service if service is not None else business
    if minutes is None:
        return DEFAULT_OFFSETS
    return tuple(timedelta(minutes=m) for m in minutes)


BOOKKEEPING = frozenset({"business_id", "position", "created_at", "archived_at",
                         "message_parts"})
"""Columns no row decoder reads: left out of the head row (fewer values to send and load)."""


class _HeadQuery:
    """The head query, written out, on the driver. Each table gives the columns its row
    decoder reads (`key` first: NULL only when an outer join found no row); `split` turns a
    row back into one attribute record per table, read like an ORM row, or None, then a dict
    of the `extras` (named expressions over the aliases).

    Its shape is for the server's planner as much as for the driver: the customer's row is
    locked in a CTE of its own, everything else is a join of single-row lookups or a scalar
    subquery, so a connection's first executions (planned each time, before PostgreSQL
    settles on a generic plan) plan in a fraction of what the seven-table join took."""

    def __init__(self, tables: Sequence[tuple[str, type[Any], str]], extras: dict[str, str],
                 joins: str) -> None:
        self.columns = [(alias, _columns(cast(Table, row.__table__), key))
                        for alias, row, key in tables]
        self.extras = tuple(extras)
        listed = ", ".join([f"{alias}.{name}" for alias, names in self.columns
                            for name in names] + [f"{sql} AS {name}"
                                                  for name, sql in extras.items()])
        self.sql = joins.format(columns=listed, lock="")
        self.locking_sql = joins.format(columns=listed, lock=", " + LOCK)

    def split(self, row: tuple[Any, ...]) -> list[Any]:
        parts: list[Any] = []
        at = 0
        for _, names in self.columns:
            values = row[at:at + len(names)]
            parts.append(None if values[0] is None else
                         SimpleNamespace(**dict(zip(names, values, strict=True))))
            at += len(names)
        parts.append(dict(zip(self.extras, row[at:at + len(self.extras)], strict=True)))
        return parts


def _columns(table: Table, key: str) -> tuple[str, ...]:
    return (key, *(c.name for c in table.columns if c.name != key and c.name not in BOOKKEEPING))


LOCK = "pg_advisory_xact_lock(hashtext(%(lock)s::text))"
"""Taken per row the outer select returns: each is a join with the customer's CTE, whose row
lock (FOR UPDATE, waiting for its holder) is therefore held first."""

TABLES = [("c", CustomerRow, "id"), ("b", BusinessRow, "id"), ("s", ServiceRow, "id"),
          ("r", BookingRulesRow, "business_id"), ("l", LocationRow, "id"),
          ("t", StaffRow, "id")]
EXTRAS = {
        "blocked": "EXISTS (SELECT FROM customer_blocks k WHERE k.customer_id = c.id)",
        # Only the unique index led by the key can serve this (OFFSET 0 keeps the business
        # test outside): a new database has no statistics, and the planner then preferred
        # the smaller indexes led by business_id and read every appointment of the business.
        "replay": "(SELECT x.id FROM (SELECT id, business_id FROM appointments"
                  " WHERE idempotency_key = %(key)s::text OFFSET 0) AS x"
                  " WHERE x.business_id = b.id)",
        "places": "(SELECT array_agg(p.location_id) FROM staff_locations p"
                  " WHERE p.staff_id = t.id)",
        "absences": "(SELECT json_agg(json_build_array(o.starts_at, o.ends_at, o.reason)"
                    " ORDER BY o.starts_at) FROM staff_time_off o WHERE o.staff_id = t.id)",
        "service_offsets": "(SELECT minutes FROM reminder_offsets"
                           " WHERE scope_id = %(service_id)s::uuid)",
        "business_offsets": "(SELECT minutes FROM reminder_offsets"
                            " WHERE scope_id = %(business_id)s::uuid)",
}
_JOINS = (
    "WITH c AS MATERIALIZED (SELECT * FROM customers WHERE id = %(customer_id)s::uuid"
    " FOR UPDATE)<ahead> SELECT {columns}{lock} FROM c<ahead_join>"
    " JOIN businesses b ON b.id = %(business_id)s::uuid"
    " LEFT JOIN services s ON s.id = %(service_id)s::uuid AND s.business_id = b.id"
    " AND s.archived_at IS NULL"
    " LEFT JOIN booking_rules r ON r.business_id = b.id"
    " LEFT JOIN locations l ON l.business_id = b.id AND l.archived_at IS NULL"
    " LEFT JOIN staff t ON t.id = %(staff_id)s::uuid AND t.business_id = b.id"
    " AND t.archived_at IS NULL"
    " ORDER BY l.position, l.name"
)
HEAD = _HeadQuery(TABLES, EXTRAS, _JOINS.replace("<ahead>", "").replace("<ahead_join>", ""))
AHEAD = _HeadQuery(TABLES, {**EXTRAS, **read_ahead.EXTRAS},
                   _JOINS.replace("<ahead>", read_ahead.CTE.replace("{", "{{").replace("}", "}}"))
                   .replace("<ahead_join>", read_ahead.JOIN))
"""The head query that reads ahead (`booking_read_ahead`): its `sql`, which takes the staff
lock in `h`, not per row."""


async def _appointment(session: AsyncSession, appointment_id: UUID) -> Appointment:
    row = await session.get(AppointmentRow, appointment_id)
    if row is None:  # deleted since the head query's snapshot
        raise NotFound("appointment", appointment_id)
    return booking_codec.appointment(row)


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


async def _anyone(session: AsyncSession, business_id: UUID, skills: list[str]
                  ) -> tuple[Staff, ...]:
    """Everyone with the skills; locations and time off in the same query (aggregated per
    staff member)."""
    staff_key = cast(Table, StaffRow.__table__).c.id
    rows = await session.execute(
        select(StaffRow, _places(staff_key), _absences(staff_key))
        .where(StaffRow.business_id == business_id, StaffRow.skills.contains(skills),
               StaffRow.archived_at.is_(None))
        .order_by(StaffRow.position, StaffRow.name)
    )
    return tuple(_staff(member, set(links or ()), _time_off(off or []))
                 for member, links, off in rows)


def _places(staff_id: ColumnElement[Any]) -> ColumnElement[Any]:
    return (select(func.array_agg(StaffLocationRow.location_id))
            .where(StaffLocationRow.staff_id == staff_id).scalar_subquery())


def _absences(staff_id: ColumnElement[Any]) -> ColumnElement[Any]:
    return (select(func.json_agg(aggregate_order_by(
        func.json_build_array(StaffTimeOffRow.starts_at, StaffTimeOffRow.ends_at,
                              StaffTimeOffRow.reason), StaffTimeOffRow.starts_at)))
        .where(StaffTimeOffRow.staff_id == staff_id).scalar_subquery())


def _time_off(data: list[list[Any]]) -> list[TimeOff]:
    return [TimeOff(datetime.fromisoformat(start), datetime.fromisoformat(end), reason)
            for start, end, reason in data]
