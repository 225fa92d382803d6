"""Each staff member's daily agenda: their appointments of the local day, queued once a day.

A periodic job calls `queue_daily_agendas` every minute: from `send_from` local time on, it
writes one `daily_agenda` outbox row per staff member and day. The row's dedupe key
(`agenda:<staff>:<date>`) makes repeated runs, and several gateway replicas, write it once;
a run that finds every key present reads nothing more.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from uuid import UUID
from zoneinfo import ZoneInfo

from scheduling import formats
from scheduling.booking.messages import OutboxMessage
from scheduling.booking.model import Appointment
from scheduling.catalog import Catalog
from scheduling.ports import BookingUnitOfWork

SEND_FROM = time(7, 0)


async def queue_daily_agendas(
    uow: BookingUnitOfWork, business_id: UUID, now: datetime, send_from: time = SEND_FROM
) -> int:
    """Queue today's agenda for every staff member who has none yet; returns how many were
    queued. Runs every minute, so it first asks which agendas exist and stops there when all
    do, before reading any appointment. A staff member's day is their location's (the
    business's when they work at locations in different zones)."""
    async with uow:
        catalog = await uow.catalog.get(business_id)
        rows = []
        for tz, members in _by_zone(catalog).items():
            rows += await _agendas(uow, catalog, members, ZoneInfo(tz), now, send_from)
        if not rows:
            return 0
        await uow.outbox.add(rows, now)
        await uow.commit()
    return len(rows)


def _by_zone(catalog: Catalog) -> dict[str, list[UUID]]:
    """Staff ids by the zone their days are read in."""
    found: dict[str, list[UUID]] = {}
    for member in catalog.staff:
        zones = {loc.time_zone for loc in catalog.business.locations
                 if loc.id in member.location_ids}
        tz = zones.pop() if len(zones) == 1 else catalog.business.time_zone
        found.setdefault(tz, []).append(member.id)
    return found


async def _agendas(
    uow: BookingUnitOfWork, catalog: Catalog, staff_ids: list[UUID], tz: ZoneInfo,
    now: datetime, send_from: time,
) -> list[OutboxMessage]:
    """The missing agendas of `staff_ids`, whose day is read in `tz`, once it is `send_from`
    there."""
    local = now.astimezone(tz)
    if local.time() < send_from:
        return []
    start = datetime.combine(local.date(), time(0), tz)
    keys = {staff_id: _key(staff_id, start) for staff_id in staff_ids}
    queued = await uow.outbox.existing(keys.values())
    missing = [staff_id for staff_id, key in keys.items() if key not in queued]
    if not missing:
        return []
    end = datetime.combine(local.date() + timedelta(days=1), time(0), tz)
    booked = await uow.appointments.booked_between(catalog.business.id, missing, start, end)
    names = {a.customer_id: await _customer_name(uow, a) for a in booked}
    return [_agenda(catalog, staff_id, [a for a in booked if a.staff_id == staff_id], names,
                    (start, end, tz), now)
            for staff_id in missing]


def _key(staff_id: UUID, day_start: datetime) -> str:
    return f"agenda:{staff_id}:{day_start.date().isoformat()}"


async def _customer_name(uow: BookingUnitOfWork, appointment: Appointment) -> str:
    if appointment.customer_id is None:
        return "a walk-in"
    return (await uow.catalog.get_customer(appointment.customer_id)).name


def _agenda(
    catalog: Catalog, staff_id: UUID, booked: list[Appointment],
    names: dict[UUID | None, str], day: tuple[datetime, datetime, ZoneInfo], now: datetime,
) -> OutboxMessage:
    start, end, tz = day
    items = [
        {"start": a.start.isoformat(), "service": catalog.service(a.service_id).name,
         "customer": names[a.customer_id]}
        for a in booked
    ]
    payload = {
        "business_id": str(catalog.business.id), "staff_id": str(staff_id),
        "day": formats.day(start, tz), "time_zone": str(tz),
        "day_end": end.isoformat(), "items": items,
    }
    return OutboxMessage("daily_agenda", _key(staff_id, start), now, payload)
