"""The ports the use cases in `scheduling.booking` and `scheduling.desk` depend on.

A unit of work is one transaction: `async with uow:` opens it, `commit()` keeps its writes,
leaving the block without committing rolls them back. Repositories add, never commit, and
speak in the use cases' words (`booked_between`, `ended_confirmed`), not in SQL clauses, so
one implementation keeps everything in memory (tests/fakes/uow.py) and the other is
PostgreSQL (`scheduling.persistence`); the same contract tests run against both.

Only frozen values cross these methods: `Appointment`, `Catalog`, `Customer`, the values in
`scheduling.booking.values` and `scheduling.desk.codes`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Protocol, Self
from uuid import UUID

from scheduling.booking.messages import OutboxMessage
from scheduling.booking.model import Appointment, AuditEntry, Contact
from scheduling.booking.policies import BookingRules
from scheduling.booking.values import BookingContext, ContactRecord, Offer, WaitlistEntry
from scheduling.catalog import Catalog, Customer
from scheduling.deposit_rules import CustomerHistory
from scheduling.desk.codes import VerificationCode
from scheduling.desk.setup.values import Block, Kind, MessageParts
from scheduling.occupancy import BookedInterval, BusyInterval
from scheduling.releases import Access, Audience, ReleaseRule
from scheduling.releases_settings import WaitingRoomSettings

StaffWindow = tuple[UUID, datetime, datetime]
"""A staff member and a range `[start, end)` of their time."""


class UnitOfWork(Protocol):
    async def __aenter__(self) -> Self: ...

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def commit(self) -> None: ...

    async def rollback(self) -> None: ...


class CatalogPort(Protocol):
    async def get(self, business_id: UUID) -> Catalog:
        """The whole catalog; `NotFound` for an unknown business."""
        ...

    async def get_customer(self, customer_id: UUID) -> Customer: ...

    async def save_customer(self, business_id: UUID, customer: Customer) -> None:
        """Insert or replace the profile (one phone is one profile per business)."""
        ...


class CatalogReplacePort(CatalogPort, Protocol):
    """What replacing a whole catalog reads and writes (scheduling.desk.setup.replace)."""

    async def lock(self) -> None:
        """Until the transaction ends: no other replacement, and no setup edit of the served
        business (`SetupPort.lock`), runs."""
        ...

    async def business_ids(self) -> list[UUID]:
        """Every business, oldest first: the first is the one the system serves."""
        ...

    async def save(self, catalog: Catalog) -> None:
        """Insert or update the business and everything `catalog` lists."""
        ...

    async def count_appointments(self, business_id: UUID) -> int:
        """Appointments of the business in any state, holds included."""
        ...

    async def delete_business(self, business_id: UUID) -> None:
        """The business and every row that belongs to it."""
        ...

    async def archive_unlisted(self, catalog: Catalog, at: datetime) -> tuple[str, ...]:
        """Archive the business's offered locations, staff and services `catalog` does not
        list (kept for the appointments that name them, no longer offered); their names."""
        ...

    async def booked_between(
        self, business_id: UUID, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[Appointment]:
        """As `AppointmentsPort.booked_between`: what an update in place may strand."""
        ...

    async def rules(self, business_id: UUID) -> BookingRules: ...

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None: ...

    async def reminders(self, business_id: UUID) -> dict[UUID, tuple[timedelta, ...]]:
        """Reminder lead times set for the business (under its id) or one of its services;
        a scope without its own has none here."""
        ...

    async def replace_reminders(
        self, business_id: UUID, scopes: dict[UUID, tuple[timedelta, ...]]
    ) -> None:
        """Exactly these lead times for the business and its services: scopes left out go
        back to their defaults."""
        ...


class AppointmentsPort(Protocol):
    """Appointments, holds, group seats, booking rules and the audit trail."""

    async def context(
        self, business_id: UUID, service_id: UUID, staff_id: UUID | None, customer_id: UUID,
        key: str, lock_staff: bool = False, ahead: tuple[datetime, datetime] | None = None,
    ) -> BookingContext | Appointment:
        """What a booking reads before placing (the customer locked until commit), or the
        appointment already booked under `key`. `lock_staff` also takes the named staff
        member's lock (`lock_staff`), after the customer's. `ahead` (`now`, the start asked
        for), with `lock_staff`: the next `count_active` (for this customer and `now`) and
        `intervals` (of that staff member around the start) may be answered from a read made
        by the same round trip after both locks, never a staler one."""
        ...

    async def busy_times(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[BusyInterval]: ...

    async def release_access(
        self, business_id: UUID, customer_id: UUID | None = None, codes: Sequence[str] = (),
    ) -> Access:
        """The business's release rules and the audiences `customer_id` (a known, verified
        customer) or one of `codes` proves; none proved: the rules as for everyone."""
        ...

    async def reminder_offsets(
        self, business_id: UUID, service_id: UUID
    ) -> tuple[timedelta, ...]: ...

    async def customer_history(self, business_id: UUID, customer_id: UUID) -> CustomerHistory:
        """What a deposit rule for some customers reads (stated before the booking)."""
        ...

    async def rules(self, business_id: UUID) -> BookingRules: ...

    async def lock_staff(self, staff_id: UUID) -> None:
        """Serialise placements for one staff member until the transaction ends."""
        ...

    async def count_active(
        self, customer_id: UUID, now: datetime, then_read: StaffWindow | None = None
    ) -> int:
        """The customer's upcoming booked appointments. `then_read` names a staff member whose
        lock is held and a window: the next `intervals` of them inside it may be answered
        from a read made with the count (one round trip on PostgreSQL), never a staler one."""
        ...

    async def contact_record(
        self, business_id: UUID, phone: str | None, email: str | None,
        since: Sequence[datetime],
    ) -> ContactRecord:
        """For each moment in `since`, the bookings (holds aside, whatever became of them)
        made from then on with this phone or e-mail (case-insensitive), and whether a blocked
        customer of the business has either; one read for all."""
        ...

    async def count_live_holds(self, customer_id: UUID, now: datetime) -> int: ...

    async def get(self, appointment_id: UUID, *, lock: bool = False) -> Appointment:
        """`NotFound` when missing."""
        ...

    async def by_key(self, business_id: UUID, key: str) -> Appointment | None: ...

    async def booked_between(
        self, business_id: UUID, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[Appointment]:
        """Pending and confirmed appointments of these staff starting in `[start, end)`,
        soonest first."""
        ...

    async def ended_confirmed(self, now: datetime) -> list[Appointment]:
        """Confirmed appointments that ended by `now`, locked (rows others lock skipped)."""
        ...

    async def unpaid_past_window(self, now: datetime) -> list[Appointment]:
        """Pending bookings still owing their deposit after their business's payment window,
        locked (rows others lock skipped)."""
        ...

    async def intervals(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime, now: datetime,
        exclude: Iterable[UUID] = (),
    ) -> list[BookedInterval]:
        """Active appointments and unexpired holds of these staff overlapping `[start, end)`
        (buffers included)."""
        ...

    async def purge_expired_holds(
        self, now: datetime, staff_id: UUID | None = None,
        start: datetime | None = None, end: datetime | None = None,
    ) -> int: ...

    async def add(
        self, appointment: Appointment, capacity: int, now: datetime | None = None,
        audit: Sequence[AuditEntry] = (), messages: Sequence[OutboxMessage] = (),
    ) -> None:
        """Insert, or raise `SlotUnavailable` (an active appointment of the same staff member
        overlaps, buffers included) or `DuplicateIdempotencyKey` (the key is taken in this
        business). `audit` is recorded and `messages` are queued as `OutboxPort.add` would
        (queued at `now`, else at the appointment's creation; a dedupe key queued before is
        skipped) with the row, and only if it went in (one statement on PostgreSQL: a
        booking's round trips are its cost)."""
        ...

    async def update(self, appointment: Appointment, capacity: int) -> None: ...

    async def delete(self, appointment_id: UUID) -> None: ...

    async def take_seats(self, appointment: Appointment, capacity: int, seats: int) -> None:
        """Count seats into the group session; `SlotUnavailable` beyond its capacity."""
        ...

    async def release_seats(self, appointment: Appointment, capacity: int) -> None: ...

    async def record(self, entries: Iterable[AuditEntry]) -> None: ...

    async def history(self, subject_id: UUID) -> list[AuditEntry]: ...


class WaitlistPort(Protocol):
    async def add(self, entry: WaitlistEntry) -> None: ...

    async def entry(self, entry_id: UUID) -> WaitlistEntry: ...

    async def waiting(
        self, service_id: UUID, staff_id: UUID, start: datetime
    ) -> list[WaitlistEntry]:
        """Entries that want this slot and were not offered it before, longest-waiting
        first."""
        ...

    async def set_entry(self, entry_id: UUID, status: str, now: datetime) -> None: ...

    async def add_offer(self, offer: Offer) -> None: ...

    async def offer(self, offer_id: UUID, *, lock: bool = False) -> Offer: ...

    async def set_offer(self, offer_id: UUID, status: str) -> None: ...

    async def due_offers(self, now: datetime) -> list[Offer]: ...


class OutboxPort(Protocol):
    async def add(self, messages: Iterable[OutboxMessage], now: datetime) -> None:
        """Queue messages; one whose dedupe key was queued before is skipped."""
        ...

    async def existing(self, dedupe_keys: Iterable[str]) -> set[str]: ...

    async def cancel_pending(self, appointment_id: UUID, kinds: Iterable[str]) -> None: ...


class DeskPort(Protocol):
    async def lock_contact(self, business_id: UUID, contact: Contact) -> None:
        """Queue transactions for one phone or e-mail until this one ends (see
        `customers.identify`)."""
        ...

    async def customer_id_by_phone(self, business_id: UUID, phone: str) -> UUID | None: ...

    async def customer_id_by_email(self, business_id: UUID, email: str) -> UUID | None:
        """The oldest profile with this e-mail (case-insensitive)."""
        ...

    async def business_of(self, customer_id: UUID) -> UUID | None:
        """The business a customer profile belongs to; None when there is no such profile."""
        ...

    async def upcoming_by_contact(
        self, customer_id: UUID, phone: str | None, email: str | None, now: datetime
    ) -> list[Appointment]:
        """Booked appointments not yet ended, in the customer's business, booked with this
        phone or e-mail (on whichever profile)."""
        ...

    async def history(self, customer_id: UUID) -> list[Appointment]:
        """The customer's kept and booked appointments, newest first (at most 50)."""
        ...

    async def open_offers(self, customer_id: UUID, now: datetime) -> list[Offer]: ...

    async def add_code(self, code: VerificationCode) -> None: ...

    async def latest_code(self, customer_id: UUID) -> VerificationCode | None:
        """The newest code, used or not, locked until the transaction ends."""
        ...

    async def mark_code(
        self, code_id: UUID, *, attempts: int, used_at: datetime | None
    ) -> None: ...


class CatalogReplaceUnitOfWork(UnitOfWork, Protocol):
    @property
    def catalog(self) -> CatalogReplacePort: ...


class BookingUnitOfWork(UnitOfWork, Protocol):
    @property
    def catalog(self) -> CatalogPort: ...

    @property
    def appointments(self) -> AppointmentsPort: ...

    @property
    def waitlist(self) -> WaitlistPort: ...

    @property
    def outbox(self) -> OutboxPort: ...


class DeskUnitOfWork(BookingUnitOfWork, Protocol):
    @property
    def desk(self) -> DeskPort: ...


class ReleaseUnitOfWork(DeskUnitOfWork, Protocol):
    @property
    def releases(self) -> ReleasesPort: ...


class ReleasesPort(Protocol):
    """Timed release rules, early-access audiences and waiting-room settings (issue 20)."""

    async def rules(self, business_id: UUID) -> list[ReleaseRule]: ...

    async def add_rule(self, rule: ReleaseRule, now: datetime) -> None: ...

    async def delete_rule(self, business_id: UUID, rule_id: UUID) -> None:
        """`NotFound` for a rule the business does not have."""
        ...

    async def audiences(self, business_id: UUID) -> list[Audience]: ...

    async def add_audience(self, business_id: UUID, name: str, now: datetime) -> UUID:
        """The audience of that name, made when the business has none yet."""
        ...

    async def add_member(self, audience_id: UUID, customer_id: UUID) -> None: ...

    async def add_code(self, audience_id: UUID, code: str, now: datetime) -> None: ...

    async def code_taken(self, business_id: UUID, code: str) -> bool: ...

    async def waiting_room(self, service_id: UUID) -> WaitingRoomSettings: ...

    async def set_waiting_room(
        self, business_id: UUID, service_id: UUID, settings: WaitingRoomSettings,
        now: datetime,
    ) -> None: ...


class SetupPort(Protocol):
    """The catalog's write side: what the owner's screens, API and wizard change."""

    async def lock(self, business_id: UUID) -> None:
        """Serialise catalog changes of one business until the transaction ends (two edits
        at once would each check names against a catalog without the other's)."""
        ...

    async def save(self, catalog: Catalog) -> None:
        """Insert or update the business and everything `catalog` offers (an archived entry
        it lists again is offered again); what it leaves out is left alone."""
        ...

    async def archive(self, business_id: UUID, kind: Kind, item_id: UUID, at: datetime) -> None:
        """No longer offered, still named by old appointments; `NotFound` for an unknown id."""
        ...

    async def message_parts(self, business_id: UUID) -> MessageParts: ...

    async def set_message_parts(self, business_id: UUID, parts: MessageParts) -> None: ...

    async def set_rules(self, business_id: UUID, rules: BookingRules) -> None: ...

    async def set_reminders(
        self, business_id: UUID, scope_id: UUID, offsets: tuple[timedelta, ...]
    ) -> None:
        """Reminder lead times of the business (`scope_id` = its id) or of one service."""
        ...

    async def blocklist(self, business_id: UUID) -> list[Block]:
        """Blocked customers of the business, most recent first."""
        ...

    async def block(self, block: Block) -> None: ...

    async def unblock(self, customer_id: UUID) -> None: ...


class SetupUnitOfWork(DeskUnitOfWork, Protocol):
    @property
    def setup(self) -> SetupPort: ...
