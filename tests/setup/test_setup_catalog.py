"""The setup use cases on the fake and on PostgreSQL: what is saved reads back the same,
refusals name their field, archived entries are no longer offered but still found by id."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from scheduling.availability import AvailabilityQuery, available_slots
from scheduling.booking import services
from scheduling.booking.policies import BookingRules
from scheduling.catalog import (
    BusinessPolicies,
    CancellationPolicy,
    Contact,
    Location,
    Service,
)
from scheduling.deposit_rules import DepositRule
from scheduling.desk.setup.archive import Archive, archive
from scheduling.desk.setup.business import EditBusiness, SaveLocation, edit_business, save_location
from scheduling.desk.setup.rules import BlockCustomer, block, set_message_parts, set_rules, unblock
from scheduling.desk.setup.services import SaveService, SetReminders, save_service, set_reminders
from scheduling.desk.setup.staff import SaveStaff, save_staff
from scheduling.desk.setup.values import Block, Kind, MessageParts
from scheduling.errors import InvalidRequest, NotFound
from scheduling.hours import WeeklyHours
from scheduling.ports import SetupUnitOfWork
from tests.booking.booking_builders import DAYS, NOW, Salon, ny
from tests.setup.backends import both

pytestmark = both
MINUTE = timedelta(minutes=1)


async def _catalog(uow: SetupUnitOfWork, salon: Salon):  # type: ignore[no-untyped-def]
    async with uow:
        return await uow.catalog.get(salon.id)


def _massage(salon: Salon, **changes: object) -> Service:
    base = Service(uuid4(), "Massage", 50 * MINUTE, Decimal("80.00"), aliases=("rubdown",),
                   deposit=DepositRule.fixed(Decimal("20.00")), capacity=1, min_notice=60 * MINUTE,
                   cancellation=CancellationPolicy(48, Decimal("10")),
                   location_ids=frozenset({salon.catalog.business.locations[0].id}))
    return replace(base, **changes)  # type: ignore[arg-type]


async def test_a_new_service_reads_back_as_saved_and_an_edit_replaces_it(
    salon: Salon, uow: SetupUnitOfWork
) -> None:
    massage = _massage(salon)
    changed = await save_service(SaveService(salon.id, massage), uow, NOW)
    assert changed.catalog.service(massage.id) == massage
    assert (await _catalog(uow, salon)).service(massage.id) == massage
    dearer = replace(massage, price=Decimal("95.00"), aliases=("rubdown", "massages"))
    await save_service(SaveService(salon.id, dearer), uow, NOW)
    catalog = await _catalog(uow, salon)
    assert catalog.service(massage.id) == dearer
    assert [s.name for s in catalog.services] == ["Cut", "Colour", "Trim", "Yoga", "Massage"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"name": "cut"}, "name"),
    ({"aliases": ("a trim",)}, "aliases"),
    ({"aliases": ("!!",)}, "aliases"),
    ({"name": "  "}, "name"),
    ({"location_ids": frozenset({uuid4()})}, "location_ids"),
])
async def test_a_service_that_clashes_is_refused_naming_the_field(
    salon: Salon, uow: SetupUnitOfWork, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(InvalidRequest) as refused:
        await save_service(SaveService(salon.id, _massage(salon, **changes)), uow, NOW)
    assert refused.value.field == field
    assert len((await _catalog(uow, salon)).services) == 4


async def test_staff_hours_that_overlap_are_refused(salon: Salon, uow: SetupUnitOfWork) -> None:
    ana = salon.staff("Ana")
    breaks = WeeklyHours.of({"mon": ["12:00-13:00", "12:30-13:30"]})
    with pytest.raises(InvalidRequest) as refused:
        await save_staff(SaveStaff(salon.id, replace(ana, breaks=breaks)), uow, NOW)
    assert refused.value.field == "breaks"
    with pytest.raises(InvalidRequest) as nowhere:
        await save_staff(SaveStaff(salon.id, replace(ana, location_ids=frozenset())), uow, NOW)
    assert nowhere.value.field == "location_ids"


async def test_the_business_profile_and_a_second_location_in_another_zone(
    salon: Salon, uow: SetupUnitOfWork
) -> None:
    policies = BusinessPolicies(CancellationPolicy(12, Decimal("5")), "EUR", Decimal("15"))
    await edit_business(EditBusiness(salon.id, "Salon Uno", "Europe/Rome",
                                     Contact("+390612345678", "hi@uno.example", None), policies),
                        uow, NOW)
    rome = Location(uuid4(), "Rome", "Europe/Rome",
                    WeeklyHours.of(dict.fromkeys(DAYS[:5], ["09:00-18:00"])), "Via Roma 1")
    await save_location(SaveLocation(salon.id, rome), uow, NOW)
    business = (await _catalog(uow, salon)).business
    assert (business.name, business.time_zone, business.policies) == (
        "Salon Uno", "Europe/Rome", policies)
    assert [loc.name for loc in business.locations] == ["Main", "Rome"]
    with pytest.raises(InvalidRequest) as unknown:
        await edit_business(EditBusiness(salon.id, "X", "Mars/Olympus", Contact(), policies),
                            uow, NOW)
    assert unknown.value.field == "time_zone"


async def test_an_archived_service_is_not_offered_nor_bookable_but_still_found_by_id(
    salon: Salon, uow: SetupUnitOfWork
) -> None:
    cut = salon.service("Cut")
    booked = (await services.book(salon.booking("Cut", ny(3, 12, 10)), uow, NOW)).appointment
    changed = await archive(Archive(salon.id, Kind.SERVICE, cut.id), uow, NOW)
    assert changed.stranded == (booked,)
    catalog = await _catalog(uow, salon)
    assert cut not in catalog.services and catalog.service(cut.id) == cut
    with pytest.raises(NotFound):
        catalog.find_service("Cut")
    with pytest.raises(NotFound):
        await services.book(salon.booking("Cut", ny(3, 12, 14), customer=1), uow, NOW)
    with pytest.raises(InvalidRequest):
        await save_service(SaveService(salon.id, replace(cut, price=Decimal(1))), uow, NOW)
    with pytest.raises(InvalidRequest):
        await archive(Archive(salon.id, Kind.SERVICE, cut.id), uow, NOW)


async def test_archiving_staff_and_locations(salon: Salon, uow: SetupUnitOfWork) -> None:
    ben = salon.staff("Ben")
    await archive(Archive(salon.id, Kind.STAFF, ben.id), uow, NOW)
    catalog = await _catalog(uow, salon)
    assert [s.name for s in catalog.staff] == ["Ana"] and catalog.staff_member(ben.id) == ben
    main = catalog.business.locations[0]
    with pytest.raises(InvalidRequest) as last:
        await archive(Archive(salon.id, Kind.LOCATION, main.id), uow, NOW)
    assert last.value.field == "location"
    with pytest.raises(NotFound):
        await archive(Archive(salon.id, Kind.STAFF, uuid4()), uow, NOW)


async def test_rules_reminders_parts_and_the_blocklist(salon: Salon, uow: SetupUnitOfWork
                                                       ) -> None:
    rules = BookingRules(max_active_per_customer=2, require_approval=True,
                         hold_ttl=10 * MINUTE, max_per_contact_day=3)
    await set_rules(salon.id, rules, uow)
    cut = salon.service("Cut")
    await set_reminders(SetReminders(salon.id, cut.id, (60 * MINUTE, 1440 * MINUTE)), uow)
    parts = MessageParts(signature="See you soon, Ana", parking_notes="Park behind")
    await set_message_parts(salon.id, parts, uow)
    customer = salon.customers[0].id
    await block(BlockCustomer(salon.id, Block(customer, "rude")), uow)
    async with uow:
        assert await uow.appointments.rules(salon.id) == rules
        assert await uow.appointments.reminder_offsets(salon.id, cut.id) == (
            1440 * MINUTE, 60 * MINUTE)
        assert await uow.setup.message_parts(salon.id) == parts
        listed = await uow.setup.blocklist(salon.id)
    assert [(b.customer_id, b.reason, b.name) for b in listed] == [
        (customer, "rude", "Customer 0")]
    await unblock(salon.id, customer, uow)
    async with uow:
        assert await uow.setup.blocklist(salon.id) == []
    with pytest.raises(NotFound):
        await block(BlockCustomer(salon.id, Block(uuid4())), uow)
    with pytest.raises(InvalidRequest) as bad:
        await set_reminders(SetReminders(salon.id, cut.id, (-MINUTE,)), uow)
    assert bad.value.field == "reminder_offsets"


async def test_an_archived_service_has_no_open_times(salon: Salon, uow: SetupUnitOfWork) -> None:
    cut = salon.service("Cut")
    await archive(Archive(salon.id, Kind.SERVICE, cut.id), uow, NOW)
    catalog = await _catalog(uow, salon)
    query = AvailabilityQuery(cut.id, ny(3, 12, 9), ny(3, 12, 17), NOW)
    with pytest.raises(NotFound):
        available_slots(catalog, query)
    trim = AvailabilityQuery(salon.service("Trim").id, ny(3, 12, 9), ny(3, 12, 17), NOW)
    assert available_slots(catalog, trim)


async def test_an_edit_made_from_a_stale_read_is_refused(salon: Salon, uow: SetupUnitOfWork
                                                         ) -> None:
    ana = salon.staff("Ana")
    await save_staff(SaveStaff(salon.id, replace(ana, languages=frozenset({"en", "pt"})), ana),
                     uow, NOW)
    with pytest.raises(InvalidRequest) as stale:
        await save_staff(SaveStaff(salon.id, replace(ana, max_bookings_per_day=3), ana), uow,
                         NOW)
    assert stale.value.field == "staff"
    assert (await _catalog(uow, salon)).staff_member(ana.id).languages == {"en", "pt"}
