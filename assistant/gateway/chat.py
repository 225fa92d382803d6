"""The website chat: the demo page, `POST /chat` (the HTTP fallback) and `/chat/ws` (the
widget's WebSocket), all forwarding to Rasa's REST channel with the widget's session id.

`POST /chat` keeps its original contract: `{"sender", "message"}` in, `{"replies": [...]}`
out. Over the WebSocket the widget sends `{"message"}` and receives `{"type": "typing"}` then
`{"type": "replies", "replies": [...]}` (or `{"type": "error", "error": {...}}`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from assistant.gateway import limits
from assistant.gateway.api import context
from assistant.gateway.conversation import Reply, forward
from assistant.gateway.errors import ApiError, json_error
from assistant.gateway.pages import render
from scheduling import formats
from scheduling.errors import NotFound

MAX_MESSAGE_CHARS = 1000
SENDER = re.compile(r"^(?!(?:sms|voice):)[A-Za-z0-9_.:+-]{1,64}$")
"""A web sender id may never pose as a texting or calling number: the actions take `sms:+1…`
and `voice:+1…` as a number the carrier proved (only the Twilio webhooks make such ids)."""
STATIC = Path(__file__).with_name("static")
routes = web.RouteTableDef()


@routes.get("/")
async def page(request: web.Request) -> web.Response:
    """The demo page of the seeded business, with the widget embedded by one script tag."""
    try:
        catalog = await context.catalog(request)
    except NotFound:
        catalog = None
    prices = {s.id: formats.money(s.price, catalog.business.policies.currency)
              for s in catalog.services} if catalog else {}
    return render(request, "demo.html", catalog=catalog, prices=prices)


def _checked(sender: object, message: object) -> tuple[str, str]:
    if not isinstance(sender, str) or not SENDER.match(sender):
        raise ApiError(422, "invalid_sender",
                       "sender must be 1-64 letters, digits or _.:+-, not starting sms: or voice:")
    if not isinstance(message, str) or not message.strip():
        raise ApiError(422, "empty_message", "message must be non-empty text")
    if len(message) > MAX_MESSAGE_CHARS:
        raise ApiError(413, "message_too_long",
                       f"messages are limited to {MAX_MESSAGE_CHARS} characters")
    return sender, message


async def _turn(request: web.Request, sender: str, message: str, meta: bool) -> list[Reply]:
    await limits.chat_turn(request, sender)
    await limits.new_conversation(request, sender)
    try:
        return await forward(request.app, sender, message,
                             {"channel": "web"} if meta else None, "web")
    except (aiohttp.ClientError, TimeoutError):
        raise ApiError(503, "assistant_unavailable",
                       "the assistant is not answering; try again shortly") from None


@routes.post("/chat")
async def chat(request: web.Request) -> web.Response:
    """Validate, forward to Rasa, return its replies: `{"replies": [{"text": ...}, ...]}`."""
    try:
        body: Any = await request.json()
    except ValueError:
        return json_error(400, "invalid_json", "the body must be a JSON object")
    sender, message = (
        (body.get("sender"), body.get("message")) if isinstance(body, dict) else (None, None)
    )
    sender, message = _checked(sender, message)
    return web.json_response({"replies": await _turn(request, sender, message, meta=False)})


@routes.get("/chat/ws")
async def socket(request: web.Request) -> web.WebSocketResponse:
    sender = request.query.get("sender")
    _checked(sender, "-")
    await limits.new_conversation(request, str(sender))
    ws = web.WebSocketResponse(heartbeat=20, max_msg_size=8 * 1024)
    await ws.prepare(request)
    async for frame in ws:
        if frame.type is not aiohttp.WSMsgType.TEXT:
            continue
        await ws.send_json({"type": "typing"})
        await ws.send_json(await _ws_turn(request, str(sender), frame.data))
    return ws


async def _ws_turn(request: web.Request, sender: str, data: str) -> dict[str, Any]:
    try:
        found = json.loads(data)
        message = found.get("message") if isinstance(found, dict) else None
        _, text = _checked(sender, message)
        return {"type": "replies", "replies": await _turn(request, sender, text, meta=True)}
    except ValueError:
        return {"type": "error", "error": {"code": "invalid_json", "message": "send JSON"}}
    except ApiError as error:
        return {"type": "error", "error": {"code": error.code, "message": str(error)}}


def setup(app: web.Application) -> None:
    app.add_routes(routes)
    app.router.add_static("/static/", STATIC, name="static")
