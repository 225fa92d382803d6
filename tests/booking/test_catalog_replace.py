"""Replacing the served catalog (scheduling.desk.setup.replace), on the fake and PostgreSQL:
another business takes the place of one without bookings; one with bookings is refused unless
they are discarded; the same business (by id or name) is updated in place, keeping its ids,
and what it no longer lists is archived (offered again when listed again)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from backends import both
from booking_builders import NOW, Salon, ny

from assistant.catalog_cli import summary
from scheduling.booking import services
from scheduling.booking.policies import BookingRules
from scheduling.catalog import Archived, Catalog
from scheduling.demo import demo_catalog
from scheduling.desk.setup.replace import (
    BusinessHasBookings,
    Reminders,
    ReplaceCatalog,
    adopt_ids,
    replace_catalog,
)
from scheduling.hours import WeeklyHours
from scheduling.persistence.catalog_replace import CatalogReplaceUnitOfWork
from scheduling.ports import CatalogReplaceUnitOfWork as ReplacePorts
from scheduling.ports import DeskUnitOfWork
from tests.fakes.catalog_replace import FakeReplaceUnitOfWork
from tests.fakes.uow import FakeUnitOfWork

pytestmark = both


@pytest.fixture
def setup(request: pytest.FixtureRequest, uow: DeskUnitOfWork) -> ReplacePorts:
    """A replace unit of work on the same database as `uow`."""
    if isinstance(uow, FakeUnitOfWork):
        return FakeReplaceUnitOfWork(uow.database)
    return CatalogReplaceUnitOfWork(request.getfixturevalue("session_factory"))


def _fresh_ids(catalog: Catalog) -> Catalog:
    """The same catalog as a file without ids would give: every id new, names the same."""
    places = {loc.id: uuid4() for loc in catalog.business.locations}
    business = replace(catalog.business, id=uuid4(), locations=tuple(
        replace(loc, id=places[loc.id]) for loc in catalog.business.locations))
    staff = tuple(replace(m, id=uuid4(), location_ids=_moved(m.location_ids, places))
                  for m in catalog.staff)
    offered = tuple(replace(s, id=uuid4(), location_ids=_moved(s.location_ids, places))
                    for s in catalog.services)
    return Catalog(business, staff, offered)


def _moved(ids: frozenset[UUID], places: dict[UUID, UUID]) -> frozenset[UUID]:
    return frozenset(places[i] for i in ids)


async def _served(setup: ReplacePorts) -> list[Catalog]:
    async with setup:
        return [await setup.catalog.get(i) for i in await setup.catalog.business_ids()]


async def test_an_empty_database_gets_the_catalog(setup: ReplacePorts) -> None:
    result = await replace_catalog(ReplaceCatalog(demo_catalog()), setup, NOW)
    assert result.updated_in_place and result.archived == ()
    assert await _served(setup) == [demo_catalog()]


async def test_another_business_replaces_one_without_bookings(
    salon: Salon, setup: ReplacePorts
) -> None:
    result = await replace_catalog(ReplaceCatalog(demo_catalog()), setup, NOW)
    assert result.removed == salon.id
    assert await _served(setup) == [demo_catalog()]


async def test_a_business_with_bookings_is_not_replaced_unless_they_are_discarded(
    salon: Salon, uow: DeskUnitOfWork, setup: ReplacePorts
) -> None:
    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)
    with pytest.raises(BusinessHasBookings, match="Salon has 1 appointment"):
        await replace_catalog(ReplaceCatalog(demo_catalog()), setup, NOW)
    assert [c.business.id for c in await _served(setup)] == [salon.id]

    await replace_catalog(ReplaceCatalog(demo_catalog(), discard_bookings=True), setup, NOW)
    assert await _served(setup) == [demo_catalog()]


async def test_the_same_business_by_name_is_updated_in_place_keeping_its_ids(
    salon: Salon, setup: ReplacePorts
) -> None:
    edited = _fresh_ids(salon.catalog)
    edited = replace(edited, services=tuple(
        replace(s, price=s.price + 1) for s in edited.services if s.name != "Trim"))
    result = await replace_catalog(ReplaceCatalog(edited), setup, NOW)
    assert result.updated_in_place and result.archived == ("Trim",)
    [saved] = await _served(setup)
    assert replace(saved, archived=Archived()) == adopt_ids(edited, salon.catalog)
    assert adopt_ids(edited, salon.catalog) == result.catalog
    assert saved.business.id == salon.id
    cut = salon.service("Cut")
    assert saved.find_service("Cut") == replace(cut, price=cut.price + 1)
    assert "Trim" not in {s.name for s in saved.services}
    assert saved.archived.services == (salon.service("Trim"),)


async def test_what_the_catalog_no_longer_lists_is_archived_and_comes_back_when_listed(
    salon: Salon, uow: DeskUnitOfWork, setup: ReplacePorts
) -> None:
    await services.book(salon.booking("Trim", ny(3, 12, 10), staff="Ben"), uow, NOW)
    smaller = replace(salon.catalog, staff=(salon.staff("Ana"),), services=tuple(
        s for s in salon.catalog.services if s.name in ("Cut", "Yoga")))
    result = await replace_catalog(ReplaceCatalog(smaller), setup, NOW)
    assert result.archived == ("Ben", "Colour", "Trim")
    [saved] = await _served(setup)
    assert [m.name for m in saved.staff] == ["Ana"]
    assert [s.name for s in saved.services] == ["Cut", "Yoga"]
    assert saved.staff_member(salon.staff("Ben").id) == salon.staff("Ben")

    again = _fresh_ids(salon.catalog)
    await replace_catalog(ReplaceCatalog(again), setup, NOW)
    [saved] = await _served(setup)
    assert replace(saved, archived=Archived()) == salon.catalog


async def test_a_dry_run_checks_everything_and_writes_nothing(
    salon: Salon, uow: DeskUnitOfWork, setup: ReplacePorts
) -> None:
    result = await replace_catalog(ReplaceCatalog(demo_catalog(), dry_run=True), setup, NOW)
    assert result.removed == salon.id
    smaller = replace(salon.catalog, services=salon.catalog.services[:1])
    result = await replace_catalog(ReplaceCatalog(smaller, dry_run=True), setup, NOW)
    assert result.archived == ("Colour", "Trim", "Yoga")
    assert await _served(setup) == [salon.catalog]

    await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)
    with pytest.raises(BusinessHasBookings):
        await replace_catalog(ReplaceCatalog(demo_catalog(), dry_run=True), setup, NOW)


async def test_rules_and_reminders_are_replaced_when_given_and_left_alone_when_not(
    salon: Salon, setup: ReplacePorts
) -> None:
    hour = timedelta(hours=1)
    rules = BookingRules(max_active_per_customer=2, require_approval=True)
    wanted = Reminders((48 * hour, 2 * hour), {"Colour": (72 * hour,)})
    await replace_catalog(ReplaceCatalog(_fresh_ids(salon.catalog), rules, wanted), setup, NOW)
    async with setup:
        assert await setup.catalog.rules(salon.id) == rules
        assert await setup.catalog.reminders(salon.id) == {
            salon.id: (48 * hour, 2 * hour), salon.service("Colour").id: (72 * hour,)}

    await replace_catalog(ReplaceCatalog(salon.catalog), setup, NOW)
    fewer = Reminders((hour,))
    await replace_catalog(ReplaceCatalog(salon.catalog, reminders=fewer), setup, NOW)
    async with setup:
        assert await setup.catalog.rules(salon.id) == rules
        assert await setup.catalog.reminders(salon.id) == {salon.id: (hour,)}


async def test_an_update_in_place_lists_the_appointments_it_leaves_outside_working_time(
    salon: Salon, uow: DeskUnitOfWork, setup: ReplacePorts
) -> None:
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    await services.book(salon.booking("Cut", ny(3, 12, 10), staff="Ben"), uow, NOW)
    ana = replace(salon.staff("Ana"), weekly_hours=WeeklyHours())
    shorter = replace(salon.catalog, staff=(ana, salon.staff("Ben")))
    result = await replace_catalog(ReplaceCatalog(shorter), setup, NOW)
    assert [a.id for a in result.stranded] == [booked.id]
    assert summary(result, dry_run=False).splitlines()[1:] == [
        "1 upcoming appointment(s) now outside working time (they stand until moved or "
        "cancelled):", "  Fri, Mar 12, 10 AM Cut with Ana"]


async def test_two_replacements_at_once_run_one_after_the_other(
    salon: Salon, setup: ReplacePorts, request: pytest.FixtureRequest, uow: DeskUnitOfWork
) -> None:
    """The second sees what the first made: it updates the new business in place instead of
    deleting the old one a second time and inserting the new one again."""
    other = FakeReplaceUnitOfWork(uow.database) if isinstance(uow, FakeUnitOfWork) else (
        CatalogReplaceUnitOfWork(request.getfixturevalue("session_factory")))
    first, second = await asyncio.gather(
        replace_catalog(ReplaceCatalog(demo_catalog()), setup, NOW),
        replace_catalog(ReplaceCatalog(demo_catalog()), other, NOW))
    assert sorted([first.updated_in_place, second.updated_in_place]) == [False, True]
    assert await _served(setup) == [demo_catalog()]
