"""`/waiting-room/ws?place=ID&token=TOKEN`: a place's position and estimated wait, pushed.

The widget and the queue page open it instead of polling: the gateway checks the place (an
admission round, and "still here") every second near the front and less often further back,
and sends `{"type": "place", "place": {...}}` whenever it changes. Closing the socket while
waiting gives the place up (leaving loses the place); once admitted, the hold governs, so the
page may close it and go on to choose. The token is a customer token (a browser cannot set
headers on a WebSocket); the access log hides query values.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from aiohttp import web

from assistant.gateway import ratelimit
from assistant.gateway import waiting_room as room
from assistant.gateway.api.params import uuid_of
from scheduling.waiting_room import PlaceState

routes = web.RouteTableDef()


def interval(place: dict[str, Any]) -> float:
    """Seconds until the next check: 1 near the front, up to 5 far back (patience is 60)."""
    return min(5.0, 1.0 + place["position"] / 50)


@routes.get("/waiting-room/ws")
async def socket(request: web.Request) -> web.WebSocketResponse:
    await ratelimit.check(request, "waiting-room", ratelimit.client_network(request))
    customer_id = room.verified_customer(request, request.query.get("token"))
    place_id = uuid_of(request.query.get("place"), "place")
    place = room.shown(await room.check(request.app, place_id, customer_id))
    ws = web.WebSocketResponse(heartbeat=20, max_msg_size=1024)
    await ws.prepare(request)
    await ws.send_json({"type": "place", "place": place})
    try:
        while place["state"] in (PlaceState.WAITING, PlaceState.ADMITTED):
            try:
                frame = await asyncio.wait_for(ws.receive(), interval(place))
            except TimeoutError:
                frame = None
            if frame is not None and frame.type in (aiohttp.WSMsgType.CLOSE,
                                                    aiohttp.WSMsgType.CLOSING,
                                                    aiohttp.WSMsgType.CLOSED,
                                                    aiohttp.WSMsgType.ERROR):
                break
            now = room.shown(await room.check(request.app, place_id, customer_id))
            if now != place:
                await ws.send_json({"type": "place", "place": now})
            place = now
    finally:
        if place["state"] == PlaceState.WAITING:
            await room.leave(request.app, place_id, customer_id)
        await ws.close()
    return ws
