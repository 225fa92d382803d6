"""The owner's one exception to the booking rules: a walk-in or a caller booked at the front
desk may start sooner than the service's minimum notice.

Notice exists so customers cannot book a time the business has no chance to prepare for; the
owner standing at the desk is that preparation. Hours, overlaps, buffers, the daily maximum
and the blocklist still hold: only the service's `min_notice` is set to zero, so the one
engine still refuses a time already past.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from scheduling.catalog import Catalog


def waived(catalog: Catalog, service_id: UUID) -> Catalog:
    """`catalog` with `service_id` bookable from now on (no minimum notice)."""
    services = tuple(replace(s, min_notice=timedelta(0)) if s.id == service_id else s
                     for s in catalog.services)
    return replace(catalog, services=services)
