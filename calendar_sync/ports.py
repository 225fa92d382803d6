"""What `calendar_sync` keeps in the database, as values and one port (`CalendarStore`).

Connections, push channels, event links, sync tokens and the calendar rows of the outbox are
read and written only through `CalendarStore`; `calendar_sync.store.SqlCalendarStore` is the
PostgreSQL implementation and the one module of this package that speaks SQL. The rest of the
package (OAuth, busy time, events, sync, the worker) talks to Google and decides.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID


@dataclass(frozen=True, slots=True)
class Connection:
    id: UUID
    staff_id: UUID
    calendar_ids: tuple[str, ...]
    event_calendar_id: str
    status: str
    busy_version: int
    account_email: str | None = None
    last_error: str | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """A push channel opened at Google on one calendar; `token` is echoed in every push."""

    id: str
    connection_id: UUID
    calendar_id: str
    resource_id: str
    token: str
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class EventLink:
    appointment_id: UUID
    connection_id: UUID
    calendar_id: str
    event_id: str
    start: datetime
    end: datetime
    meet_link: str | None = None


@dataclass(frozen=True, slots=True)
class AppointmentFacts:
    """What an event says about an appointment beyond the outbox payload."""

    staff_id: UUID
    active: bool
    notes: str
    customer_name: str
    customer_email: str | None
    customer_phone: str | None
    invite_customer: bool


@dataclass(frozen=True, slots=True)
class DueEvent:
    """A pending `calendar_event` outbox row, leased for one delivery; `attempts` counts this
    one."""

    id: UUID
    payload: Mapping[str, Any]
    attempts: int
    appointment_id: UUID | None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of a delivery: sent, failed, or pending again from `due_at`."""

    status: str
    last_error: str | None = None
    due_at: datetime | None = None


Deliver = Callable[[DueEvent], Awaitable[Outcome]]


class CalendarStore(Protocol):
    async def save_connection(self, staff_id: UUID, sealed: str, now: datetime,
                              account_email: str | None, calendar_ids: Sequence[str]) -> None:
        """Connect or reconnect a staff member (one connection per staff member)."""

    async def connections(self, staff_ids: Sequence[UUID], active_only: bool
                          ) -> list[Connection]: ...

    async def connection(self, connection_id: UUID) -> Connection | None: ...

    async def sealed_tokens(self, connection_id: UUID) -> str | None: ...

    async def set_tokens(self, connection_id: UUID, sealed: str) -> None: ...

    async def set_status(self, connection_id: UUID, status: str, error: str | None) -> None: ...

    async def bump_busy_version(self, connection_id: UUID) -> None: ...

    async def add_channel(self, channel: Channel) -> None: ...

    async def channel(self, channel_id: str) -> Channel | None: ...

    async def channels_expiring_before(self, moment: datetime) -> list[Channel]: ...

    async def channels_of(self, connection_id: UUID) -> list[Channel]: ...

    async def drop_channel(self, channel_id: str) -> None: ...

    async def appointment_facts(self, appointment_id: UUID) -> AppointmentFacts | None: ...

    async def link(self, appointment_id: UUID) -> EventLink | None: ...

    async def link_by_event(self, connection_id: UUID, calendar_id: str, event_id: str
                            ) -> EventLink | None: ...

    async def save_link(self, link: EventLink, now: datetime) -> None:
        """Record the event and give a virtual visit's appointment its Meet link (unless it
        has one)."""

    async def move_link(self, old_appointment_id: UUID, link: EventLink, now: datetime
                        ) -> None: ...

    async def note_link(self, appointment_id: UUID, note: str, now: datetime) -> None: ...

    async def drop_link(self, appointment_id: UUID) -> None: ...

    async def sync_token(self, connection_id: UUID, calendar_id: str) -> str | None: ...

    async def save_sync_token(self, connection_id: UUID, calendar_id: str, token: str | None,
                              now: datetime) -> None: ...

    async def deliver_due(self, kind: str, now: datetime, batch: int, deliver: Deliver) -> int:
        """Lock up to `batch` due rows of `kind` (skipping rows another worker holds), run
        `deliver` on each inside that transaction, store its outcome; returns the rows taken."""
