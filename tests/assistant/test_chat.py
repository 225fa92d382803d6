"""The chat endpoint forwards to Rasa's REST channel and refuses bad input clearly."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from assistant.embedded_db import free_port
from assistant.gateway.app import create_app
from assistant.settings import Settings

pytestmark = pytest.mark.db


@pytest.fixture
async def rasa() -> AsyncIterator[tuple[TestServer, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    async def webhook(request: web.Request) -> web.Response:
        body = await request.json()
        received.append(body)
        return web.json_response(
            [{"recipient_id": body["sender"], "text": f"echo {body['message']}"}]
        )

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    server = TestServer(app)
    await server.start_server()
    yield server, received
    await server.close()


async def client_for(settings: Settings) -> TestClient:  # type: ignore[type-arg]
    client = TestClient(TestServer(create_app(settings)))
    await client.start_server()
    return client


async def test_message_is_forwarded_with_its_sender(database_url: str, rasa) -> None:  # type: ignore[no-untyped-def]
    server, received = rasa
    client = await client_for(Settings(database_url=database_url, rasa_port=server.port))
    try:
        response = await client.post("/chat", json={"sender": "web-1", "message": "hi there"})
        assert response.status == 200
        assert await response.json() == {
            "replies": [{"recipient_id": "web-1", "text": "echo hi there"}]
        }
        assert received == [{"sender": "web-1", "message": "hi there"}]
        page = await client.get("/")
        assert page.status == 200 and "Book an appointment" in await page.text()
    finally:
        await client.close()


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"sender": "web-1", "message": "x" * 1001}, 413, "message_too_long"),
        ({"sender": "web-1", "message": "   "}, 422, "empty_message"),
        ({"sender": "web 1; drop", "message": "hi"}, 422, "invalid_sender"),
        ({"message": "hi"}, 422, "invalid_sender"),
        (["not", "an", "object"], 422, "invalid_sender"),
    ],
)
async def test_bad_input_is_refused_and_not_forwarded(
    database_url: str,
    rasa,
    body: object,
    status: int,
    code: str,  # type: ignore[no-untyped-def]
) -> None:
    server, received = rasa
    client = await client_for(Settings(database_url=database_url, rasa_port=server.port))
    try:
        response = await client.post("/chat", json=body)
        assert response.status == status
        assert (await response.json())["error"]["code"] == code
        assert received == []
    finally:
        await client.close()


async def test_malformed_json_and_oversized_bodies(database_url: str, rasa) -> None:  # type: ignore[no-untyped-def]
    server, received = rasa
    client = await client_for(Settings(database_url=database_url, rasa_port=server.port))
    try:
        bad = await client.post(
            "/chat", data="{not json", headers={"Content-Type": "application/json"}
        )
        assert bad.status == 400
        huge = await client.post("/chat", data=b"x" * 200_000)
        assert huge.status == 413
        assert received == []
    finally:
        await client.close()


async def test_rasa_down_gives_503_not_a_crash(database_url: str) -> None:
    client = await client_for(Settings(database_url=database_url, rasa_port=free_port()))
    try:
        response = await client.post("/chat", json={"sender": "web-1", "message": "hello"})
        assert response.status == 503
        assert (await response.json())["error"]["code"] == "assistant_unavailable"
    finally:
        await client.close()
