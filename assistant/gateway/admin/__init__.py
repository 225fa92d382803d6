"""The admin dashboard: server-rendered pages behind a login, with CSRF-checked forms."""

from __future__ import annotations

from aiohttp import web

from assistant.gateway.admin import insight, views
from assistant.gateway.admin.users import ensure_admin
from assistant.gateway.resources import SETTINGS


def setup(app: web.Application) -> None:
    app[insight.TRAINING] = {"running": False, "lines": [], "result": None}
    app[views.USERS] = ensure_admin(app[SETTINGS])
    app.add_routes(views.routes)
    app.add_routes(insight.routes)
