"""An in-memory unit of work implementing `scheduling.ports`: the use cases' tests in seconds.

`FakeDatabase` plays the database: each unit of work works on a copy of its state and
`commit()` publishes the copy, so leaving without committing rolls back as PostgreSQL would.
It keeps the rules PostgreSQL enforces that the use cases rely on: an active appointment
overlapping another of the same staff member (buffers included, expired holds still counted
until purged, group sessions sharing a slot) raises `SlotUnavailable`; an idempotency key is
unique per business; a group session holds no more seats than its capacity. The contract tests
(tests/booking/test_booking_rules.py and friends) run the same functions against this and
against PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from types import TracebackType
from typing import Self, TypeVar
from uuid import UUID

from scheduling.booking.messages import OutboxMessage
from scheduling.booking.model import (
    ACTIVE,
    BOOKED,
    Appointment,
    AuditEntry,
    Contact,
    PaymentStatus,
    Status,
)
from scheduling.booking.policies import BookingRules
from scheduling.booking.values import (
    BookingContext,
    ContactRecord,
    DuplicateIdempotencyKey,
    Offer,
    WaitlistEntry,
)
from scheduling.catalog import Archived, Catalog, Customer, Location, Service, Staff
from scheduling.deposit_rules import CustomerHistory
from scheduling.desk.codes import VerificationCode
from scheduling.desk.setup.values import Block, Kind, MessageParts
from scheduling.errors import NotFound, SlotUnavailable
from scheduling.occupancy import BookedInterval, BusyInterval, BusyTimeSource, busy_of
from scheduling.ports import StaffWindow
from scheduling.releases import Access, ReleaseRule

DEFAULT_REMINDERS = (timedelta(hours=24), timedelta(hours=1))


@dataclass
class Queued:
    message: OutboxMessage
    status: str = "pending"


@dataclass
class State:
    """Everything the fake database holds; values are frozen, so copying the containers
    copies the state."""

    catalogs: dict[UUID, Catalog] = field(default_factory=dict)
    customers: dict[UUID, tuple[UUID, Customer]] = field(default_factory=dict)
    rules: dict[UUID, BookingRules] = field(default_factory=dict)
    blocked: set[UUID] = field(default_factory=set)
    reminders: dict[UUID, tuple[timedelta, ...]] = field(default_factory=dict)
    appointments: dict[UUID, tuple[Appointment, int]] = field(default_factory=dict)
    seats: dict[tuple[UUID, UUID, datetime], tuple[int, int]] = field(default_factory=dict)
    events: list[AuditEntry] = field(default_factory=list)
    entries: dict[UUID, WaitlistEntry] = field(default_factory=dict)
    offers: dict[UUID, Offer] = field(default_factory=dict)
    outbox: dict[str, Queued] = field(default_factory=dict)
    codes: dict[UUID, VerificationCode] = field(default_factory=dict)
    blocks: dict[UUID, Block] = field(default_factory=dict)
    """Why and when each customer in `blocked` was blocked (when the setup blocked them)."""
    parts: dict[UUID, MessageParts] = field(default_factory=dict)

    def copy(self) -> State:
        return State(
            dict(self.catalogs), dict(self.customers), dict(self.rules), set(self.blocked),
            dict(self.reminders), dict(self.appointments), dict(self.seats), list(self.events),
            dict(self.entries), dict(self.offers),
            {k: Queued(q.message, q.status) for k, q in self.outbox.items()}, dict(self.codes),
            dict(self.blocks), dict(self.parts),
        )


class FakeDatabase:
    """Committed state shared by every unit of work made on it."""

    def __init__(self) -> None:
        self.state = State()
        self.release_rules: list[ReleaseRule] = []
        """Release rules (issue 20), configuration a test sets, outside transactions."""
        self.audiences: dict[UUID, frozenset[UUID]] = {}
        """The release audiences each customer belongs to."""

    def add_catalog(self, catalog: Catalog, customers: Iterable[Customer] = ()) -> None:
        self.state.catalogs[catalog.business.id] = catalog
        for customer in customers:
            self.state.customers[customer.id] = (catalog.business.id, customer)

    def outbox(self, appointment_id: UUID | None = None) -> dict[str, str]:
        """Queued messages' dedupe keys and statuses (of one appointment, or all)."""
        return {key: q.status for key, q in self.state.outbox.items()
                if appointment_id is None or q.message.appointment_id == appointment_id}


class _Transaction:
    """The state a unit of work reads and writes until it commits or rolls back."""

    def __init__(self, database: FakeDatabase) -> None:
        self.database = database
        self.state = database.state.copy()


def _session(appointment: Appointment, capacity: int) -> UUID | tuple[UUID, UUID, datetime]:
    """Appointments sharing this key may overlap: one group session, or just themselves."""
    if capacity <= 1:
        return appointment.id
    return (appointment.staff_id, appointment.service_id, appointment.start)


class FakeCatalog:
    def __init__(self, tx: _Transaction) -> None:
        self.tx = tx

    async def get(self, business_id: UUID) -> Catalog:
        found = self.tx.state.catalogs.get(business_id)
        if found is None:
            raise NotFound("business", business_id)
        return found

    async def get_customer(self, customer_id: UUID) -> Customer:
        if customer_id not in self.tx.state.customers:
            raise NotFound("customer", customer_id)
        return self.tx.state.customers[customer_id][1]

    async def save_customer(self, business_id: UUID, customer: Customer) -> None:
        self.tx.state.customers[customer.id] = (business_id, customer)


class FakeAppointments:
    def __init__(self, tx: _Transaction, busy: BusyTimeSource | None) -> None:
        self.tx = tx
        self.busy = busy

    @property
    def _all(self) -> list[Appointment]:
        return sorted((a for a, _ in self.tx.state.appointments.values()),
                      key=lambda a: (a.start, str(a.id)))

    async def context(
        self, business_id: UUID, service_id: UUID, staff_id: UUID | None, customer_id: UUID,
        key: str, lock_staff: bool = False, ahead: tuple[datetime, datetime] | None = None,
    ) -> BookingContext | Appointment:
        state = self.tx.state
        if business_id not in state.catalogs:
            raise NotFound("business", business_id)
        if customer_id not in state.customers:
            raise NotFound("customer", customer_id)
        existing = await self.by_key(business_id, key)
        if existing is not None:
            return existing
        catalog = state.catalogs[business_id]
        service = next((s for s in catalog.services if s.id == service_id), None)
        if service is None:  # archived ones are not bookable
            raise NotFound("service", service_id)
        staff = tuple(s for s in catalog.staff
                      if (s.id == staff_id if staff_id else service.required_skills <= s.skills))
        return BookingContext(Catalog(catalog.business, staff, (service,)),
                              await self.rules(business_id), state.customers[customer_id][1],
                              customer_id in state.blocked)

    async def customer_history(self, business_id: UUID, customer_id: UUID) -> CustomerHistory:
        mine = [a.status for a in self._all
                if a.customer_id == customer_id and a.business_id == business_id]
        return CustomerHistory(mine.count(Status.COMPLETED), mine.count(Status.NO_SHOW),
                               mine.count(Status.LATE_CANCEL))

    async def busy_times(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[BusyInterval]:
        return await busy_of(self.busy, staff_ids, start, end)

    async def release_access(
        self, business_id: UUID, customer_id: UUID | None = None, codes: Sequence[str] = (),
    ) -> Access:
        rules = tuple(r for r in self.tx.database.release_rules if r.business_id == business_id)
        return Access(rules, self.tx.database.audiences.get(customer_id or UUID(int=0),
                                                            frozenset()))

    async def reminder_offsets(self, business_id: UUID, service_id: UUID) -> tuple[timedelta, ...]:
        found = self.tx.state.reminders
        return found.get(service_id, found.get(business_id, DEFAULT_REMINDERS))

    async def rules(self, business_id: UUID) -> BookingRules:
        return self.tx.state.rules.get(business_id, BookingRules())

    async def lock_staff(self, staff_id: UUID) -> None:
        """One unit of work at a time runs in a fake: nothing to queue on."""

    async def count_active(
        self, customer_id: UUID, now: datetime, then_read: StaffWindow | None = None
    ) -> int:
        """`then_read` needs nothing: `intervals` reads the live state anyway."""
        return sum(1 for a in self._all
                   if a.customer_id == customer_id and a.end > now and a.status in BOOKED)

    async def contact_record(
        self, business_id: UUID, phone: str | None, email: str | None,
        since: Sequence[datetime],
    ) -> ContactRecord:
        made = [a.created_at for a in self._all
                if a.business_id == business_id and a.contact is not None
                and a.contact.reaches(phone, email) and a.status is not Status.HELD]
        state = self.tx.state
        blocked = any(owner == business_id and customer_id in state.blocked
                      and Contact(customer.name, customer.phone, customer.email)
                      .reaches(phone, email)
                      for customer_id, (owner, customer) in state.customers.items())
        return ContactRecord(tuple(sum(1 for at in made if at >= moment) for moment in since),
                             blocked)

    async def count_live_holds(self, customer_id: UUID, now: datetime) -> int:
        return sum(1 for a in self._all
                   if a.customer_id == customer_id and a.status is Status.HELD
                   and a.hold_expires_at is not None and a.hold_expires_at > now)

    async def get(self, appointment_id: UUID, *, lock: bool = False) -> Appointment:
        if appointment_id not in self.tx.state.appointments:
            raise NotFound("appointment", appointment_id)
        return self.tx.state.appointments[appointment_id][0]

    async def by_key(self, business_id: UUID, key: str) -> Appointment | None:
        return next((a for a in self._all
                     if a.business_id == business_id and a.idempotency_key == key), None)

    async def booked_between(
        self, business_id: UUID, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[Appointment]:
        return [a for a in self._all
                if a.business_id == business_id and a.staff_id in staff_ids
                and a.status in BOOKED and start <= a.start < end]

    async def ended_confirmed(self, now: datetime) -> list[Appointment]:
        return [a for a in self._all if a.status is Status.CONFIRMED and a.end <= now]

    async def unpaid_past_window(self, now: datetime) -> list[Appointment]:
        due = []
        for a in sorted(self._all, key=lambda a: a.created_at):
            window = (await self.rules(a.business_id)).payment_window
            waits = (a.payment.required and a.payment.status is PaymentStatus.PENDING
                     or a.payment.status is PaymentStatus.CARD_PENDING)
            if a.status is Status.PENDING and waits and a.created_at + window <= now:
                due.append(a)
        return due

    async def intervals(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime, now: datetime,
        exclude: Iterable[UUID] = (),
    ) -> list[BookedInterval]:
        skip = set(exclude)
        return [
            BookedInterval(a.staff_id, a.start, a.end, a.start - a.blocked_start,
                           a.blocked_end - a.end, a.service_id, a.seats)
            for a in self._all
            if a.staff_id in staff_ids and a.blocked_start < end and start < a.blocked_end
            and a.status in ACTIVE and (a.hold_expires_at is None or a.hold_expires_at > now)
            and a.id not in skip
        ]

    async def purge_expired_holds(
        self, now: datetime, staff_id: UUID | None = None,
        start: datetime | None = None, end: datetime | None = None,
    ) -> int:
        gone = [
            a.id for a in self._all
            if a.status is Status.HELD and a.hold_expires_at is not None
            and a.hold_expires_at <= now
            and (staff_id is None or start is None or end is None
                 or (a.staff_id == staff_id and a.blocked_start < end and start < a.blocked_end))
        ]
        for appointment_id in gone:
            del self.tx.state.appointments[appointment_id]
        return len(gone)

    def _check(self, appointment: Appointment, capacity: int) -> None:
        """The exclusion constraint and the idempotency key's uniqueness."""
        key = appointment.idempotency_key
        if key is not None and any(
            a.idempotency_key == key and a.business_id == appointment.business_id
            and a.id != appointment.id for a in self._all
        ):
            raise DuplicateIdempotencyKey("idempotency key already used")
        if appointment.status not in ACTIVE:
            return
        mine = _session(appointment, capacity)
        for other, other_capacity in self.tx.state.appointments.values():
            if (other.id != appointment.id and other.status in ACTIVE
                    and other.staff_id == appointment.staff_id
                    and other.blocked_start < appointment.blocked_end
                    and appointment.blocked_start < other.blocked_end
                    and _session(other, other_capacity) != mine):
                raise SlotUnavailable("that time was just taken")

    async def add(
        self, appointment: Appointment, capacity: int, now: datetime | None = None,
        audit: Sequence[AuditEntry] = (), messages: Sequence[OutboxMessage] = (),
    ) -> None:
        if appointment.id in self.tx.state.appointments:
            raise SlotUnavailable("that time was just taken")
        try:
            self._check(appointment, capacity)
        except SlotUnavailable:
            blocked = (appointment.staff_id, appointment.blocked_start, appointment.blocked_end)
            if now is None or not await self.purge_expired_holds(now, *blocked):
                raise
            self._check(appointment, capacity)
        self.tx.state.appointments[appointment.id] = (appointment, capacity)
        self.tx.state.events.extend(audit)
        await FakeOutbox(self.tx).add(messages, now or appointment.created_at)

    async def update(self, appointment: Appointment, capacity: int) -> None:
        if appointment.id not in self.tx.state.appointments:
            return
        self._check(appointment, capacity)
        self.tx.state.appointments[appointment.id] = (appointment, capacity)

    async def delete(self, appointment_id: UUID) -> None:
        self.tx.state.appointments.pop(appointment_id, None)

    async def take_seats(self, appointment: Appointment, capacity: int, seats: int) -> None:
        key = (appointment.staff_id, appointment.service_id, appointment.start)
        taken, _ = self.tx.state.seats.get(key, (0, capacity))
        if taken + seats > capacity:
            raise SlotUnavailable("no seats left in that session")
        self.tx.state.seats[key] = (taken + seats, capacity)

    async def release_seats(self, appointment: Appointment, capacity: int) -> None:
        key = (appointment.staff_id, appointment.service_id, appointment.start)
        if key in self.tx.state.seats:
            taken, most = self.tx.state.seats[key]
            self.tx.state.seats[key] = (taken - appointment.seats, most)

    async def record(self, entries: Iterable[AuditEntry]) -> None:
        self.tx.state.events.extend(entries)

    async def history(self, subject_id: UUID) -> list[AuditEntry]:
        return sorted((e for e in self.tx.state.events if e.subject_id == subject_id),
                      key=lambda e: e.at)


class FakeWaitlist:
    def __init__(self, tx: _Transaction) -> None:
        self.tx = tx

    async def add(self, entry: WaitlistEntry) -> None:
        self.tx.state.entries[entry.id] = entry

    async def entry(self, entry_id: UUID) -> WaitlistEntry:
        if entry_id not in self.tx.state.entries:
            raise NotFound("waitlist entry", entry_id)
        return self.tx.state.entries[entry_id]

    async def waiting(
        self, service_id: UUID, staff_id: UUID, start: datetime
    ) -> list[WaitlistEntry]:
        offered = {o.entry_id for o in self.tx.state.offers.values()
                   if o.staff_id == staff_id and o.start == start}
        found = [e for e in self.tx.state.entries.values()
                 if e.service_id == service_id and e.status == "waiting"
                 and e.staff_id in (None, staff_id) and e.id not in offered and e.wants(start)]
        return sorted(found, key=lambda e: (e.created_at, str(e.id)))

    async def set_entry(self, entry_id: UUID, status: str, now: datetime) -> None:
        if entry_id in self.tx.state.entries:
            self.tx.state.entries[entry_id] = replace(self.tx.state.entries[entry_id],
                                                      status=status)

    async def add_offer(self, offer: Offer) -> None:
        self.tx.state.offers[offer.id] = offer

    async def offer(self, offer_id: UUID, *, lock: bool = False) -> Offer:
        if offer_id not in self.tx.state.offers:
            raise NotFound("waitlist offer", offer_id)
        return self.tx.state.offers[offer_id]

    async def set_offer(self, offer_id: UUID, status: str) -> None:
        if offer_id in self.tx.state.offers:
            self.tx.state.offers[offer_id] = replace(self.tx.state.offers[offer_id],
                                                     status=status)

    async def due_offers(self, now: datetime) -> list[Offer]:
        return sorted((o for o in self.tx.state.offers.values()
                       if o.status == "offered" and o.expires_at <= now),
                      key=lambda o: o.expires_at)


class FakeOutbox:
    def __init__(self, tx: _Transaction) -> None:
        self.tx = tx

    async def add(self, messages: Iterable[OutboxMessage], now: datetime) -> None:
        for message in messages:
            self.tx.state.outbox.setdefault(message.dedupe_key, Queued(message))

    async def existing(self, dedupe_keys: Iterable[str]) -> set[str]:
        return {key for key in dedupe_keys if key in self.tx.state.outbox}

    async def cancel_pending(self, appointment_id: UUID, kinds: Iterable[str]) -> None:
        wanted = set(kinds)
        for queued in self.tx.state.outbox.values():
            message = queued.message
            if (message.appointment_id == appointment_id and queued.status == "pending"
                    and message.kind in wanted):
                queued.status = "cancelled"


class FakeDesk:
    def __init__(self, tx: _Transaction) -> None:
        self.tx = tx

    def _profiles(self, business_id: UUID) -> list[Customer]:
        return [c for b, c in self.tx.state.customers.values() if b == business_id]

    async def lock_contact(self, business_id: UUID, contact: Contact) -> None:
        """One transaction at a time here: nothing to queue."""

    async def customer_id_by_phone(self, business_id: UUID, phone: str) -> UUID | None:
        return next((c.id for c in self._profiles(business_id) if c.phone == phone), None)

    async def customer_id_by_email(self, business_id: UUID, email: str) -> UUID | None:
        return next((c.id for c in self._profiles(business_id)
                     if c.email and c.email.lower() == email.lower()), None)

    async def business_of(self, customer_id: UUID) -> UUID | None:
        found = self.tx.state.customers.get(customer_id)
        return found[0] if found else None

    async def upcoming_by_contact(
        self, customer_id: UUID, phone: str | None, email: str | None, now: datetime
    ) -> list[Appointment]:
        business_id = await self.business_of(customer_id)
        return [a for a, _ in sorted(self.tx.state.appointments.values(),
                                     key=lambda pair: pair[0].start)
                if a.business_id == business_id and a.contact is not None
                and a.contact.reaches(phone, email) and a.end > now and a.status in BOOKED]

    async def history(self, customer_id: UUID) -> list[Appointment]:
        kept = [a for a, _ in self.tx.state.appointments.values()
                if a.customer_id == customer_id
                and (a.status in BOOKED or a.status is Status.COMPLETED)]
        return sorted(kept, key=lambda a: a.start, reverse=True)[:50]

    async def open_offers(self, customer_id: UUID, now: datetime) -> list[Offer]:
        entries = self.tx.state.entries
        return sorted((o for o in self.tx.state.offers.values()
                       if entries[o.entry_id].customer_id == customer_id
                       and o.status == "offered" and o.expires_at > now),
                      key=lambda o: o.start)

    async def add_code(self, code: VerificationCode) -> None:
        self.tx.state.codes[code.id] = code

    async def latest_code(self, customer_id: UUID) -> VerificationCode | None:
        mine = [c for c in self.tx.state.codes.values() if c.customer_id == customer_id]
        return max(mine, key=lambda c: c.created_at, default=None)

    async def mark_code(self, code_id: UUID, *, attempts: int, used_at: datetime | None) -> None:
        code = self.tx.state.codes[code_id]
        self.tx.state.codes[code_id] = replace(code, attempts=attempts, used_at=used_at)


class FakeSetup:
    """The catalog's write side; `save` and `archive` keep PostgreSQL's rules: what a saved
    catalog leaves out is left alone, an archived entry listed again is offered again."""

    def __init__(self, tx: _Transaction) -> None:
        self.tx = tx

    async def lock(self, business_id: UUID) -> None:
        """Nothing to wait for: the fake runs one unit of work at a time."""

    async def save(self, catalog: Catalog) -> None:
        old = self.tx.state.catalogs.get(catalog.business.id)
        if old is None:
            self.tx.state.catalogs[catalog.business.id] = replace(catalog, archived=Archived())
            return
        business = replace(catalog.business, locations=_kept(
            old.business.locations, catalog.business.locations))
        archived = Archived(_unlisted(old.archived.locations, catalog.business.locations),
                            _unlisted(old.archived.staff, catalog.staff),
                            _unlisted(old.archived.services, catalog.services))
        self.tx.state.catalogs[business.id] = Catalog(
            business, _kept(old.staff, catalog.staff), _kept(old.services, catalog.services),
            archived)

    async def archive(self, business_id: UUID, kind: Kind, item_id: UUID, at: datetime) -> None:
        catalog = self.tx.state.catalogs[business_id]
        shelf = catalog.archived
        if kind is Kind.LOCATION:
            place, places = _split(catalog.business.locations, item_id, kind)
            catalog = replace(catalog, business=replace(catalog.business, locations=places),
                              archived=replace(shelf, locations=(*shelf.locations, place)))
        elif kind is Kind.STAFF:
            member, staff = _split(catalog.staff, item_id, kind)
            catalog = replace(catalog, staff=staff,
                              archived=replace(shelf, staff=(*shelf.staff, member)))
        else:
            service, services = _split(catalog.services, item_id, kind)
            catalog = replace(catalog, services=services,
                              archived=replace(shelf, services=(*shelf.services, service)))
        self.tx.state.catalogs[business_id] = catalog

    async def message_parts(self, business_id: UUID) -> MessageParts:
        return self.tx.state.parts.get(business_id, MessageParts())

    async def set_message_parts(self, business_id: UUID, parts: MessageParts) -> None:
        self.tx.state.parts[business_id] = parts

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None:
        self.tx.state.rules[business_id] = rules

    async def set_reminders(
        self, business_id: UUID, scope_id: UUID, offsets: tuple[timedelta, ...]
    ) -> None:
        self.tx.state.reminders[scope_id] = tuple(sorted(set(offsets), reverse=True))

    async def blocklist(self, business_id: UUID) -> list[Block]:
        state = self.tx.state
        mine = [replace(state.blocks.get(c, Block(c)), name=state.customers[c][1].name)
                for c in state.blocked if state.customers.get(c, (None,))[0] == business_id]
        return sorted(mine, key=lambda b: (b.created_at is None, b.created_at, str(b.customer_id)))

    async def block(self, block: Block) -> None:
        if block.customer_id not in self.tx.state.blocked:
            self.tx.state.blocked.add(block.customer_id)
            self.tx.state.blocks[block.customer_id] = block

    async def unblock(self, customer_id: UUID) -> None:
        self.tx.state.blocked.discard(customer_id)
        self.tx.state.blocks.pop(customer_id, None)


Listed = TypeVar("Listed", Location, Staff, Service)


def _kept(old: tuple[Listed, ...], new: tuple[Listed, ...]) -> tuple[Listed, ...]:
    """What a save leaves offered: the new list, then old entries it did not mention."""
    ids = {item.id for item in new}
    return new + tuple(item for item in old if item.id not in ids)


def _split(offered: tuple[Listed, ...], item_id: UUID, kind: Kind
           ) -> tuple[Listed, tuple[Listed, ...]]:
    """The entry archived and the ones left offered; `NotFound` when it is not offered."""
    gone = next((item for item in offered if item.id == item_id), None)
    if gone is None:
        raise NotFound(kind.value, item_id)
    return gone, tuple(item for item in offered if item.id != item_id)


def _unlisted(archived: tuple[Listed, ...], offered: tuple[Listed, ...]) -> tuple[Listed, ...]:
    ids = {item.id for item in offered}
    return tuple(item for item in archived if item.id not in ids)


class FakeUnitOfWork:
    """Implements `scheduling.ports.SetupUnitOfWork` (and so the desk and booking ones) in
    memory."""

    catalog: FakeCatalog
    appointments: FakeAppointments
    waitlist: FakeWaitlist
    outbox: FakeOutbox
    desk: FakeDesk
    setup: FakeSetup

    def __init__(self, database: FakeDatabase, busy: BusyTimeSource | None = None) -> None:
        self.database = database
        self.busy = busy

    async def __aenter__(self) -> Self:
        self._begin()
        return self

    def _begin(self) -> None:
        tx = _Transaction(self.database)
        self.catalog = FakeCatalog(tx)
        self.appointments = FakeAppointments(tx, self.busy)
        self.waitlist = FakeWaitlist(tx)
        self.outbox = FakeOutbox(tx)
        self.desk = FakeDesk(tx)
        self.setup = FakeSetup(tx)
        self._tx = tx

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._begin()  # what was not committed is gone

    async def commit(self) -> None:
        self.database.state = self._tx.state
        self._begin()

    async def rollback(self) -> None:
        self._begin()
