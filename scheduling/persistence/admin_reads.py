"""What the admin dashboard, the REST API's listings and `/metrics` read, as frozen values.

Each read opens its own short session and returns values built before it closes: a page renders
after the unit of work is gone, and an ORM row read then is expired (DetachedInstanceError, a
500 as soon as a table held a row). Callers pass no SQL and get no row.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import desc, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from scheduling.booking.values import WaitlistEntry
from scheduling.persistence import booking_analytics as analytics
from scheduling.persistence.booking_tables import AppointmentRow
from scheduling.persistence.calendar_tables import CalendarConnectionRow
from scheduling.persistence.catalog_tables import StaffRow
from scheduling.persistence.database import make_session_factory
from scheduling.persistence.notification_tables import DeliveryAttemptRow, NotificationAlertRow
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.waitlist_tables import WaitlistEntryRow

Filters = analytics.Filters
Summary = analytics.Summary
Page = analytics.Page
utilisation = analytics.utilisation
LIVE_WAITLIST = ("waiting", "offered")


@dataclass(frozen=True, slots=True)
class AttemptView:
    """One hand-over of a message to a provider, with the kind of message it carried."""

    kind: str
    channel: str
    provider: str
    recipient: str
    status: str
    error: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class AlertView:
    kind: str
    message: str
    created_at: datetime
    appointment_id: UUID | None


@dataclass(frozen=True, slots=True)
class CalendarView:
    staff: str
    account_email: str | None
    status: str
    last_error: str | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class ConversationView:
    sender: str
    turns: int
    last: datetime


@dataclass(frozen=True, slots=True)
class TurnView:
    who: str
    at: datetime
    text: str
    intent: str | None


@dataclass(frozen=True, slots=True)
class Count:
    """Rows with one (channel, status) pair: a gauge of `/metrics`."""

    channel: str
    status: str
    n: int


class AdminReads:
    """The reads of the dashboard, the admin listings and the metrics scrape."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    @classmethod
    def on(cls, engine: AsyncEngine) -> AdminReads:
        return cls(make_session_factory(engine))

    @asynccontextmanager
    async def _session(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    async def attempts(self, failed_only: bool, limit: int = 200) -> list[AttemptView]:
        """Latest first; with `failed_only`, the failures an admin must look at."""
        query = (select(DeliveryAttemptRow, OutboxRow.kind)
                 .join(OutboxRow, OutboxRow.id == DeliveryAttemptRow.outbox_id)
                 .order_by(desc(DeliveryAttemptRow.id)).limit(limit))
        if failed_only:
            query = query.where(DeliveryAttemptRow.status == "failed")
        async with self._session() as session:
            rows = (await session.execute(query)).all()
            return [AttemptView(kind, a.channel, a.provider, a.recipient, a.status, a.error,
                                a.at) for a, kind in rows]

    async def open_alerts(self, business_id: UUID | None = None, limit: int = 100
                          ) -> list[AlertView]:
        """Unresolved alerts, newest first (of one business when `business_id` is given)."""
        query = select(NotificationAlertRow).where(NotificationAlertRow.resolved_at.is_(None))
        if business_id is not None:
            query = query.where(NotificationAlertRow.business_id == business_id)
        query = query.order_by(desc(NotificationAlertRow.created_at)).limit(limit)
        async with self._session() as session:
            return [AlertView(a.kind, a.message, a.created_at, a.appointment_id)
                    for a in await session.scalars(query)]

    async def message_counts(self) -> dict[str, int]:
        """Delivery attempts by outcome (sent, failed, skipped)."""
        async with self._session() as session:
            rows = await session.execute(select(DeliveryAttemptRow.status, func.count())
                                         .group_by(DeliveryAttemptRow.status))
            return {status: int(n) for status, n in rows.all()}

    async def calendars(self) -> list[CalendarView]:
        query = (select(CalendarConnectionRow, StaffRow.name)
                 .join(StaffRow, StaffRow.id == CalendarConnectionRow.staff_id)
                 .order_by(StaffRow.name))
        async with self._session() as session:
            return [CalendarView(name, c.account_email, c.status, c.last_error, c.updated_at)
                    for c, name in (await session.execute(query)).all()]

    async def waitlist(self, business_id: UUID, live_only: bool = False, limit: int = 200
                       ) -> list[WaitlistEntry]:
        """Entries of a business: newest first, or with `live_only` the waiting and offered
        ones oldest first (the order offers go out in)."""
        query = select(WaitlistEntryRow).where(WaitlistEntryRow.business_id == business_id)
        if live_only:
            query = query.where(WaitlistEntryRow.status.in_(LIVE_WAITLIST)) \
                .order_by(WaitlistEntryRow.created_at)
        else:
            query = query.order_by(WaitlistEntryRow.created_at.desc())
        async with self._session() as session:
            return [_entry(e) for e in await session.scalars(query.limit(limit))]

    async def conversations(self, limit: int = 100) -> list[ConversationView]:
        """Rasa's tracker store (`events`, same database): conversations, latest first."""
        async with self._session() as session:
            if not await _has_events(session):
                return []
            rows = await session.execute(text(
                "SELECT sender_id, count(*) FILTER (WHERE type_name = 'user') AS turns, "
                "max(timestamp) AS last FROM events GROUP BY sender_id ORDER BY last DESC "
                "LIMIT :n"), {"n": limit})
            return [ConversationView(s, int(t), _instant(last)) for s, t, last in rows.all()]

    async def transcript(self, sender: str) -> list[TurnView]:
        async with self._session() as session:
            if not await _has_events(session):
                return []
            rows = await session.execute(text(
                "SELECT type_name, timestamp, data FROM events WHERE sender_id = :s "
                "AND type_name IN ('user', 'bot') ORDER BY id"), {"s": sender})
            return [_turn(kind, stamp, data) for kind, stamp, data in rows.all()]

    async def metric_counts(self) -> tuple[list[Count], list[Count]]:
        """Appointments and delivery attempts by (channel, status), every replica's."""
        async with self._session() as session:
            bookings = await session.execute(
                select(AppointmentRow.channel, AppointmentRow.status, func.count())
                .group_by(AppointmentRow.channel, AppointmentRow.status))
            messages = await session.execute(
                select(DeliveryAttemptRow.channel, DeliveryAttemptRow.status, func.count())
                .group_by(DeliveryAttemptRow.channel, DeliveryAttemptRow.status))
            return ([Count(c, s, int(n)) for c, s, n in bookings.all()],
                    [Count(c, s, int(n)) for c, s, n in messages.all()])

    async def listing(self, filters: Filters, limit: int = 50, cursor: str | None = None
                      ) -> Page:
        async with self._session() as session:
            return await analytics.listing(session, filters, limit, cursor)

    async def summary(self, filters: Filters) -> Summary:
        async with self._session() as session:
            return await analytics.summary(session, filters)

    async def buckets(self, filters: Filters, grain: str, zone: str
                      ) -> list[tuple[datetime, int]]:
        async with self._session() as session:
            return await analytics.buckets(session, filters, grain, zone)

    async def heat_map(self, filters: Filters, zone: str) -> dict[tuple[int, int], int]:
        async with self._session() as session:
            return await analytics.heat_map(session, filters, zone)

    async def report(self, filters: Filters, zone: str
                     ) -> tuple[analytics.Revenue, analytics.Counts]:
        """Money and counts by channel, status, service, staff and local day (the analytics
        page and the API's summary read the same)."""
        async with self._session() as session:
            return (await analytics.revenue(session, filters),
                    await analytics.counts(session, filters, zone))


async def _has_events(session: AsyncSession) -> bool:
    return bool(await session.scalar(text("SELECT to_regclass('public.events') IS NOT NULL")))


def _instant(stamp: float | None) -> datetime:
    return datetime.fromtimestamp(float(stamp or 0), UTC)


def _turn(kind: str, stamp: float | None, data: Any) -> TurnView:
    event = json.loads(data) if isinstance(data, str) else (data or {})
    intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
    return TurnView(kind, _instant(stamp), event.get("text") or "", intent)


def _entry(row: WaitlistEntryRow) -> WaitlistEntry:
    windows = tuple((datetime.fromisoformat(lo), datetime.fromisoformat(hi))
                    for lo, hi in row.windows)
    return WaitlistEntry(row.id, row.business_id, row.customer_id, row.service_id, row.staff_id,
                         windows, row.status, row.created_at)
