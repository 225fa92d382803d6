"""Action fixtures: the demo salon in the test database, and the actions pointed at it.

Actions are run as the action server runs them: a `Tracker` built from a dict (the JSON Rasa
sends), a `CollectingDispatcher`; tests assert the returned events and the messages.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from rasa_sdk import Tracker
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from actions.runtime import runtime
from scheduling.catalog import Catalog
from scheduling.demo import demo_catalog, seed_demo_if_empty


@pytest.fixture
async def salon(
    database_url: str, session_factory: async_sessionmaker[AsyncSession], clean_tables: None
) -> AsyncIterator[Catalog]:
    await seed_demo_if_empty(session_factory)
    runtime.configure(database_url)
    yield demo_catalog()
    await runtime.dispose()


def tracker(
    text: str = "", intent: str = "inform", slots: dict[str, Any] | None = None,
    requested: str | None = None, sender: str = "web-test", loop: str | None = None,
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message is `text` classified as `intent`."""
    values = dict(slots or {})
    values["requested_slot"] = requested
    return Tracker.from_dict({
        "sender_id": sender,
        "slots": values,
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 1.0},
                           "entities": [], "metadata": metadata or {}},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {"name": loop} if loop else {},
        "latest_action_name": "action_listen",
    })


def slots_of(events: list[dict[str, Any]]) -> dict[str, Any]:
    """The slot values the events set, last one winning."""
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
