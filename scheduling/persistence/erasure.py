"""Erasing a customer's personal data, on the caller's session (one transaction with the
cancellations the use case makes first; see `scheduling.desk.customer_records.erase`).

What goes and what stays:

- The profile stays as a row (appointments refer to it) with no name, phone, e-mail, time
  zone, notes or preferences; `customer_records.erased_at` says it was erased.
- Appointments stay, for the books and the analytics (times, service, staff, price, status,
  channel), with no contact, no participants' names and no notes; the desk's notes on them are
  emptied.
- Messages to them still pending are withdrawn (calendar updates still go: they delete the
  Google events of the appointments cancelled); every message, delivery attempt, alert and
  audit entry of theirs keeps its row with their name, phone and e-mail replaced.
- Their one-time codes, short links, waitlist entries and offers, block, SMS opt-out, rate
  limit buckets and chat conversations (by phone, or naming their phone or e-mail) are deleted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement, Text, cast, delete, func, or_, select, text
from sqlalchemy import update as sql_update
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.catalog import CustomerPreferences, NotificationPreferences
from scheduling.persistence import catalog_codec as codec
from scheduling.persistence.booking_tables import AppointmentRow as A
from scheduling.persistence.booking_tables import BookingEventRow, CustomerBlockRow, SeriesRow
from scheduling.persistence.calendar_tables import CalendarEventLinkRow
from scheduling.persistence.catalog_tables import CustomerRow
from scheduling.persistence.customer_export import LINKED_CHATS, linked_chats
from scheduling.persistence.customer_tables import CustomerRecordRow
from scheduling.persistence.desk_tables import VerificationCodeRow
from scheduling.persistence.limit_tables import RateLimitRow, ReceiptRow
from scheduling.persistence.notification_tables import (
    DeliveryAttemptRow,
    NotificationAlertRow,
    SmsOptOutRow,
)
from scheduling.persistence.outbox import OutboxRow
from scheduling.persistence.short_link_tables import ShortLinkRow
from scheduling.persistence.waitlist_tables import WaitlistEntryRow, WaitlistOfferRow

ERASED = "[erased]"
KEEP_PENDING = ("calendar_event",)
"""Pending messages that still go after an erasure: they carry no contact and keep Google's
calendar in step with the cancellations."""
NOTE_TABLES = (("appointment_desk_notes", "body"),)
"""Free-text notes other modules keep per appointment, emptied when the table exists."""


async def leave_waitlist(session: AsyncSession, customer_id: UUID) -> list[UUID]:
    """Delete the customer's waitlist entries (their offers go with them); the appointments
    that held offered slots for them, to anonymise with theirs."""
    entries = select(WaitlistEntryRow.id).where(WaitlistEntryRow.customer_id == customer_id)
    holds = await session.scalars(select(WaitlistOfferRow.hold_id).where(
        WaitlistOfferRow.entry_id.in_(entries), WaitlistOfferRow.hold_id.is_not(None)))
    found = [h for h in holds if h is not None]
    await session.execute(delete(WaitlistEntryRow)
                          .where(WaitlistEntryRow.customer_id == customer_id))
    return found


async def erase(session: AsyncSession, customer_id: UUID, holds: Sequence[UUID],
                now: datetime) -> None:
    """Everything but the waitlist (`leave_waitlist`, called before the cancellations)."""
    ids = list(await session.scalars(select(A.id).where(A.customer_id == customer_id)))
    ids += holds
    known = await _known(session, customer_id, ids)
    outbox = await _messages(session, customer_id, ids, known)
    await _appointments(session, customer_id, ids, known)
    await _trail(session, customer_id, ids, known)
    await _attempts(session, outbox, known)
    await _forget(session, customer_id, ids, known)
    await _conversations(session, known)
    await _profile(session, customer_id, now)


async def _known(session: AsyncSession, customer_id: UUID, ids: list[UUID]) -> list[str]:
    """Every name, phone and e-mail we hold for them: the profile's, what their appointments
    were booked with, where their codes and messages went."""
    profile = (await session.execute(select(CustomerRow.name, CustomerRow.phone, CustomerRow.email)
                                     .where(CustomerRow.id == customer_id))).one()
    booked = (await session.execute(select(A.contact_name, A.contact_phone, A.contact_email)
                                    .where(A.id.in_(ids)))).all()
    codes = await session.scalars(select(VerificationCodeRow.sent_to)
                                  .where(VerificationCodeRow.customer_id == customer_id))
    values = {*profile, *(v for row in booked for v in row), *codes}
    return sorted((v for v in values if v and len(v.strip()) >= 2), key=len, reverse=True)


def _scrub(column: Any, known: Iterable[str], json_text: bool = False) -> ColumnElement[Any]:
    """`column` with each known value (any case) replaced; inside JSON, as JSON writes it."""
    out: ColumnElement[Any] = cast(column, Text) if json_text else column
    for value in known:
        written = json.dumps(value, ensure_ascii=False)[1:-1] if json_text else value
        out = func.regexp_replace(out, re.escape(written), ERASED, "gi")
    return cast(out, JSONB) if json_text else out


async def _messages(session: AsyncSession, customer_id: UUID, ids: list[UUID],
                    known: list[str]) -> list[UUID]:
    """Withdraw what is still to be sent to them and scrub every message of theirs."""
    theirs = or_(OutboxRow.appointment_id.in_(ids),
                 OutboxRow.payload["customer_id"].astext == str(customer_id))
    outbox = list(await session.scalars(select(OutboxRow.id).where(theirs)))
    await session.execute(sql_update(OutboxRow).where(
        OutboxRow.id.in_(outbox), OutboxRow.status == "pending",
        OutboxRow.kind.not_in(KEEP_PENDING)).values(status="cancelled"))
    await session.execute(sql_update(OutboxRow).where(OutboxRow.id.in_(outbox)).values(
        payload=_scrub(OutboxRow.payload, known, True),
        last_error=_scrub(OutboxRow.last_error, known)))
    return outbox


async def _appointments(session: AsyncSession, customer_id: UUID, ids: list[UUID],
                        known: list[str]) -> None:
    """Theirs anonymised; in other people's group bookings, their name as a participant."""
    nameless = text("COALESCE((SELECT jsonb_agg(p || jsonb_build_object('name', "
                    "CAST(:erased AS text))) FROM jsonb_array_elements(appointments.participants)"
                    " AS p), '[]'::jsonb)"
                    ).bindparams(erased=ERASED)
    await session.execute(sql_update(A).where(A.id.in_(ids)).values(
        contact_name=None, contact_phone=None, contact_email=None, participants=nameless,
        notes="", cancel_reason=_scrub(A.cancel_reason, known),
        idempotency_key=_scrub(A.idempotency_key, known), address=_scrub(A.address, known)))
    await session.execute(text(
        "UPDATE appointments SET participants = (SELECT jsonb_agg(CASE WHEN p->>'customer_id' "
        "= :c THEN p || jsonb_build_object('name', CAST(:erased AS text)) ELSE p END) FROM "
        "jsonb_array_elements(participants) AS p) WHERE participants @> CAST(:me AS jsonb)"),
        {"c": str(customer_id), "erased": ERASED,
         "me": json.dumps([{"customer_id": str(customer_id)}])})
    for table, column in NOTE_TABLES:
        if await session.scalar(text("SELECT to_regclass(:t) IS NOT NULL"), {"t": table}):
            await session.execute(text(f'UPDATE "{table}" SET "{column}" = \'\' '
                                       "WHERE appointment_id = ANY(:ids)"), {"ids": ids})
    await session.execute(sql_update(CalendarEventLinkRow)
                          .where(CalendarEventLinkRow.appointment_id.in_(ids))
                          .values(sync_note=_scrub(CalendarEventLinkRow.sync_note, known)))
    await session.execute(sql_update(NotificationAlertRow)
                          .where(NotificationAlertRow.appointment_id.in_(ids))
                          .values(message=_scrub(NotificationAlertRow.message, known)))


async def _trail(session: AsyncSession, customer_id: UUID, ids: list[UUID],
                 known: list[str]) -> None:
    series = select(SeriesRow.id).where(SeriesRow.customer_id == customer_id)
    subjects = or_(BookingEventRow.subject_id.in_([*ids, customer_id]),
                   BookingEventRow.subject_id.in_(series))
    await session.execute(sql_update(BookingEventRow).where(subjects).values(
        reason=_scrub(BookingEventRow.reason, known),
        data=_scrub(BookingEventRow.data, known, True)))


async def _attempts(session: AsyncSession, outbox: list[UUID], known: list[str]) -> None:
    sent_to = [v.lower() for v in known]
    await session.execute(sql_update(DeliveryAttemptRow).where(or_(
        DeliveryAttemptRow.outbox_id.in_(outbox),
        func.lower(DeliveryAttemptRow.recipient).in_(sent_to))).values(
        recipient=_scrub(DeliveryAttemptRow.recipient, known),
        summary=_scrub(DeliveryAttemptRow.summary, known),
        error=_scrub(DeliveryAttemptRow.error, known)))


async def _forget(session: AsyncSession, customer_id: UUID, ids: list[UUID],
                  known: list[str]) -> None:
    """Rows that only exist for them, or only name them."""
    await session.execute(delete(VerificationCodeRow)
                          .where(VerificationCodeRow.customer_id == customer_id))
    await session.execute(delete(ShortLinkRow).where(ShortLinkRow.subject_id.in_(ids)))
    await session.execute(delete(CustomerBlockRow)
                          .where(CustomerBlockRow.customer_id == customer_id))
    await session.execute(delete(SmsOptOutRow).where(SmsOptOutRow.phone.in_(known)))
    if known:
        naming = [RateLimitRow.key.contains(v, autoescape=True) for v in known]
        await session.execute(delete(RateLimitRow).where(or_(*naming)))
        await session.execute(delete(ReceiptRow).where(or_(
            *(ReceiptRow.key.contains(v, autoescape=True) for v in known),
            *(ReceiptRow.reply.icontains(v, autoescape=True) for v in known))))


async def _conversations(session: AsyncSession, known: list[str]) -> None:
    """Rasa's tracker store: whole conversations that are theirs go (`LINKED_CHATS`)."""
    if not known or not await session.scalar(text("SELECT to_regclass('public.events') "
                                                  "IS NOT NULL")):
        return
    await session.execute(text(f"DELETE FROM events WHERE {LINKED_CHATS}"), linked_chats(known))


async def _profile(session: AsyncSession, customer_id: UUID, now: datetime) -> None:
    await session.execute(sql_update(CustomerRow).where(CustomerRow.id == customer_id).values(
        name="", phone=None, email=None, phone_verified_at=None, email_verified_at=None,
        time_zone=None, notifications=codec.notifications_json(NotificationPreferences()),
        preferences=codec.preferences_json(CustomerPreferences())))
    await session.execute(insert(CustomerRecordRow).values(
        customer_id=customer_id, notes="", updated_at=now, erased_at=now,
    ).on_conflict_do_update(index_elements=[CustomerRecordRow.customer_id],
                            set_={"notes": "", "updated_at": now, "erased_at": now}))

