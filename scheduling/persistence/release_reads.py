"""The owner's report per release (issue 20): demand, admitted and abandoned from the waiting
room's audit (`waiting_room_store.queue_counts`, distinct customers per event from the
release's opening to the next), booked from the appointments of the released days made since
it opened (a release with no queue still has bookings)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.persistence.waiting_room_store import queue_counts
from scheduling.releases import STEP, Release, ReleaseRule, local_instant

BOOKED = text("""
SELECT count(*) FROM appointments
WHERE business_id = :business AND (CAST(:service AS uuid) IS NULL OR service_id = :service)
  AND (CAST(:staff AS uuid) IS NULL OR staff_id = :staff)
  AND starts_at >= :low AND starts_at < :high AND created_at >= :early AND status <> 'held'
""")


@dataclass(frozen=True, slots=True)
class ReleaseFigures:
    release: Release
    demand: int
    admitted: int
    booked: int
    abandoned: int


async def release_figures(
    session: AsyncSession, rule: ReleaseRule, release: Release, zone: ZoneInfo
) -> ReleaseFigures:
    queue = {"entered": 0, "admitted": 0, "left": 0, "expired": 0}
    if rule.service_id is not None:
        queue = await queue_counts(session, rule.service_id, release.audience_opens_at,
                                   release.audience_opens_at + timedelta(days=STEP[rule.period]))
    booked = await session.scalar(BOOKED, {
        "business": rule.business_id, "service": rule.service_id, "staff": rule.staff_id,
        "low": local_instant(release.first_day, time(0), zone),
        "high": local_instant(release.last_day + timedelta(days=1), time(0), zone),
        "early": release.audience_opens_at})
    return ReleaseFigures(release, queue["entered"], queue["admitted"], booked or 0,
                          queue["left"] + queue["expired"])
