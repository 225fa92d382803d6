"""The business profile, booking rules and parts of messages refuse an edit made from a read
that another edit has since changed (as catalog items do), on the fake and on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from scheduling.booking.policies import BookingRules
from scheduling.desk.setup.business import EditBusiness, SaveLocation, edit_business, save_location
from scheduling.desk.setup.rules import set_message_parts, set_rules
from scheduling.desk.setup.values import MessageParts
from scheduling.errors import InvalidRequest
from scheduling.ports import SetupUnitOfWork
from tests.booking.booking_builders import NOW, Salon
from tests.setup.backends import both

pytestmark = both


async def test_rules_edited_from_a_stale_read_are_refused(salon: Salon, uow: SetupUnitOfWork
                                                          ) -> None:
    read = BookingRules()
    await set_rules(salon.id, replace(read, require_approval=True), uow, read)
    with pytest.raises(InvalidRequest) as stale:
        await set_rules(salon.id, replace(read, max_active_per_customer=9), uow, read)
    assert stale.value.field == "booking_rules"
    async with uow:
        assert (await uow.appointments.rules(salon.id)).require_approval is True


async def test_parts_edited_from_a_stale_read_are_refused(salon: Salon, uow: SetupUnitOfWork
                                                          ) -> None:
    read = MessageParts()
    await set_message_parts(salon.id, MessageParts(signature="Ana"), uow, read)
    with pytest.raises(InvalidRequest) as stale:
        await set_message_parts(salon.id, MessageParts(parking_notes="Behind"), uow, read)
    assert stale.value.field == "messages"
    await set_message_parts(salon.id, MessageParts(signature="Ana", parking_notes="Behind"), uow,
                            MessageParts(signature="Ana"))
    async with uow:
        saved = await uow.setup.message_parts(salon.id)
    assert saved == MessageParts("Ana", parking_notes="Behind")


async def test_a_profile_edit_is_stale_by_the_profile_only(salon: Salon, uow: SetupUnitOfWork
                                                           ) -> None:
    business = salon.catalog.business
    place = business.locations[0]
    moved = replace(place, address="9 New Street")
    await save_location(SaveLocation(salon.id, moved, place), uow, NOW)

    def renamed(name: str) -> EditBusiness:
        return EditBusiness(salon.id, name, business.time_zone, business.contact,
                            business.policies, business)
    await edit_business(renamed("Shears"), uow, NOW)  # a location edit does not make it stale
    with pytest.raises(InvalidRequest) as stale:
        await edit_business(renamed("Scissors"), uow, NOW)
    assert stale.value.field == "business"
