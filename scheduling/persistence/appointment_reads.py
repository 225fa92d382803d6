"""What the front desk reads about appointments: the searchable list with each customer's name
and contact, and one appointment's whole record (customer, history, the desk's note, messages
with their delivery attempts, audit trail). Frozen values only, built before the session closes.

A "reference" is what the customer is told (chat, API, confirmation and manage page): the
first eight hexadecimal digits of the appointment's id, upper-case (`reference`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ColumnElement, String, cast, func, or_, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from scheduling.booking.model import Appointment, AuditEntry, Status
from scheduling.errors import NotFound
from scheduling.persistence import booking_analytics as analytics
from scheduling.persistence import booking_codec as codec
from scheduling.persistence.admin_reads import AttemptView
from scheduling.persistence.booking_repository import BookingRepository
from scheduling.persistence.booking_tables import AppointmentRow as A
from scheduling.persistence.catalog_tables import CustomerRow as C
from scheduling.persistence.database import SessionFactory, make_session_factory
from scheduling.persistence.desk_note_tables import DeskNoteRow
from scheduling.persistence.notification_tables import DeliveryAttemptRow
from scheduling.persistence.outbox import OutboxRow

REFERENCE = re.compile(r"[0-9a-f]{6,8}")
HISTORY_LIMIT = 20


def reference(appointment_id: UUID) -> str:
    """The short reference a customer quotes: "3F2A9C01"."""
    return str(appointment_id)[:8].upper()


@dataclass(frozen=True, slots=True)
class Search:
    """What the desk typed: `text` as typed (name, e-mail, reference or digits of a phone) and
    `phone`, the same text read as a phone number in the business's country (E.164), if it
    is one."""

    text: str
    phone: str | None = None


@dataclass(frozen=True, slots=True)
class Found(analytics.Filters):
    """The listing's filters and what the desk searched for."""

    search: Search | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        searched = [matches(self.search)] if self.search and self.search.text.strip() else []
        return analytics.Filters.conditions(self) + searched


@dataclass(frozen=True, slots=True)
class Listed:
    """One row of the list: the appointment and who it is for (the contact it was booked
    with, else the customer's profile)."""

    appointment: Appointment
    name: str
    phone: str | None
    email: str | None

    @property
    def reference(self) -> str:
        return reference(self.appointment.id)


@dataclass(frozen=True, slots=True)
class ListPage:
    items: tuple[Listed, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class MessageView:
    """A message queued for the appointment and how its delivery went."""

    kind: str
    status: str
    attempts: int
    last_error: str | None
    due_at: datetime
    deliveries: tuple[AttemptView, ...]


@dataclass(frozen=True, slots=True)
class CustomerCard:
    """The customer's profile as the desk sees it beside an appointment."""

    id: UUID
    name: str
    phone: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class DeskNote:
    body: str
    updated_by: str
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class AppointmentRecord:
    """Everything the detail page shows. `history` is the customer's other appointments,
    newest first; `no_shows` counts all of theirs, this one included."""

    appointment: Appointment
    customer: CustomerCard | None
    history: tuple[Appointment, ...]
    no_shows: int
    note: DeskNote | None
    messages: tuple[MessageView, ...]
    audit: tuple[AuditEntry, ...]

    @property
    def reference(self) -> str:
        return reference(self.appointment.id)


class AppointmentReads:
    def __init__(self, sessions: SessionFactory) -> None:
        self._sessions = sessions

    @classmethod
    def on(cls, engine: AsyncEngine) -> AppointmentReads:
        return cls(make_session_factory(engine))

    async def listing(self, filters: Found, limit: int = 50, cursor: str | None = None
                      ) -> ListPage:
        """Filtered, searched and paged as the plain listing is (by start, then id)."""
        async with self._sessions() as session:
            found = await analytics.listing(session, filters, limit, cursor)
            people = await _people(session, [a.customer_id for a in found.items])
        return ListPage(tuple(_listed(a, people.get(a.customer_id)) for a in found.items),
                        found.next_cursor)

    async def appointment(self, appointment_id: UUID) -> Appointment:
        """`NotFound` for an unknown id or a hold (not yet anyone's appointment)."""
        async with self._sessions() as session:
            row = await session.get(A, appointment_id)
            if row is None or row.status == Status.HELD.value:
                raise NotFound("appointment", appointment_id)
            return codec.appointment(row)

    async def record(self, appointment_id: UUID) -> AppointmentRecord:
        async with self._sessions() as session:
            row = await session.get(A, appointment_id)
            if row is None or row.status == Status.HELD.value:
                raise NotFound("appointment", appointment_id)
            appointment = codec.appointment(row)
            customer, history, no_shows = await _customer_side(session, appointment)
            return AppointmentRecord(
                appointment, customer, history, no_shows, await _note(session, appointment_id),
                await _messages(session, appointment_id),
                tuple(await BookingRepository(session).history(appointment_id)))


def matches(search: Search) -> ColumnElement[bool]:
    """Name or e-mail containing the text (on the booking or the profile), the phone it reads
    as, a phone ending in its digits (four or more), or a reference starting with it."""
    typed = search.text.strip()
    like = "%" + re.sub(r"([\\%_])", r"\\\1", typed) + "%"
    digits = re.sub(r"\D", "", typed)
    said: list[ColumnElement[bool]] = [A.contact_name.ilike(like, escape="\\"),
                                       A.contact_email.ilike(like, escape="\\")]
    profile: list[ColumnElement[bool]] = [C.name.ilike(like, escape="\\"),
                                          C.email.ilike(like, escape="\\")]
    if search.phone:
        said.append(A.contact_phone == search.phone)
        profile.append(C.phone == search.phone)
    if len(digits) >= 4 and len(digits) == len(re.sub(r"[\s().+-]", "", typed)):
        said.append(func.regexp_replace(A.contact_phone, r"\D", "", "g").like(f"%{digits}"))
        profile.append(func.regexp_replace(C.phone, r"\D", "", "g").like(f"%{digits}"))
    if REFERENCE.fullmatch(typed.lower()):
        said.append(cast(A.id, String).like(typed.lower() + "%"))
    return or_(*said, A.customer_id.in_(select(C.id).where(or_(*profile))))


async def _people(session: AsyncSession, ids: Sequence[UUID | None]
                  ) -> dict[UUID | None, tuple[str, str | None, str | None]]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(select(C.id, C.name, C.phone, C.email).where(C.id.in_(wanted)))
    return {i: (name, phone, email) for i, name, phone, email in rows.all()}


def _listed(appointment: Appointment, person: tuple[str, str | None, str | None] | None
            ) -> Listed:
    name, phone, email = person or ("", None, None)
    said = appointment.contact
    if said is None:
        return Listed(appointment, name, phone, email)
    return Listed(appointment, said.name or name, said.phone or phone, said.email or email)


async def _customer_side(session: AsyncSession, appointment: Appointment
                         ) -> tuple[CustomerCard | None, tuple[Appointment, ...], int]:
    if appointment.customer_id is None:
        return None, (), 0
    found = (await session.execute(select(C.id, C.name, C.phone, C.email)
                                   .where(C.id == appointment.customer_id))).one()
    customer = CustomerCard(*found)
    theirs = (A.customer_id == customer.id, A.status != Status.HELD.value)
    rows = await session.scalars(select(A).where(*theirs, A.id != appointment.id)
                                 .order_by(A.starts_at.desc()).limit(HISTORY_LIMIT))
    no_shows = await session.scalar(select(func.count()).select_from(A).where(
        *theirs, A.status == Status.NO_SHOW.value))
    return customer, tuple(codec.appointment(r) for r in rows), int(no_shows or 0)


async def _note(session: AsyncSession, appointment_id: UUID) -> DeskNote | None:
    row = await session.get(DeskNoteRow, appointment_id)
    return DeskNote(row.body, row.updated_by, row.updated_at) if row is not None else None


async def _messages(session: AsyncSession, appointment_id: UUID) -> tuple[MessageView, ...]:
    queued = list(await session.scalars(select(OutboxRow).where(
        OutboxRow.appointment_id == appointment_id).order_by(OutboxRow.created_at, OutboxRow.id)))
    tries = await session.scalars(select(DeliveryAttemptRow).where(
        DeliveryAttemptRow.outbox_id.in_([m.id for m in queued])).order_by(DeliveryAttemptRow.id))
    kinds = {m.id: m.kind for m in queued}
    by_message: dict[UUID, list[AttemptView]] = {}
    for t in tries:
        by_message.setdefault(t.outbox_id, []).append(AttemptView(
            kinds[t.outbox_id], t.channel, t.provider, t.recipient, t.status, t.error, t.at))
    return tuple(MessageView(m.kind, m.status, m.attempts, m.last_error, m.due_at,
                             tuple(by_message.get(m.id, ()))) for m in queued)
