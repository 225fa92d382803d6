"""The daily agenda of a staff member at a branch in another zone is of that branch's day:
queued at 7 AM there, its day and its end read on that clock."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from backends import Backend, both
from booking_builders import Salon

from scheduling.booking.agenda import queue_daily_agendas
from scheduling.ports import BookingUnitOfWork
from tests import branches

NY, CHICAGO = ZoneInfo("America/New_York"), ZoneInfo("America/Chicago")


@both
async def test_a_branch_in_another_zone_gets_its_agenda_on_its_clock(
    uow: BookingUnitOfWork, backend: Backend
) -> None:
    catalog = branches.two_branch_catalog()
    await backend.seed(Salon(catalog, ()))
    business, dana = catalog.business.id, str(branches.DANA)
    early = datetime(2027, 3, 12, 7, 30, tzinfo=NY)  # 6:30 AM at Harbour
    assert await queue_daily_agendas(uow, business, early) == len(catalog.staff) - 1
    assert dana not in {r["staff_id"] for r in await backend.payloads("daily_agenda")}
    assert await queue_daily_agendas(uow, business, early.replace(hour=8, minute=30)) == 1
    [harbour] = [r for r in await backend.payloads("daily_agenda") if r["staff_id"] == dana]
    assert harbour["time_zone"] == "America/Chicago" and harbour["day"] == "Friday, March 12"
    assert harbour["day_end"] == datetime(2027, 3, 13, tzinfo=CHICAGO).isoformat()
