"""Timed releases on the one availability path, on PostgreSQL: chat searches and booking
placement see the same rules, an audience opens early only for its proved members and code
holders, and a refused booking says when the time opens. The salon's week has the US change
to summer time on Sunday 14 March 2027, the day next week's slots open."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta
from uuid import uuid4

import pytest

from scheduling.availability import AvailabilityQuery
from scheduling.booking.openings import open_slots
from scheduling.booking.services import book
from scheduling.desk.slots import SlotSearch, find_slots
from scheduling.errors import NotYetReleased
from scheduling.persistence.desk_uow import DeskUnitOfWork
from scheduling.releases import Period, ReleaseRule
from tests.booking.booking_builders import NOW, Salon, ny
from tests.releases.conftest import Owner

pytestmark = pytest.mark.db

OPENS = datetime(2027, 3, 14, 22, 0, tzinfo=UTC)
"""Sunday 14 March 18:00 EDT (the clocks went forward at 02:00 that morning)."""
VIP_OPENS = OPENS - timedelta(hours=2)
NEXT_MONDAY = datetime(2027, 3, 15, 4, 0, tzinfo=UTC)  # 00:00 EDT


def sunday_six(salon: Salon, **extra: object) -> ReleaseRule:
    return ReleaseRule(uuid4(), salon.id, Period.WEEK, time(18), weekday=6, lead=1,
                       service_id=salon.service("Cut").id, **extra)  # type: ignore[arg-type]


async def starts(uow: DeskUnitOfWork, salon: Salon, now: datetime, service: str = "Cut",
                 customer: int | None = None, code: str | None = None) -> list[datetime]:
    search = SlotSearch(salon.id, salon.service(service).id, preferred_start=ny(3, 16, 10),
                        count=40, access_code=code,
                        customer_id=None if customer is None else salon.customers[customer].id)
    return sorted(s.slot.start for s in await find_slots(uow, search, now))


async def test_next_weeks_slots_appear_at_six_pm_sunday_across_the_dst_change(
    uow: DeskUnitOfWork, salon: Salon, owner: Owner,
) -> None:
    await owner.rule(sunday_six(salon))
    assert await starts(uow, salon, NOW) == []
    assert await starts(uow, salon, OPENS - timedelta(seconds=1)) == []
    after = await starts(uow, salon, OPENS)
    assert after and after[0] >= NEXT_MONDAY
    assert await starts(uow, salon, NOW, service="Trim")  # no rule for trims


async def test_an_audience_opens_early_for_its_members_and_code_holders_only(
    uow: DeskUnitOfWork, salon: Salon, owner: Owner,
) -> None:
    vip = await owner.audience("VIP", members=(0,), codes=("early-27",))
    await owner.rule(sunday_six(salon, audience_id=vip, early=timedelta(hours=2)))
    during = VIP_OPENS + timedelta(minutes=30)
    assert await starts(uow, salon, VIP_OPENS - timedelta(seconds=1), customer=0) == []
    assert await starts(uow, salon, during, customer=0)
    assert await starts(uow, salon, during, customer=2) == []
    assert await starts(uow, salon, during, customer=3, code=" EARLY-27 ")
    assert await starts(uow, salon, during, customer=3, code="early-28") == []
    assert await starts(uow, salon, during, code="x" * 10_000) == []


async def test_placement_refuses_an_unreleased_time_and_says_when_it_opens(
    uow: DeskUnitOfWork, salon: Salon, owner: Owner,
) -> None:
    vip = await owner.audience("VIP", members=(0,))
    await owner.rule(sunday_six(salon, audience_id=vip, early=timedelta(hours=2)))
    tuesday = ny(3, 16, 10)
    with pytest.raises(NotYetReleased) as refused:
        await book(salon.booking("Cut", tuesday, customer=2), uow, NOW)
    assert refused.value.opens_at == OPENS
    with pytest.raises(NotYetReleased) as early:
        await book(salon.booking("Cut", tuesday, customer=0), uow, NOW)
    assert early.value.opens_at == VIP_OPENS
    booked = await book(salon.booking("Cut", tuesday, customer=0), uow,
                        VIP_OPENS + timedelta(minutes=1))
    assert booked.appointment.start == tuesday
    with pytest.raises(NotYetReleased):
        await book(salon.booking("Cut", ny(3, 16, 14), customer=2), uow,
                   OPENS - timedelta(seconds=1))
    done = await book(salon.booking("Cut", ny(3, 16, 14), customer=2), uow, OPENS)
    assert done.appointment.start == ny(3, 16, 14)


async def test_a_code_carried_with_the_chosen_slot_books_early(
    uow: DeskUnitOfWork, salon: Salon, owner: Owner,
) -> None:
    vip = await owner.audience("Members", codes=("MEMBERS",))
    await owner.rule(sunday_six(salon, audience_id=vip, early=timedelta(days=1)))
    command = salon.booking("Cut", ny(3, 17, 9), customer=1)
    coded = replace(command, slot=replace(command.slot, access_code="members"))
    booked = await book(coded, uow, OPENS - timedelta(hours=3))
    assert booked.appointment.customer_id == salon.customers[1].id


async def test_a_staff_members_rule_closes_only_their_time(
    uow: DeskUnitOfWork, salon: Salon, owner: Owner,
) -> None:
    anas = ReleaseRule(uuid4(), salon.id, Period.WEEK, time(18), weekday=6, lead=1,
                       staff_id=salon.staff("Ana").id)
    await owner.rule(anas)
    query = AvailabilityQuery(salon.service("Cut").id, ny(3, 16, 0), ny(3, 17, 0), NOW)
    async with uow:
        catalog = await uow.catalog.get(salon.id)
        slots = await open_slots(uow.appointments, catalog, query)
    staff = {member for slot in slots for member in slot.staff_ids}
    assert staff == {salon.staff("Ben").id}
    with pytest.raises(NotYetReleased):
        await book(salon.booking("Cut", ny(3, 16, 10), customer=2, staff="Ana"), uow, NOW)
    booked = await book(salon.booking("Cut", ny(3, 16, 10), customer=2, staff="Ben"), uow, NOW)
    assert booked.appointment.staff_id == salon.staff("Ben").id
