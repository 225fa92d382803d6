"""The waiting room's socket: the position pushed, admission pushed when it happens, and a
customer who closes the socket while waiting loses the place."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import WSServerHandshakeError
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant.gateway.resources import SETTINGS
from scheduling.demo import demo_catalog
from tests.waiting_room.crowd import verified
from tests.waiting_room.test_api import PLACES, Client, _book, _json, _slots

pytestmark = pytest.mark.db


async def test_the_socket_pushes_admission_and_closing_it_gives_the_place_up(
        room_gateway: Client, engine: AsyncEngine) -> None:
    settings = room_gateway.server.app[SETTINGS]
    (_, a), (_, b), (_, c) = await verified(engine, settings, demo_catalog().business.id, 3,
                                            first=200)
    service, day, starts = await _slots(room_gateway)
    enter = {"service_id": service, "day": day.isoformat()}
    places = [(await _json(room_gateway, "POST", PLACES, 201, token, f"192.0.2.{i}",
                           json=enter))["place"] for i, token in enumerate((a, b, c))]
    assert [p["state"] for p in places] == ["admitted", "waiting", "waiting"]

    with pytest.raises(WSServerHandshakeError) as refused:
        await room_gateway.ws_connect(f"/waiting-room/ws?place={places[1]['id']}&token={c}")
    assert refused.value.status == 404  # someone else's place
    socket = await room_gateway.ws_connect(f"/waiting-room/ws?place={places[1]['id']}&token={b}")
    first = await socket.receive_json(timeout=10)
    assert first["place"]["state"] == "waiting" and first["place"]["position"] == 1
    await _book(room_gateway, service, starts[0], 201, a, "a-ws")
    pushed = await socket.receive_json(timeout=15)  # nobody polled: the socket's own check
    assert pushed["place"]["state"] == "admitted"
    await socket.close()

    leaving = await room_gateway.ws_connect(f"/waiting-room/ws?place={places[2]['id']}&token={c}")
    assert (await leaving.receive_json(timeout=10))["place"]["position"] == 1
    await leaving.close()
    for _ in range(50):
        now = await _json(room_gateway, "GET", f"{PLACES}/{places[2]['id']}", 200, c, "192.0.2.9")
        if now["place"]["state"] != "waiting":
            break
        await asyncio.sleep(0.1)
    assert now["place"]["state"] == "left"
