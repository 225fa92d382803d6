"""Reads only the dashboard needs (messages, calendars, conversations); bookings and analytics
come from `scheduling.persistence.booking_analytics` like the REST API's."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import desc, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.persistence.calendar_tables import CalendarConnectionRow
from scheduling.persistence.catalog_tables import StaffRow
from scheduling.persistence.notification_tables import DeliveryAttemptRow, NotificationAlertRow
from scheduling.persistence.outbox import OutboxRow

Row = dict[str, Any]


def _kept(session: AsyncSession, rows: list[Any]) -> list[Any]:
    """ORM rows a page reads after its unit of work rolled back: taken out of the session, they
    keep what was loaded; left in, the rollback expires them and the template's first read of
    an attribute fails (DetachedInstanceError, a 500) as soon as there is one such row."""
    for row in rows:
        session.expunge(row)
    return rows


async def attempts(session: AsyncSession, failed_only: bool, limit: int = 200) -> list[Row]:
    query = (select(DeliveryAttemptRow, OutboxRow.kind)
             .join(OutboxRow, OutboxRow.id == DeliveryAttemptRow.outbox_id)
             .order_by(desc(DeliveryAttemptRow.id)).limit(limit))
    if failed_only:
        query = query.where(DeliveryAttemptRow.status == "failed")
    rows = (await session.execute(query)).all()
    _kept(session, [a for a, _ in rows])
    return [{"attempt": a, "kind": kind} for a, kind in rows]


async def alerts(session: AsyncSession) -> list[NotificationAlertRow]:
    rows = await session.scalars(select(NotificationAlertRow)
                                 .where(NotificationAlertRow.resolved_at.is_(None))
                                 .order_by(desc(NotificationAlertRow.created_at)).limit(100))
    return _kept(session, list(rows))


async def calendars(session: AsyncSession) -> list[Row]:
    rows = await session.execute(
        select(CalendarConnectionRow, StaffRow.name)
        .join(StaffRow, StaffRow.id == CalendarConnectionRow.staff_id)
        .order_by(StaffRow.name))
    found = rows.all()
    _kept(session, [c for c, _ in found])
    return [{"connection": c, "staff": name} for c, name in found]


async def _has_events(session: AsyncSession) -> bool:
    found = await session.scalar(text("SELECT to_regclass('public.events') IS NOT NULL"))
    return bool(found)


async def conversations(session: AsyncSession, limit: int = 100) -> list[Row]:
    """Rasa's tracker store (`events`, same database): conversations, latest first."""
    if not await _has_events(session):
        return []
    rows = await session.execute(text(
        "SELECT sender_id, count(*) FILTER (WHERE type_name = 'user') AS turns, "
        "max(timestamp) AS last FROM events GROUP BY sender_id ORDER BY last DESC LIMIT :n"),
        {"n": limit})
    return [{"sender": s, "turns": t, "last": datetime.fromtimestamp(float(last))}
            for s, t, last in rows.all()]


async def transcript(session: AsyncSession, sender: str) -> list[Row]:
    if not await _has_events(session):
        return []
    rows = await session.execute(text(
        "SELECT type_name, timestamp, data FROM events WHERE sender_id = :s "
        "AND type_name IN ('user', 'bot') ORDER BY id"), {"s": sender})
    out = []
    for kind, stamp, data in rows.all():
        event = json.loads(data) if isinstance(data, str) else (data or {})
        out.append({"who": kind, "at": datetime.fromtimestamp(float(stamp)),
                    "text": event.get("text") or "",
                    "intent": (event.get("parse_data") or {}).get("intent", {}).get("name")})
    return out


async def message_counts(session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(DeliveryAttemptRow.status, func.count())
                                 .group_by(DeliveryAttemptRow.status))
    return {status: int(n) for status, n in rows.all()}
