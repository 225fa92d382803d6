"""Appointments, holds, seats, rules and the audit trail, as domain values.

Adds and flushes on the caller's session, never commits. Inserts run in a savepoint so a lost
race (the exclusion constraint, a duplicate idempotency key) leaves the transaction usable for
finding alternatives; database errors become domain errors here and nowhere else.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast
from uuid import UUID

from psycopg.types.json import Jsonb
from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    delete,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.booking.messages import OutboxMessage
from scheduling.booking.model import (
    BOOKED,
    Actor,
    Appointment,
    AuditEntry,
    PaymentStatus,
    Status,
)
from scheduling.booking.policies import BookingRules
from scheduling.booking.values import BookingContext, ContactRecord, DuplicateIdempotencyKey
from scheduling.deposit_rules import CustomerHistory
from scheduling.errors import NotFound, SlotUnavailable
from scheduling.occupancy import BookedInterval, BusyInterval, BusyTimeSource, busy_of
from scheduling.persistence import booking_codec as codec
from scheduling.persistence import driver, outbox
from scheduling.persistence.booking_context import booking_context
from scheduling.persistence.booking_read_ahead import ReadAhead
from scheduling.persistence.booking_tables import (
    ACTIVE_SQL,
    AppointmentRow,
    BookingEventRow,
    BookingRulesRow,
    GroupSessionRow,
)
from scheduling.persistence.contact_record import contact_record
from scheduling.persistence.deposit_policy_history import customer_history
from scheduling.persistence.release_store import release_access
from scheduling.persistence.reminder_offsets import offsets_for
from scheduling.ports import StaffWindow
from scheduling.releases import Access

EXCLUSION_VIOLATION = "23P01"
UNIQUE_VIOLATION = "23505"
CHECK_VIOLATION = "23514"
DEADLOCK = "40P01"
LOCK_STAFF = text("SELECT pg_advisory_xact_lock(hashtext(:k))")
APPOINTMENTS = cast(Table, AppointmentRow.__table__)
INSERT_APPOINTMENT = pg_insert(APPOINTMENTS).on_conflict_do_nothing().returning(APPOINTMENTS.c.id)
"""Compiled once, with the values as parameters, for the columns the codec writes."""
_BOOKED_SQL = "status IN ({})".format(", ".join(f"'{s.value}'" for s in sorted(BOOKED)))
COUNT_ACTIVE = ("SELECT count(*) FROM appointments WHERE customer_id = %(customer)s"
                f" AND ends_at > %(now)s AND {_BOOKED_SQL}")
_INTERVALS = (
    "SELECT id, staff_id, starts_at, ends_at, blocked_start, blocked_end, service_id, seats"
    " FROM appointments WHERE staff_id {}"
    " AND tstzrange(blocked_start, blocked_end, '[)') && tstzrange(%(start)s, %(end)s, '[)')"
    f" AND {ACTIVE_SQL} AND (hold_expires_at IS NULL OR hold_expires_at > %(now)s)")
INTERVALS_OF_ONE = _INTERVALS.format("= %(staff)s")
INTERVALS = _INTERVALS.format("= ANY(%(staff)s)")
COUNT_ACTIVE_THEN_INTERVALS = (f"SELECT ({COUNT_ACTIVE}), i.* FROM (SELECT 1) AS one"
                               f" LEFT JOIN ({INTERVALS_OF_ONE}) AS i ON true")
"""The hot path's statements, run on the driver (`driver`), the statuses written out: the
range test is the exclusion constraint's index expression and the status test its predicate,
so that index serves the query; for one staff member (a named booking) its `staff_id =` is an
index condition too, where `= ANY(...)` is only a filter (every staff member's rows in the
range were read and dropped)."""


def _events_insert(only_if: str = "") -> str:
    """Audit rows from the `%(e_rows)s` JSON array (`_event_rows`), in its order; `only_if`
    is a FROM item they are written with (the appointment's CTE: none if it wrote nothing).
    One JSON parameter, not eight an entry: psycopg caches the parsed form of a statement of
    at most 50 parameters, and parsing the appointment's (about 2.6 kB) cost 0.3 ms."""
    source = f"{only_if}, " if only_if else ""
    return ("INSERT INTO booking_events (subject, subject_id, at, actor, from_status, to_status,"
            " reason, data) SELECT v.subject, v.subject_id, v.at, v.actor, v.from_status,"
            f" v.to_status, v.reason, v.data FROM {source}ROWS FROM (jsonb_to_recordset("
            "%(e_rows)s::jsonb) AS (subject text, subject_id uuid, at timestamptz, actor text,"
            " from_status text, to_status text, reason text, data jsonb)) WITH ORDINALITY"
            " AS v(subject, subject_id, at, actor, from_status, to_status, reason, data, n)"
            " ORDER BY v.n")


EVENTS_INSERT = _events_insert()


def _event_rows(entries: Iterable[AuditEntry]) -> dict[str, object]:
    return {"e_rows": Jsonb([
        {"subject": e.subject, "subject_id": str(e.subject_id), "at": e.at.isoformat(),
         "actor": e.actor.value, "from_status": e.from_status, "to_status": e.to_status,
         "reason": e.reason, "data": e.data} for e in entries])}


@cache
def _insert_sql(columns: tuple[str, ...], events: bool, messages: bool) -> str:
    """`INSERT_APPOINTMENT` for the columns the codec writes (the rest keep their defaults),
    with the audit `events` and the outbox `messages` written by the same statement only if
    the row went in."""
    insert = driver.compiled(INSERT_APPOINTMENT, column_keys=list(columns))
    if not events and not messages:
        return insert
    audit = f", e AS ({_events_insert(only_if='a')})" if events else ""
    queued = f", o AS ({outbox.insert_sql(only_if='a')})" if messages else ""
    return f"WITH a AS ({insert}){audit}{queued} SELECT id FROM a"


def _overlapping(start: datetime, end: datetime) -> ColumnElement[bool]:
    blocked = func.tstzrange(AppointmentRow.blocked_start, AppointmentRow.blocked_end)
    return blocked.bool_op("&&")(func.tstzrange(start, end))


@asynccontextmanager
async def mapped_errors(session: AsyncSession) -> AsyncIterator[None]:
    """A savepoint whose integrity errors come out as domain errors."""
    try:
        async with session.begin_nested():
            yield
    except DBAPIError as error:
        code = getattr(error.orig, "sqlstate", None)
        if code == DEADLOCK:
            raise SlotUnavailable("that time is being booked by someone else") from error
        if code == EXCLUSION_VIOLATION:
            raise SlotUnavailable("that time was just taken") from error
        if code == UNIQUE_VIOLATION and "idempotency" in str(error.orig):
            raise DuplicateIdempotencyKey("idempotency key already used") from error
        if code == CHECK_VIOLATION and "group_sessions" in str(error.orig):
            raise SlotUnavailable("no seats left in that session") from error
        raise


def staff_key(staff_id: UUID) -> str:
    """The advisory lock key of one staff member's placements (every path takes this one)."""
    return f"staff/{staff_id}"


class BookingRepository:
    """`busy` is the outside calendars' busy time (none when no calendar is connected)."""

    def __init__(self, session: AsyncSession, busy: BusyTimeSource | None = None) -> None:
        self.session = session
        self.busy = busy
        self._offsets: dict[tuple[UUID, UUID], tuple[timedelta, ...]] = {}
        """Lead times the context query read, kept for this transaction only."""
        self._ahead: tuple[StaffWindow, datetime, list[tuple[Any, ...]]] | None = None
        """Intervals `count_active` read ahead (the window, `now`, the rows): the next
        `intervals` call of that staff member inside the window is answered from them, once,
        unless the repository wrote appointments in between."""
        self._count: tuple[UUID, datetime, int] | None = None
        """The customer's booked count the context query read after its locks (customer,
        `now`, count): `count_active`'s answer for them, once, unless appointments were
        written in between."""

    async def context(
        self, business_id: UUID, service_id: UUID, staff_id: UUID | None, customer_id: UUID,
        key: str, lock_staff: bool = False, ahead: tuple[datetime, datetime] | None = None,
    ) -> BookingContext | Appointment:
        """`ahead` (`now`, the start asked for) with `lock_staff` and a named staff member:
        the same query also reads, after both locks (`booking_read_ahead`), the customer's
        count and that staff member's bookings around the start, for the `count_active` and
        `intervals` calls that follow: one round trip less."""
        lock = staff_key(staff_id) if lock_staff and staff_id is not None else None
        head = await booking_context(self.session, business_id, service_id, staff_id,
                                     customer_id, key, lock, ahead)
        self._offsets[business_id, service_id] = head.reminder_offsets
        if head.ahead is not None:
            self._keep(customer_id, head.ahead)
        return head.found

    def _keep(self, customer_id: UUID, read: ReadAhead) -> None:
        self._count = (customer_id, read.now, read.active)
        self._ahead = ((read.staff_id, read.low, read.high), read.now, read.rows)

    def _forget(self) -> None:
        """Appointments are being written: what was read ahead may no longer be so."""
        self._ahead = self._count = None

    async def busy_times(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[BusyInterval]:
        return await busy_of(self.busy, staff_ids, start, end)

    async def release_access(
        self, business_id: UUID, customer_id: UUID | None = None, codes: Sequence[str] = (),
    ) -> Access:
        return await release_access(self.session, business_id, customer_id, codes)

    async def reminder_offsets(self, business_id: UUID, service_id: UUID) -> tuple[timedelta, ...]:
        """As read with the context in this transaction, else from the table."""
        known = self._offsets.get((business_id, service_id))
        if known is not None:
            return known
        return await offsets_for(self.session, business_id, service_id)

    async def customer_history(self, business_id: UUID, customer_id: UUID) -> CustomerHistory:
        return await customer_history(self.session, business_id, customer_id)

    async def rules(self, business_id: UUID) -> BookingRules:
        return codec.rules_of(await self.session.get(BookingRulesRow, business_id))

    async def lock_staff(self, staff_id: UUID) -> None:
        """Queue the transactions placing bookings for one staff member (until commit)."""
        await self.session.execute(LOCK_STAFF, {"k": staff_key(staff_id)})

    async def count_active(
        self, customer_id: UUID, now: datetime, then_read: StaffWindow | None = None
    ) -> int:
        """The customer's upcoming bookings (counted under their row lock). `then_read` (a
        staff member whose lock this transaction holds, and a window) also reads that staff
        member's intervals in the window in the same round trip, for the `intervals` call
        placement makes next: after the lock, so they are as exact as a read of their own.
        The count the context query read ahead for this customer and `now` answers instead,
        with no statement (its rows stand for `then_read`'s: `_read_ahead` reads again for a
        window outside theirs)."""
        known, self._count = self._count, None
        if known is not None and known[:2] == (customer_id, now):
            return known[2]
        params = {"customer": customer_id, "now": now}
        if then_read is None:
            return int((await driver.fetch(self.session, COUNT_ACTIVE, params))[0][0] or 0)
        staff_id, start, end = then_read
        rows = await driver.fetch(self.session, COUNT_ACTIVE_THEN_INTERVALS,
                                  {**params, "staff": staff_id, "start": start, "end": end})
        self._ahead = (then_read, now, [row[1:] for row in rows if row[1] is not None])
        return int(rows[0][0] or 0)

    async def contact_record(
        self, business_id: UUID, phone: str | None, email: str | None,
        since: Sequence[datetime],
    ) -> ContactRecord:
        """Bookings (held ones aside) made from each moment in `since` with this phone or
        e-mail, whatever profile they are on and whatever became of them (cancelling does not
        refill a cap), and whether a blocked customer of the business has that phone or
        e-mail: one statement on the driver (`contact_record`)."""
        return await contact_record(self.session, business_id, phone, email, since)

    async def count_live_holds(self, customer_id: UUID, now: datetime) -> int:
        return int(await self.session.scalar(select(func.count()).where(
            AppointmentRow.customer_id == customer_id, AppointmentRow.status == Status.HELD.value,
            AppointmentRow.hold_expires_at > now,
        )) or 0)

    async def get(self, appointment_id: UUID, *, lock: bool = False) -> Appointment:
        query = select(AppointmentRow).where(AppointmentRow.id == appointment_id)
        row = await self.session.scalar(query.with_for_update() if lock else query)
        if row is None:
            raise NotFound("appointment", appointment_id)
        return codec.appointment(row)

    async def by_key(self, business_id: UUID, key: str) -> Appointment | None:
        row = await self.session.scalar(
            select(AppointmentRow).where(
                AppointmentRow.business_id == business_id, AppointmentRow.idempotency_key == key
            )
        )
        return codec.appointment(row) if row else None

    async def booked_between(
        self, business_id: UUID, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[Appointment]:
        """Pending and confirmed appointments of these staff starting in `[start, end)`."""
        a = AppointmentRow
        rows = await self.session.scalars(
            select(a).where(a.business_id == business_id, a.staff_id.in_(list(staff_ids)),
                            a.status.in_([s.value for s in BOOKED]),
                            a.starts_at >= start, a.starts_at < end)
            .order_by(a.starts_at))
        return [codec.appointment(row) for row in rows]

    async def ended_confirmed(self, now: datetime) -> list[Appointment]:
        """Confirmed appointments that ended by `now`, locked; rows others hold are skipped."""
        a = AppointmentRow
        rows = await self.session.scalars(
            select(a).where(a.status == Status.CONFIRMED.value, a.ends_at <= now)
            .order_by(a.starts_at).with_for_update(skip_locked=True))
        return [codec.appointment(row) for row in rows]

    async def unpaid_past_window(self, now: datetime) -> list[Appointment]:
        """Pending bookings still waiting for their deposit (or for a card to be saved) after
        their business's payment window, locked (others' locked rows skipped: a payment is
        being confirmed)."""
        default = int(BookingRules().payment_window.total_seconds() // 60)
        minutes = func.coalesce(BookingRulesRow.payment_window_minutes, default)
        query = (
            select(AppointmentRow)
            .outerjoin(BookingRulesRow, BookingRulesRow.business_id == AppointmentRow.business_id)
            .where(AppointmentRow.status == Status.PENDING.value,
                   or_(and_(AppointmentRow.payment_required.is_(True),
                            AppointmentRow.payment_status == PaymentStatus.PENDING.value),
                       AppointmentRow.payment_status == PaymentStatus.CARD_PENDING.value),
                   AppointmentRow.created_at + func.make_interval(0, 0, 0, 0, 0, minutes) <= now)
            .order_by(AppointmentRow.created_at)
            .with_for_update(of=AppointmentRow, skip_locked=True)
        )
        return [codec.appointment(row) for row in await self.session.scalars(query)]

    async def intervals(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime, now: datetime,
        exclude: Iterable[UUID] = (),
    ) -> list[BookedInterval]:
        """What occupies these staff in `[start, end)`: bookings and unexpired holds (only the
        columns the engine reads: a busy day is dozens of rows, each 45 columns wide)."""
        one = len(staff_ids) == 1
        skip = set(exclude)
        rows = self._read_ahead(staff_ids, start, end, now)
        if rows is None:
            params = {"staff": staff_ids[0] if one else list(staff_ids), "start": start,
                      "end": end, "now": now}
            rows = await driver.fetch(self.session, INTERVALS_OF_ONE if one else INTERVALS,
                                      params)
        return [
            BookedInterval(staff_id, starts, ends, starts - blocked_start, blocked_end - ends,
                           service_id, seats)
            for row_id, staff_id, starts, ends, blocked_start, blocked_end, service_id, seats
            in rows if row_id not in skip
        ]

    def _read_ahead(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime, now: datetime
    ) -> list[tuple[Any, ...]] | None:
        """The rows `count_active` read ahead that `INTERVALS_OF_ONE` would return for these
        arguments (the same test on the blocked range, `[)` both sides), or None; used once."""
        ahead, self._ahead = self._ahead, None
        if ahead is None or len(staff_ids) != 1:
            return None
        (staff_id, low, high), at, rows = ahead
        if staff_ids[0] != staff_id or at != now or start < low or end > high:
            return None
        return [row for row in rows if row[4] < end and start < row[5]]

    async def purge_expired_holds(
        self, now: datetime, staff_id: UUID | None = None,
        start: datetime | None = None, end: datetime | None = None,
    ) -> int:
        """Delete holds past their expiry (in one range, or everywhere for the cleanup job)."""
        self._forget()
        query = delete(AppointmentRow).where(
            AppointmentRow.status == Status.HELD.value, AppointmentRow.hold_expires_at <= now
        )
        if staff_id is not None and start is not None and end is not None:
            query = query.where(AppointmentRow.staff_id == staff_id, _overlapping(start, end))
        result = await self.session.execute(query)
        return int(getattr(result, "rowcount", 0) or 0)

    async def add(
        self, appointment: Appointment, capacity: int, now: datetime | None = None,
        audit: Sequence[AuditEntry] = (), messages: Sequence[OutboxMessage] = (),
    ) -> None:
        """Insert, with its `audit` rows and outbox `messages` in the same statement, or raise
        `SlotUnavailable` / `DuplicateIdempotencyKey`.

        The exclusion constraint and the idempotency key are the arbiters of ON CONFLICT DO
        NOTHING: a conflict inserts nothing instead of failing, so no savepoint (two round
        trips) is needed to keep the transaction usable for alternatives, and PostgreSQL's
        speculative insertion settles two racing inserts without a deadlock. Expired holds
        still count for the constraint, so on a conflict they are purged (with `now`) and the
        insert tried once more.
        """
        values = codec.values(appointment, capacity)
        queued = outbox.rows(messages, now or appointment.created_at) if messages else {}
        if await self._inserted(values, audit, queued):
            return
        blocked = (appointment.staff_id, appointment.blocked_start, appointment.blocked_end)
        if now is not None and await self.purge_expired_holds(now, *blocked):
            if await self._inserted(values, audit, queued):
                return
        key = appointment.idempotency_key
        if key is not None and await self.by_key(appointment.business_id, key) is not None:
            raise DuplicateIdempotencyKey("idempotency key already used")
        raise SlotUnavailable("that time was just taken")

    async def _inserted(self, values: dict[str, object], audit: Sequence[AuditEntry],
                        queued: dict[str, object]) -> bool:
        self._forget()
        sql = _insert_sql(tuple(values), bool(audit), bool(queued))
        params = {**values, "participants": Jsonb(values["participants"]), **queued,
                  **(_event_rows(audit) if audit else {})}
        return bool(await driver.fetch(self.session, sql, params))

    async def update(self, appointment: Appointment, capacity: int) -> None:
        self._forget()
        changed = codec.values(appointment, capacity)
        del changed["id"]
        async with mapped_errors(self.session):
            await self.session.execute(
                update(AppointmentRow).where(AppointmentRow.id == appointment.id).values(changed)
            )

    async def delete(self, appointment_id: UUID) -> None:
        self._forget()
        query = delete(AppointmentRow).where(AppointmentRow.id == appointment_id)
        await self.session.execute(query)

    async def take_seats(self, appointment: Appointment, capacity: int, seats: int) -> None:
        """Count `seats` into the appointment's group session under the session row's lock."""
        session_id = codec.session_id(appointment, capacity)
        async with mapped_errors(self.session):
            await self.session.execute(
                text(
                    "INSERT INTO group_sessions (id, staff_id, service_id, starts_at, capacity,"
                    " seats_taken) VALUES (:id, :staff, :service, :start, :capacity, :seats)"
                    " ON CONFLICT (id) DO UPDATE"
                    " SET seats_taken = group_sessions.seats_taken + EXCLUDED.seats_taken"
                ),
                {"id": session_id, "staff": appointment.staff_id,
                 "service": appointment.service_id, "start": appointment.start,
                 "capacity": capacity, "seats": seats},
            )

    async def release_seats(self, appointment: Appointment, capacity: int) -> None:
        await self.session.execute(
            update(GroupSessionRow)
            .where(GroupSessionRow.id == codec.session_id(appointment, capacity))
            .values(seats_taken=GroupSessionRow.seats_taken - appointment.seats)
        )

    async def record(self, entries: Iterable[AuditEntry]) -> None:
        batch = list(entries)
        if batch:
            await driver.run(self.session, EVENTS_INSERT, _event_rows(batch))

    async def history(self, subject_id: UUID) -> list[AuditEntry]:
        rows = await self.session.scalars(
            select(BookingEventRow)
            .where(BookingEventRow.subject_id == subject_id)
            .order_by(BookingEventRow.at, BookingEventRow.id)
        )
        return [_entry(row) for row in rows]


def _entry(row: BookingEventRow) -> AuditEntry:
    return AuditEntry(row.subject_id, row.at, Actor(row.actor), row.from_status, row.to_status,
                      row.reason, row.subject, row.data)
