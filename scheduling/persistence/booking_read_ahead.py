"""A named booking's count and staff bookings, read by the head query after its two locks.

The head query (`booking_context`) locks the customer's row; its CTE `h` then calls
`booking_read_ahead` (migration 0023), which takes the staff member's advisory lock and reads,
with a snapshot of its own taken after that lock, the customer's booked count as of `now` and
the staff member's active bookings in the window placement will ask for: what
`COUNT_ACTIVE_THEN_INTERVALS` read in a statement of its own after the head query. The lock
order stays customer, then staff (`h` reads `c`, so it runs once the row is locked).

The window is `openings.window` for a start one second long (as `services._reach` asks it),
written in SQL from the service's and the staff member's rows: the service's buffers and a
second either side, or a day either side when the staff member has a daily maximum. It is only
a hint: `BookingRepository` answers `intervals` from these rows only for a window inside it,
and reads again (under the same locks) otherwise.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

_ONE = "make_interval(secs => 1)"
_DAY = "make_interval(days => 1)"
_DAILY = "m.max_bookings_per_day IS NOT NULL"
WINDOW = (
    f"SELECT CASE WHEN {_DAILY} THEN %(start)s::timestamptz - {_DAY}"
    f" ELSE %(start)s::timestamptz - make_interval(mins => v.buffer_before_minutes) - {_ONE}"
    f" END AS low, %(start)s::timestamptz + {_ONE}"
    f" + make_interval(mins => v.duration_minutes) + CASE WHEN {_DAILY} THEN {_DAY}"
    f" ELSE make_interval(mins => v.buffer_after_minutes) + {_ONE} END AS high"
    " FROM (SELECT 1) AS o LEFT JOIN services v ON v.id = %(service_id)s::uuid"
    " LEFT JOIN staff m ON m.id = %(staff_id)s::uuid"
)
"""One row, the window (NULL when the service or the staff member is not there: the head
query then raises NotFound or places nowhere, and `booking_read_ahead` reads no bookings)."""

CTE = (
    f", h AS MATERIALIZED (SELECT w.low, w.high, x.* FROM c, ({WINDOW}) AS w,"
    " booking_read_ahead(%(lock)s::text, c.id, %(now)s::timestamptz, %(staff_id)s::uuid,"
    " w.low, w.high) AS x)"
)
JOIN = " LEFT JOIN h ON true"
FIELDS = ("low", "high", "r_active", "r_ids", "r_staff", "r_starts", "r_ends",
          "r_blocked_starts", "r_blocked_ends", "r_services", "r_seats")
EXTRAS = {f"ahead_{name}": f"h.{name}" for name in FIELDS}
"""The head query's extra columns (`_HeadQuery` extras), named apart from its own."""


@dataclass(frozen=True, slots=True)
class ReadAhead:
    """What `booking_read_ahead` read: `rows` as `INTERVALS_OF_ONE` returns them (id,
    staff, start, end, blocked start, blocked end, service, seats) for `staff_id` in
    `[low, high)`, and the customer's booked count, all as of `now`."""

    now: datetime
    active: int
    staff_id: UUID
    low: datetime
    high: datetime
    rows: list[tuple[Any, ...]]

    @classmethod
    def of(cls, extra: Mapping[str, Any], now: datetime, staff_id: UUID) -> ReadAhead | None:
        """From the head row's extras; None when nothing was read (no window)."""
        low, high = extra["ahead_low"], extra["ahead_high"]
        if low is None or high is None or extra["ahead_r_active"] is None:
            return None
        columns = [extra[f"ahead_{name}"] or [] for name in FIELDS[3:]]
        return cls(now, int(extra["ahead_r_active"]), staff_id, low, high,
                   list(zip(*columns, strict=True)))
