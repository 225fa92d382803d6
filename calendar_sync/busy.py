"""Busy time from Google: `scheduling`'s `BusyTimeSource` port over `freebusy.query`.

One query per connected account covers all of its calendars (Google allows 50 calendars and
90 days a query, so larger asks are split). Answers are cached per calendar, by whole UTC days
so neighbouring searches share them, and keyed by the connection's `busy_version`, which a
push notification bumps: every process sees the change with the one read it makes anyway.
Google being down or a connection being broken makes its calendars count as free (logged):
availability must not stop because Google does.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from uuid import UUID

from calendar_sync.connections import Connection, ConnectionStore
from calendar_sync.errors import CalendarError
from calendar_sync.google_api import CalendarApi, Json
from scheduling.occupancy import BusyInterval
from scheduling.timeline import DAY, Span, instant, merge, seconds, subtract

log = logging.getLogger(__name__)
MAX_CALENDARS = 50
MAX_RANGE = 90 * DAY


@dataclass
class _Cached:
    version: int
    covered: list[Span] = field(default_factory=list)
    busy: list[Span] = field(default_factory=list)


class BusyCache:
    """Busy spans per (connection, calendar) for the day ranges already asked of Google."""

    def __init__(self) -> None:
        self._entries: dict[tuple[UUID, str], _Cached] = {}

    def entry(self, connection: Connection, calendar_id: str) -> _Cached:
        key = (connection.id, calendar_id)
        cached = self._entries.get(key)
        if cached is None or cached.version != connection.busy_version:
            cached = self._entries[key] = _Cached(connection.busy_version)
        return cached

    def missing(self, connection: Connection, window: Span) -> list[Span]:
        """The parts of `window` some calendar of `connection` has no answer for."""
        gaps = [subtract([window], self.entry(connection, c).covered)
                for c in connection.calendar_ids]
        return merge(span for spans in gaps for span in spans)

    def store(
        self, connection: Connection, spans: list[Span], answer: dict[str, list[Span]]
    ) -> None:
        for calendar_id in connection.calendar_ids:
            cached = self.entry(connection, calendar_id)
            cached.covered = merge(cached.covered + spans)
            cached.busy = merge(cached.busy + answer.get(calendar_id, []))

    def busy(self, connection: Connection, window: Span) -> list[Span]:
        low, high = window
        spans = (s for c in connection.calendar_ids for s in self.entry(connection, c).busy)
        return [(max(a, low), min(b, high)) for a, b in merge(spans) if a < high and low < b]

    def drop(self, connection_id: UUID) -> None:
        """Forget a connection's answers now (this process); others notice `busy_version`."""
        for key in [k for k in self._entries if k[0] == connection_id]:
            del self._entries[key]


class GoogleBusyTimes:
    """The busy-time port for Google-connected staff; unconnected staff have none."""

    def __init__(self, store: ConnectionStore, cache: BusyCache | None = None) -> None:
        self.store = store
        self.cache = cache or BusyCache()

    async def busy_times(
        self, staff_ids: Sequence[UUID], start: datetime, end: datetime
    ) -> list[BusyInterval]:
        connections = await self.store.for_staff(staff_ids)
        window = (seconds(start), seconds(end))
        found = await asyncio.gather(*(self._busy(c, window) for c in connections))
        return [
            BusyInterval(c.staff_id, instant(a), instant(b))
            for c, spans in zip(connections, found, strict=True) for a, b in spans
        ]

    async def _busy(self, connection: Connection, window: Span) -> list[Span]:
        days = (window[0] - window[0] % DAY, window[1] + (-window[1]) % DAY)
        missing = self.cache.missing(connection, days)
        if missing:
            try:
                answer = await self.store.use(connection, lambda api: fetch(api, connection,
                                                                            missing))
                self.cache.store(connection, missing, answer)
            except CalendarError as error:
                log.warning("busy time of staff %s unavailable: %s", connection.staff_id, error)
        return self.cache.busy(connection, window)


def fetch(api: CalendarApi, connection: Connection, spans: list[Span]) -> dict[str, list[Span]]:
    """Busy spans per calendar over `spans`, in as few queries as Google's limits allow."""
    calendars = list(connection.calendar_ids)
    out: dict[str, list[Span]] = {c: [] for c in calendars}
    for low, high in _pieces(spans):
        for first in range(0, len(calendars), MAX_CALENDARS):
            batch = calendars[first:first + MAX_CALENDARS]
            answer = api.freebusy(batch, _rfc3339(low), _rfc3339(high))
            for calendar_id, spans_found in _read(answer, batch).items():
                out[calendar_id] += spans_found
    return out


def _pieces(spans: list[Span]) -> list[Span]:
    return [
        (a, min(a + MAX_RANGE, high)) for low, high in spans for a in range(low, high, MAX_RANGE)
    ]


def _read(answer: Json, asked: list[str]) -> dict[str, list[Span]]:
    calendars = answer.get("calendars", {})
    out: dict[str, list[Span]] = {}
    for calendar_id in asked:
        found = calendars.get(calendar_id, {})
        if found.get("errors"):
            log.warning("free/busy of calendar %s failed: %s", calendar_id, found["errors"])
        out[calendar_id] = [(seconds(_parse(b["start"])), seconds(_parse(b["end"])))
                            for b in found.get("busy", [])]
    return out


def _rfc3339(moment: int) -> str:
    return instant(moment).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


