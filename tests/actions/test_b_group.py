"""Group requests by chat (issue 18, kind 8): "for me and my daughter" in a class books two
places in one appointment (offers searched for two free places, the read-back says who), while
a one-to-one service says it books one appointment each (tests/actions/test_z_group.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from actions.booking import ActionBook
from actions.booking_form import ActionAskBookingConfirmed
from actions.group_chat import party_in
from scheduling.catalog import Catalog, Service
from scheduling.persistence.catalog_repository import CatalogRepository
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import CUT, DOMAIN, offers_for, validate

SMS = "sms:+17185550654"


@pytest.mark.parametrize(("said", "party"), [
    ("the class for me and my daughter on saturday", 2), ("two of us please", 2),
    ("can we both come, both of us on friday", 2), ("for 3 people", 3),
    ("me and my two kids", 3), ("my husband and I", 2), ("a haircut on friday", None),
    ("for 20 minutes", None),
])
def test_the_party_is_counted(said: str, party: int | None) -> None:
    assert party_in(said) == party


@pytest.fixture
async def with_class(salon: Catalog, session_factory: async_sessionmaker[AsyncSession]
                     ) -> Service:
    """The demo salon with a styling class for up to four at once (as the front desk's group
    test sets one up), done by whoever does women's cuts."""
    cut = next(s for s in salon.services if str(s.id) == CUT)
    group = replace(cut, id=uuid4(), name="Styling class", aliases=("class",), capacity=4,
                    max_participants=4, price=Decimal("30.00"),
                    slot_interval=timedelta(hours=1))
    async with session_factory() as session:
        repository = CatalogRepository(session)
        catalog = await repository.get(salon.business.id)
        await repository.save(replace(catalog, services=(*catalog.services, group)))
        await session.commit()
    return group


@pytest.mark.db
async def test_me_and_my_daughter_in_a_class_books_two_places(
    with_class: Service, engine: AsyncEngine
) -> None:
    found, said = await validate("the styling class for me and my daughter next tuesday at 10am",
                                 "book", sender=SMS)
    assert found["service"] == str(with_class.id) and "one appointment each" not in said
    assert found["party"] == {"count": 2, "with": "daughter"}
    slots: dict[str, Any] = {k: found[k] for k in ("service", "staff", "when", "when_start",
                                                   "when_end", "party")}
    offers = await offers_for(**slots)
    slots |= {"suggestions": offers, "slot_choice": offers[0], "customer_name": "Jo Lee",
              "phone": "+17185550654", "email": "skip"}
    dispatcher = CollectingDispatcher()
    await ActionAskBookingConfirmed().run(dispatcher, tracker("", slots=slots, sender=SMS),
                                          DOMAIN)
    assert "for Jo Lee and your daughter (2 places)" in dispatcher.messages[0]["text"]
    dispatcher = CollectingDispatcher()
    events = await ActionBook().run(dispatcher, tracker("yes", "affirm", {
        **slots, "booking_confirmed": True}, sender=SMS), DOMAIN)
    assert "You're booked" in dispatcher.messages[0]["text"], dispatcher.messages
    assert slots_of(events)["service"] is None
    async with engine.connect() as connection:
        row = (await connection.execute(text(
            "SELECT seats, participants FROM appointments"))).one()
    assert row.seats == 2
    assert [p["name"] for p in row.participants] == ["Jo Lee", "Jo Lee's daughter"]


@pytest.mark.db
async def test_a_one_to_one_service_for_two_is_said_to_be_one_appointment_each(
    with_class: Service,
) -> None:
    found, said = await validate("a women's cut for me and my daughter next tuesday", "book")
    assert found["service"] == CUT and said.startswith("That's one appointment each")
