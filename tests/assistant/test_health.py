"""Health and readiness report each component: database, Rasa, action server."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from assistant.gateway.app import create_app
from assistant.settings import Settings

pytestmark = pytest.mark.db


def fake_rasa(model: str | None) -> web.Application:
    app = web.Application()

    async def status(request: web.Request) -> web.Response:
        return web.json_response({"model_file": model, "num_active_training_jobs": 0})

    app.router.add_get("/status", status)
    return app


def fake_action_server() -> web.Application:
    app = web.Application()

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app.router.add_get("/health", health)
    return app


async def gateway(settings: Settings) -> TestClient:  # type: ignore[type-arg]
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    return client


@pytest.fixture
async def peers() -> AsyncIterator[tuple[TestServer, TestServer]]:
    rasa, actions = TestServer(fake_rasa("model-abc.tar.gz")), TestServer(fake_action_server())
    await rasa.start_server()
    await actions.start_server()
    yield rasa, actions
    await rasa.close()
    await actions.close()


async def test_all_components_up(database_url: str, peers: tuple[TestServer, TestServer]) -> None:
    rasa, actions = peers
    settings = Settings(
        database_url=database_url, rasa_port=rasa.port, action_server_port=actions.port
    )
    client = await gateway(settings)
    try:
        response = await client.get("/health")
        body = await response.json()
        assert response.status == 200
        assert body["status"] == "ok"
        assert body["components"]["rasa"]["model"] == "model-abc.tar.gz"
        assert body["components"]["database"]["server_version"]
        assert (await client.get("/ready")).status == 200
    finally:
        await client.close()


async def test_a_down_component_is_named_and_blocks_readiness(
    database_url: str, peers: tuple[TestServer, TestServer]
) -> None:
    rasa, actions = peers
    port = actions.port
    await actions.close()
    settings = Settings(database_url=database_url, rasa_port=rasa.port, action_server_port=port)
    client = await gateway(settings)
    try:
        health = await (await client.get("/health")).json()
        assert health["status"] == "degraded"
        assert health["components"]["action_server"]["status"] == "down"
        assert health["components"]["rasa"]["status"] == "ok"
        assert (await client.get("/ready")).status == 503
    finally:
        await client.close()


async def test_rasa_without_a_model_is_not_ready(database_url: str) -> None:
    rasa = TestServer(fake_rasa(None))
    await rasa.start_server()
    client = await gateway(Settings(database_url=database_url, rasa_port=rasa.port))
    try:
        health = await (await client.get("/health")).json()
        assert health["components"]["rasa"] == {
            "status": "down",
            "error": "RuntimeError: Rasa is up but has no model loaded",
            "latency_ms": health["components"]["rasa"]["latency_ms"],
        }
    finally:
        await client.close()
        await rasa.close()
