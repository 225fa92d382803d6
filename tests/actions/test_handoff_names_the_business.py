"""Asking for a person names the business being served, not "the salon": after the owner
replaces the demo (a physio clinic, say), the handoff speaks for them, and offers a number to
call only when the business has one."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from uuid import uuid4

import pytest
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.info import ActionHandoff
from scheduling.catalog import Catalog, Contact
from scheduling.desk.setup.replace import ReplaceCatalog, replace_catalog
from scheduling.persistence.catalog_replace import CatalogReplaceUnitOfWork
from tests.actions.conftest import tracker

pytestmark = [pytest.mark.db]


async def _handoff(sender: str) -> tuple[str, object]:
    dispatcher = CollectingDispatcher()
    await ActionHandoff().run(dispatcher, tracker("a person please", "human_handoff",
                                                  sender=sender), {})
    message = dispatcher.messages[0]
    return message["text"], message.get("custom")


async def test_the_handoff_names_the_served_business(
    salon: Catalog, session_factory: async_sessionmaker[AsyncSession]
) -> None:
    text, _ = await _handoff("web-handoff-demo")
    assert "someone from Shear Delight Salon" in text
    assert f"call us on {salon.business.contact.phone}." in text
    clinic = replace(salon, business=replace(salon.business, id=uuid4(), name="Harbour Physio",
                                             contact=Contact()))
    await replace_catalog(ReplaceCatalog(clinic, discard_bookings=True),
                          CatalogReplaceUnitOfWork(session_factory), datetime.now(UTC))
    web, _ = await _handoff("web-handoff-clinic")
    assert web == "I've asked someone from Harbour Physio to get back to you shortly."
    voice, custom = await _handoff("voice:+16175550100")
    assert voice == "I'll put you through to someone at Harbour Physio now."
    assert custom == {"handoff": True}
