"""The front desk's reads of customers: the searchable list with each customer's visit figures,
and one customer's profile with every appointment. Values are built before the session closes
(see `admin_reads`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, case, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from scheduling.booking.model import BOOKED
from scheduling.desk.customer_values import (
    CustomerLine,
    CustomerPage,
    CustomerProfile,
    CustomerQuery,
    Visit,
)
from scheduling.persistence import catalog_codec as codec
from scheduling.persistence.booking_tables import AppointmentRow as A
from scheduling.persistence.booking_tables import CustomerBlockRow
from scheduling.persistence.catalog_tables import CustomerRow as C
from scheduling.persistence.catalog_tables import ServiceRow, StaffRow
from scheduling.persistence.customer_tables import CustomerRecordRow as R
from scheduling.persistence.waitlist_tables import WaitlistEntryRow

BOOKED_VALUES = [s.value for s in BOOKED]
STARTED = ("completed", "no_show", *BOOKED_VALUES)
"""Statuses of an appointment that took (or takes) place: the last visit is one of these."""


class CustomerReads:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def search(self, query: CustomerQuery, now: datetime) -> CustomerPage:
        """One page of the business's customers matching `query`, erased ones last."""
        wanted = _matching(query)
        listed = (select(C.id, C.name, C.phone, C.email, R.erased_at,
                         exists().where(CustomerBlockRow.customer_id == C.id))
                  .outerjoin(R, R.customer_id == C.id).where(*wanted)
                  .order_by(R.erased_at.is_not(None), func.lower(C.name), C.id)
                  .offset((query.page - 1) * query.size).limit(query.size))
        async with self._sessions() as session:
            total = await session.scalar(select(func.count()).select_from(C).where(*wanted))
            rows = (await session.execute(listed)).all()
            figures = await _figures(session, [r[0] for r in rows], query.staff_id, now)
        lines = tuple(CustomerLine(i, name, phone, email, *figures.get(i, (0, 0, None, None)),
                                   blocked=bool(blocked), erased=erased is not None)
                      for i, name, phone, email, erased, blocked in rows)
        return CustomerPage(lines, query.page, int(total or 0), query.size)

    async def profile(self, business_id: UUID, customer_id: UUID,
                      staff_id: UUID | None = None) -> CustomerProfile | None:
        """The customer with their visits (only those with `staff_id`, when given); None when
        the customer is not the business's."""
        async with self._sessions() as session:
            row = (await session.execute(
                select(C, R, CustomerBlockRow.reason)
                .outerjoin(R, R.customer_id == C.id)
                .outerjoin(CustomerBlockRow, CustomerBlockRow.customer_id == C.id)
                .where(C.id == customer_id, C.business_id == business_id))).first()
            if row is None:
                return None
            visits = await _visits(session, customer_id, staff_id)
            seen = await session.scalars(select(A.staff_id).distinct()
                                         .where(A.customer_id == customer_id))
            waiting = await session.scalar(select(func.count()).select_from(WaitlistEntryRow)
                                           .where(WaitlistEntryRow.customer_id == customer_id,
                                                  WaitlistEntryRow.status.in_(
                                                      ("waiting", "offered"))))
            return _profile(row[0], row[1], row[2], visits, frozenset(seen), int(waiting or 0))


def _matching(query: CustomerQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [C.business_id == query.business_id]
    if query.staff_id is not None:
        where.append(exists().where(A.customer_id == C.id, A.staff_id == query.staff_id))
    found: list[ColumnElement[bool]] = []
    if query.text:
        part = "%" + like_literal(query.text.lower()) + "%"
        found += [func.lower(C.name).like(part, escape="\\"),
                  func.lower(C.email).like(part, escape="\\")]
    if query.phone:
        found += [C.phone == query.phone,
                  exists().where(A.customer_id == C.id, A.contact_phone == query.phone)]
    if query.digits:
        found.append(C.phone.like("%" + query.digits + "%"))
    if found:
        where.append(or_(*found))
    return where


def like_literal(text: str) -> str:
    """`text` matched as itself by LIKE (an e-mail's `_` is not any character)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


Figures = tuple[int, int, datetime | None, datetime | None]


async def _figures(session: AsyncSession, ids: Sequence[UUID], staff_id: UUID | None,
                   now: datetime) -> dict[UUID, Figures]:
    """Visits, no-shows, last and next appointment of each listed customer, in one query."""
    if not ids:
        return {}
    started = and_(A.status.in_(STARTED), A.starts_at <= now)
    upcoming = and_(A.status.in_(BOOKED_VALUES), A.starts_at > now)
    query = (
        select(A.customer_id, func.count().filter(A.status == "completed"),
               func.count().filter(A.status == "no_show"),
               func.max(case((started, A.starts_at))), func.min(case((upcoming, A.starts_at))))
        .where(A.customer_id.in_(list(ids))).group_by(A.customer_id))
    if staff_id is not None:
        query = query.where(A.staff_id == staff_id)
    rows = (await session.execute(query)).all()
    return {i: (int(done), int(missed), last, soon) for i, done, missed, last, soon in rows}


async def _visits(session: AsyncSession, customer_id: UUID, staff_id: UUID | None
                  ) -> tuple[Visit, ...]:
    """Every appointment, newest first (holds are not appointments yet)."""
    query = (select(A.id, A.starts_at, A.customer_time_zone, ServiceRow.name, StaffRow.name,
                    A.staff_id, A.status, A.price, A.channel)
             .join(ServiceRow, ServiceRow.id == A.service_id)
             .join(StaffRow, StaffRow.id == A.staff_id)
             .where(A.customer_id == customer_id, A.status != "held")
             .order_by(A.starts_at.desc(), A.id))
    if staff_id is not None:
        query = query.where(A.staff_id == staff_id)
    return tuple(Visit(*row) for row in (await session.execute(query)).all())


def _profile(customer: C, record: R | None, block_reason: str | None, visits: tuple[Visit, ...],
             seen: frozenset[UUID], waiting: int) -> CustomerProfile:
    return CustomerProfile(
        customer.id, customer.business_id, customer.name, customer.phone, customer.email,
        customer.phone_verified_at is not None, customer.email_verified_at is not None,
        customer.created_at, record.notes if record else "",
        codec.preferences_of(customer.preferences),
        codec.notifications_of(customer.notifications),
        block_reason is not None, block_reason or "", record.erased_at if record else None,
        visits, waiting, seen)

