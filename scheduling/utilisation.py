"""How many minutes each staff member is available in a span: the denominator of utilisation.

The catalog's weekly hours less breaks, expanded on the business's wall clock by the same
`LocalDays` the availability engine uses. Pure: the analytics API and the admin dashboard
share it.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from scheduling.catalog import Catalog
from scheduling.hours import LocalDays
from scheduling.timeline import clip, seconds, subtract


def available_minutes(catalog: Catalog, start: datetime, end: datetime) -> dict[UUID, float]:
    zone = catalog.business.zone
    days = LocalDays.around(zone, start, end)
    low, high = seconds(start), seconds(end)
    out = {}
    for member in catalog.staff:
        working = subtract(days.expand(member.weekly_hours, member.overrides),
                           days.expand(member.breaks))
        out[member.id] = sum(b - a for a, b in clip(working, low, high)) / 60
    return out
