"""What the admin setup routes share: the caller checked as admin, the body with its `notify`
flag, and the answer to a change (the item, the appointments it strands, those notified)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from assistant.gateway.api import context, serialize
from assistant.gateway.api.auth import require_admin
from assistant.gateway.api.params import body, invalid
from scheduling.desk.setup.rebook import notify
from scheduling.desk.setup.values import Changed


async def admin_body(request: web.Request, optional: bool = False) -> dict[str, Any]:
    """The JSON object sent, after the admin check (an empty body is `{}` when `optional`)."""
    require_admin(request)
    if optional and not request.can_read_body:
        return {}
    return await body(request)


def notify_flag(data: dict[str, Any]) -> bool:
    """Taken out of `data`: whether to cancel (and offer new times for) what is stranded."""
    flag = data.pop("notify", False)
    if not isinstance(flag, bool):
        raise invalid("notify", "must be true or false")
    return flag


async def changed(request: web.Request, done: Changed, item: dict[str, Any], rebook: bool,
                  status: int = 200) -> web.Response:
    notified = await notify(done.stranded, context.uow(request), context.now()) if rebook else []
    return web.json_response({
        "item": item, "stranded": [serialize.appointment(a) for a in done.stranded],
        "notified": [str(appointment_id) for appointment_id in notified],
    }, status=status)
