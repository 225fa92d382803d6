"""A gateway on the test database with the demo salon, and a stand-in Rasa REST channel.

The stand-in records what the gateway forwards and answers from a script the test sets, so
channel tests check the gateway's protocol work; whole conversations with the real Rasa are in
the `slow` modules that start `python -m assistant run`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from assistant.gateway.app import create_app
from assistant.settings import Settings
from scheduling.demo import seed_demo_if_empty

API_KEY = "test-admin-key"
Replier = Callable[[dict[str, Any]], list[dict[str, Any]]]


@dataclass
class FakeRasa:
    received: list[dict[str, Any]] = field(default_factory=list)
    reply: Replier = lambda body: [{"recipient_id": body["sender"], "text": "echo " + body["message"]}]  # noqa: E731, E501
    delay: float = 0.0

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        if self.delay:
            await asyncio.sleep(self.delay)
        return web.json_response(self.reply(body))


@pytest.fixture
async def rasa() -> AsyncIterator[tuple[FakeRasa, TestServer]]:
    fake = FakeRasa()
    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", fake.webhook)
    server = TestServer(app)
    await server.start_server()
    yield fake, server
    await server.close()


@pytest.fixture
async def demo(session_factory: async_sessionmaker[AsyncSession], clean_tables: None
               ) -> AsyncIterator[None]:
    await seed_demo_if_empty(session_factory)
    yield


def gateway_settings(database_url: str, data_dir: Path, rasa_port: int, **extra: Any) -> Settings:
    return Settings(database_url=database_url, rasa_port=rasa_port, data_dir=data_dir,
                    admin_api_key=API_KEY, admin_email="owner@example.com",
                    admin_password="correct horse", **extra)


@pytest.fixture
async def gateway(database_url: str, tmp_path: Path, rasa: tuple[FakeRasa, TestServer],
                  demo: None) -> AsyncIterator[TestClient]:  # type: ignore[type-arg]
    settings = gateway_settings(database_url, tmp_path, rasa[1].port)
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    yield client
    await client.close()
