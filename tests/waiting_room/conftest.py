"""The waiting room's gateway tests: the gateway of tests/gateway (the demo salon on the test
database, a stand-in Rasa), with rules small enough to fill with a few customers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from assistant.gateway.app import create_app
from assistant.gateway.waiting_room import RULES
from scheduling.waiting_room import RoomRules
from tests.gateway.conftest import FakeRasa, demo, gateway, gateway_settings, rasa  # noqa: F401

ONE_AT_A_TIME = RoomRules(threshold=1, admit_at_once=1)


@pytest.fixture
async def room_gateway(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],  # noqa: F811
                       demo: None) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]  # noqa: F811
    """A gateway whose rooms let one customer choose at a time, behind a proxy (clients are
    told apart by the address it appends to X-Forwarded-For)."""
    app = create_app(gateway_settings(database_url, tmp_path, rasa[1].port, trust_proxy=True))
    app[RULES] = ONE_AT_A_TIME
    client = TestClient(TestServer(app))
    await client.start_server()
    yield client
    await client.close()
