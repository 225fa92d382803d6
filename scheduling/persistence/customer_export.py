"""Everything we hold about one customer, as one JSON-ready document (the right of access):
the profile and the desk's notes, appointments with their audit trail and the desk's notes on
them, messages sent or due and how each delivery went, waitlist entries and offers, one-time
codes (when and where sent; never the code), short links, series, an SMS opt-out, and the chat
conversations that are theirs (`LINKED_CHATS`)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import inspect, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.persistence.booking_tables import AppointmentRow as A
from scheduling.persistence.booking_tables import BookingEventRow, CustomerBlockRow, SeriesRow
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.customer_reads import like_literal
from scheduling.persistence.customer_tables import CustomerRecordRow
from scheduling.persistence.desk_tables import VerificationCodeRow
from scheduling.persistence.notification_tables import DeliveryAttemptRow, SmsOptOutRow
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.short_link_tables import ShortLinkRow
from scheduling.persistence.waitlist_tables import WaitlistEntryRow, WaitlistOfferRow

Json = dict[str, Any]
SECRETS = frozenset({"code_hash"})
"""Columns never exported: a hash of a one-time code is ours, not the customer's data."""


def plain(value: Any) -> Any:
    """A value JSON can hold: ids and amounts as strings, instants in ISO 8601."""
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _row(row: Any) -> Json:
    return {a.key: plain(getattr(row, a.key)) for a in inspect(row).mapper.column_attrs
            if a.key not in SECRETS}


def _rows(rows: Iterable[Any]) -> list[Json]:
    return [_row(r) for r in rows]


async def export(session: AsyncSession, customer_id: UUID) -> Json:
    customer = await session.get(CustomerRow, customer_id)
    if customer is None:
        return {}
    record = await session.get(CustomerRecordRow, customer_id)
    block = await session.get(CustomerBlockRow, customer_id)
    appointments = list(await session.scalars(
        select(A).where(A.customer_id == customer_id).order_by(A.starts_at)))
    ids = [a.id for a in appointments]
    entries = list(await session.scalars(select(WaitlistEntryRow)
                                         .where(WaitlistEntryRow.customer_id == customer_id)))
    messages = await _messages(session, customer_id, ids)
    phone = customer.phone
    contacts = sorted({c for a in appointments for c in (a.contact_phone, a.contact_email) if c}
                      | {c for c in (customer.phone, customer.email) if c})
    return {
        "profile": _row(customer) | {"desk_notes": record.notes if record else "",
                                     "erased_at": plain(record.erased_at if record else None)},
        "blocked": _row(block) if block else None,
        "appointments": _rows(appointments),
        "appointment_desk_notes": await _desk_notes(session, ids),
        "audit_trail": _rows(await session.scalars(
            select(BookingEventRow).where(BookingEventRow.subject_id.in_(
                [*ids, customer_id, *(e.id for e in entries)])).order_by(BookingEventRow.id))),
        "messages": messages,
        "waitlist_entries": _rows(entries),
        "waitlist_offers": _rows(await session.scalars(select(WaitlistOfferRow).where(
            WaitlistOfferRow.entry_id.in_([e.id for e in entries])))),
        "verification_codes": _rows(await session.scalars(select(VerificationCodeRow).where(
            VerificationCodeRow.customer_id == customer_id))),
        "short_links": _rows(await session.scalars(select(ShortLinkRow).where(
            ShortLinkRow.subject_id.in_(ids)))),
        "series": _rows(await session.scalars(select(SeriesRow).where(
            SeriesRow.customer_id == customer_id))),
        "sms_opt_out": _rows(await session.scalars(select(SmsOptOutRow).where(
            SmsOptOutRow.phone == phone))) if phone else [],
        "conversations": await _conversations(session, contacts),
    }


async def _messages(session: AsyncSession, customer_id: UUID, ids: list[UUID]) -> list[Json]:
    """Each message with its delivery attempts (to whom, by what, how it went)."""
    rows = list(await session.scalars(select(OutboxRow).where(or_(
        OutboxRow.appointment_id.in_(ids),
        OutboxRow.payload["customer_id"].astext == str(customer_id))).order_by(
        OutboxRow.created_at)))
    attempts = list(await session.scalars(select(DeliveryAttemptRow).where(
        DeliveryAttemptRow.outbox_id.in_([r.id for r in rows])).order_by(DeliveryAttemptRow.id)))
    return [_row(r) | {"deliveries": _rows(a for a in attempts if a.outbox_id == r.id)}
            for r in rows]


async def _desk_notes(session: AsyncSession, ids: list[UUID]) -> list[Json]:
    """The desk's notes on their appointments (migration 0016), when that table exists."""
    if not await _exists(session, "appointment_desk_notes"):
        return []
    rows = await session.execute(text(
        "SELECT appointment_id, body, updated_at FROM appointment_desk_notes "
        "WHERE appointment_id = ANY(:ids)"), {"ids": ids})
    return [{"appointment_id": plain(a), "note": body, "updated_at": plain(at)}
            for a, body, at in rows.all()]


LINKED_CHATS = ("sender_id = ANY(:senders) OR sender_id IN "
                "(SELECT sender_id FROM events WHERE data ILIKE ANY(:parts))")
"""Rasa's conversations (`events`) that are a customer's: by text or call from their number
(the conversation's id), or a web chat in which their phone or e-mail was written."""


def linked_chats(contacts: Iterable[str]) -> dict[str, list[str]]:
    """The parameters of `LINKED_CHATS` for these phones and e-mails."""
    known = [c for c in contacts if c and ("@" in c or c.startswith("+"))]
    return {"senders": [f"{channel}:{c}" for c in known for channel in ("sms", "voice")],
            "parts": ["%" + like_literal(c) + "%" for c in known]}



async def _conversations(session: AsyncSession, contacts: list[str]) -> list[Json]:
    """What they and the bot said, turn by turn."""
    if not contacts or not await _exists(session, "events"):
        return []
    rows = await session.execute(text(
        f"SELECT sender_id, type_name, timestamp, data FROM events WHERE ({LINKED_CHATS}) "
        "AND type_name IN ('user', 'bot') ORDER BY id"), linked_chats(contacts))
    return [{"conversation": s, "who": kind, "at": stamp, "text": _said(data)}
            for s, kind, stamp, data in rows.all()]


def _said(data: Any) -> Any:
    event = json.loads(data) if isinstance(data, str) else (data or {})
    return event.get("text") if isinstance(event, dict) else event


async def _exists(session: AsyncSession, table: str) -> bool:
    return bool(await session.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}))
