"""The bot answers in the business's own words where it wrote some: what to bring, and after
the address how to find the place and where to park; without them, the answers as before."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.info import PREPARE, ActionAnswerQuestion, answer
from actions.runtime import runtime
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog
from scheduling.desk.setup.values import MessageParts
from scheduling.persistence.setup_repository import SetupRepository
from tests import branches
from tests.actions.test_locations import said_by

CATALOG = demo_catalog()
PARTS = MessageParts(what_to_bring="  Your loyalty card\nand a smile. ",
                     address_notes="Ring the bell marked Shear.",
                     parking_notes="Free parking behind the bakery.")


def test_what_to_bring_is_the_business_words() -> None:
    assert answer("ask_prepare", CATALOG, None, parts=PARTS) == "Your loyalty card and a smile."


def test_the_address_is_followed_by_the_notes() -> None:
    assert answer("ask_address", CATALOG, None, parts=PARTS) == (
        "We're at 120 Main Street, Brooklyn, NY 11201. Ring the bell marked Shear. "
        "Free parking behind the bakery.")


def test_without_parts_the_answers_are_as_before() -> None:
    blank = MessageParts(what_to_bring=" ", parking_notes="\n")
    assert answer("ask_prepare", CATALOG, None, parts=blank) == PREPARE
    assert answer("ask_address", CATALOG, None, parts=blank) == answer("ask_address", CATALOG,
                                                                      None)
    assert answer("ask_hours", CATALOG, None, parts=PARTS) == answer("ask_hours", CATALOG, None)


@pytest.fixture
async def noted(
    database_url: str, session_factory: async_sessionmaker[AsyncSession], clean_tables: None
) -> AsyncIterator[Catalog]:
    catalog = await branches.seed(session_factory)
    async with session_factory() as session, session.begin():
        await SetupRepository(session).set_message_parts(catalog.business.id, PARTS)
    runtime.configure(database_url)
    yield catalog
    await runtime.dispose()


@pytest.mark.db
async def test_the_action_reads_the_saved_parts(noted: Catalog) -> None:
    _, said = await said_by(ActionAnswerQuestion(), "where is your harbour branch?",
                            "ask_address")
    assert said == ("Harbour is at 8 Pier Road, Chicago, IL 60611. Ring the bell marked Shear. "
                    "Free parking behind the bakery.")
    _, said = await said_by(ActionAnswerQuestion(), "what should I bring?", "ask_prepare")
    assert said == "Your loyalty card and a smile."
