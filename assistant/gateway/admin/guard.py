"""Admin pages share one guard: a valid session or a redirect to the login page; every POST
must carry the session's CSRF token."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any

from aiohttp import web

from assistant.gateway.admin import roles, session
from assistant.gateway.pages import render

Page = Callable[[web.Request, session.AdminSession], Awaitable[web.StreamResponse]]


def admin_page(handler: Page) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    @wraps(handler)
    async def guarded(request: web.Request) -> web.StreamResponse:
        found = session.current(request)
        if found is None:
            raise web.HTTPSeeOther(f"/admin/login?next={request.path}")
        if request.method == "POST":
            form = await request.post()
            if not session.csrf_ok(request, found, form.get("csrf")):
                raise web.HTTPForbidden(text="missing or wrong CSRF token; reload the page")
        return await handler(request, found)
    return guarded


def owner_page(handler: Page) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """`admin_page` for the owner's pages alone: a staff account gets 403."""
    @wraps(handler)
    async def owner_only(request: web.Request, admin: session.AdminSession
                         ) -> web.StreamResponse:
        roles.require_owner(admin)
        return await handler(request, admin)
    return admin_page(owner_only)


def page(request: web.Request, admin: session.AdminSession, name: str, **context: Any
         ) -> web.Response:
    return render(request, f"admin/{name}", admin=admin, csrf=session.csrf_token(request, admin),
                  active=name.removesuffix(".html"), sees_all=roles.sees_all(admin),
                  **context)
