"""Every money movement of a business, read from where each is recorded: a deposit paid is
its audit entry (`payments.record_paid` writes who, how and the reference, online or at the
desk), a refund is its outbox message (queued by the cancellation) joined to what the provider
answered (`payment_refunds`), a fee is its `payment_fees` row.

One row shape for every source (`_SOURCES`), so the list, its totals and the analytics'
money collected per day read the same rows: a new kind of movement is one more source here,
and every figure counts it.

Collected money counts a deposit or fee when it was paid and takes a refund off when it was
made (by the provider, or owed back at the desk for a deposit paid in person); a refund still
being tried or failed, and a fee asked for and not yet paid, count nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Numeric,
    Select,
    String,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.persistence.booking_tables import AppointmentRow as A
from scheduling.persistence.booking_tables import BookingEventRow as E
from scheduling.persistence.fee_tables import FeeRow as F
from scheduling.persistence.outbox import OutboxRow as O
from scheduling.persistence.payment_tables import RefundRow as R

LIMIT = 500
"""Rows a page shows (the newest); the totals always count the whole range."""
COLLECTED = ("paid", "refunded", "refund at the desk")
"""Statuses whose money has moved: counted in what was collected."""


@dataclass(frozen=True, slots=True)
class Movement:
    """One deposit, refund or fee. `amount` is positive; `kind` says which way it went."""

    at: datetime
    kind: str
    appointment_id: UUID | None
    customer: str
    amount: Decimal
    method: str
    reference: str
    status: str


@dataclass(frozen=True, slots=True)
class Totals:
    deposits: Decimal
    fees: Decimal
    refunded: Decimal
    refunds_pending: Decimal

    @property
    def collected(self) -> Decimal:
        return self.deposits + self.fees - self.refunded


@dataclass(frozen=True, slots=True)
class Scope:
    """Movements of one business (at some of its locations) in [start, end)."""

    business_id: UUID
    start: datetime
    end: datetime
    location_ids: tuple[UUID, ...] = ()


def _deposits() -> Select[Any]:
    return select(
        E.at.label("at"), literal("deposit").label("kind"), A.id.label("appointment_id"),
        A.contact_name.label("customer"), A.payment_amount.label("amount"),
        E.data["paid_in"].astext.label("method"), E.data["reference"].astext.label("reference"),
        literal("paid").label("status"), A.business_id, A.location_id,
    ).join(A, A.id == E.subject_id).where(E.data.has_key("paid_in"))


def _late_payments() -> Select[Any]:
    """Money that came for a booking already released (or paid twice): no audit entry marks
    it paid, only the refund it queued (with its reason) records that it arrived."""
    return select(
        O.created_at.label("at"), literal("deposit").label("kind"),
        A.id.label("appointment_id"), A.contact_name.label("customer"),
        cast(O.payload["amount"].astext, Numeric(12, 2)).label("amount"),
        literal("online").label("method"), O.payload["reference"].astext.label("reference"),
        literal("paid").label("status"), A.business_id, A.location_id,
    ).join(A, A.id == O.appointment_id).where(O.kind == "refund", O.payload.has_key("reason"))


def _refunds() -> Select[Any]:
    """A refund queued and not yet tried has no `payment_refunds` row; one recorded without
    its message (kept after the message was purged) has no outbox row: both are listed."""
    o = select(O.id, O.created_at, O.status, O.appointment_id,
               O.payload["reference"].astext.label("reference"),
               O.payload["amount"].astext.label("amount")).where(O.kind == "refund").subquery()
    reference = func.coalesce(R.provider_id, o.c.reference, R.payment_reference)
    online = func.coalesce(R.payment_reference, o.c.reference).like("pi_%")
    untried = R.outbox_id.is_(None)
    status = case(
        (R.status == "succeeded", "refunded"),
        (or_(R.status == "failed", o.c.status == "failed"), "failed"),
        (and_(untried, o.c.status == "cancelled", ~online), "refund at the desk"),
        (and_(untried, o.c.status == "cancelled"), "withdrawn"),
        else_="pending")
    joined = o.join(R, R.outbox_id == o.c.id, full=True).join(
        A, A.id == func.coalesce(R.appointment_id, o.c.appointment_id))
    return select(
        func.coalesce(o.c.created_at, R.created_at).label("at"),
        literal("refund").label("kind"), A.id.label("appointment_id"),
        A.contact_name.label("customer"),
        func.coalesce(R.amount, cast(o.c.amount, Numeric(12, 2))).label("amount"),
        case((online, "online"), else_="in person").label("method"),
        cast(reference, String).label("reference"), status.label("status"),
        A.business_id, A.location_id,
    ).select_from(joined)


def _fees() -> Select[Any]:
    """A late-cancel or no-show fee: charged to the saved card, paid through its pay link or
    at the desk (counted when the money came, `updated_at`), or still asked for."""
    moved = F.status.in_(["charged", "paid"])
    in_person = F.provider_id.like("in person%")
    status = case((moved, "paid"), (F.status.in_(["declined", "requested"]), "pay link sent"),
                  (F.status == "retrying", "pending"), else_=F.status)
    method = case((in_person, "in person"), (F.status == "charged", "saved card"),
                  else_="online")
    return select(
        case((moved, F.updated_at), else_=F.created_at).label("at"),
        literal("fee").label("kind"), A.id.label("appointment_id"),
        A.contact_name.label("customer"), F.amount.label("amount"), method.label("method"),
        func.coalesce(F.provider_id, "").label("reference"), status.label("status"),
        A.business_id, A.location_id,
    ).join(A, A.id == F.appointment_id)


_SOURCES: tuple[Callable[[], Select[Any]], ...] = (_deposits, _late_payments, _refunds, _fees)


def _movements(scope: Scope) -> tuple[Subquery, list[ColumnElement[bool]]]:
    every = _SOURCES[0]().union_all(*(source() for source in _SOURCES[1:])).subquery()
    conditions = [every.c.business_id == scope.business_id, every.c.at >= scope.start,
                  every.c.at < scope.end]
    if scope.location_ids:
        conditions.append(every.c.location_id.in_(scope.location_ids))
    return every, conditions


async def movements(session: AsyncSession, scope: Scope, limit: int | None = LIMIT
                    ) -> list[Movement]:
    """Newest first; `limit` None reads them all (the CSV)."""
    every, where = _movements(scope)
    rows = await session.execute(
        select(every.c.at, every.c.kind, every.c.appointment_id, every.c.customer,
               every.c.amount, every.c.method, every.c.reference, every.c.status)
        .where(*where).order_by(every.c.at.desc(), every.c.kind).limit(limit))
    return [Movement(at, kind, appointment, customer or "", Decimal(amount or 0),
                     method or "", reference or "", status)
            for at, kind, appointment, customer, amount, method, reference, status in rows]


async def totals(session: AsyncSession, scope: Scope) -> Totals:
    every, where = _movements(scope)
    moved = every.c.status.in_(COLLECTED)

    def total(*when: Any) -> Any:
        return func.coalesce(func.sum(every.c.amount).filter(*when), 0)

    row = (await session.execute(select(
        total(every.c.kind == "deposit", moved), total(every.c.kind == "fee", moved),
        total(every.c.kind == "refund", moved),
        total(every.c.kind == "refund", every.c.status == "pending"),
    ).where(*where))).one()
    return Totals(*(Decimal(value) for value in row))


async def collected_by_day(session: AsyncSession, scope: Scope, zone: str) -> dict[date, Decimal]:
    """Money collected per local day in `zone` (the business's clock); only days where
    money moved are present."""
    every, where = _movements(scope)
    day = func.date(func.timezone(zone, every.c.at))
    signed = case((every.c.kind == "refund", -every.c.amount), else_=every.c.amount)
    rows = await session.execute(select(day, func.sum(signed))
                                 .where(*where, every.c.status.in_(COLLECTED)).group_by(day))
    return {found: Decimal(amount) for found, amount in rows}


__all__ = ["Movement", "Scope", "Totals", "collected_by_day", "movements", "totals"]
