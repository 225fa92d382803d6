"""Mounts the admin dashboard on the gateway: its pages, session and refusal middlewares, and
the accounts with their sessions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

from aiohttp import web

from assistant.gateway.admin import (
    analytics_views,
    appointment_views,
    booking_views,
    calendar_views,
    catalog_settings,
    catalog_views,
    customer_views,
    error_pages,
    insight,
    payment_list_views,
    payment_views,
    release_views,
    series_cancel_views,
    session,
    setup_views,
    staff_views,
    views,
)
from assistant.gateway.admin.users import AdminUsers, ensure_admin
from assistant.gateway.resources import ENGINE, SETTINGS
from scheduling.persistence.admin_sessions import SessionStore
from scheduling.persistence.database import make_session_factory


def setup(app: web.Application) -> None:
    app[insight.TRAINING] = {"running": False, "lines": [], "result": None}
    app[setup_views.FINISHING] = asyncio.Lock()
    app.cleanup_ctx.append(admin_users)
    app.middlewares.append(session.middleware)
    app.middlewares.append(error_pages.middleware)  # a refusal as a page a phone can read
    app.add_routes(views.routes)
    app.add_routes(insight.routes)
    app.add_routes(analytics_views.routes)
    app.add_routes(setup_views.routes)
    app.add_routes(catalog_views.routes)
    app.add_routes(catalog_settings.routes)
    app.add_routes(release_views.routes)
    for front_desk in (calendar_views, appointment_views, booking_views, customer_views,
                       payment_views, payment_list_views, series_cancel_views, staff_views):
        app.add_routes(front_desk.routes)


async def admin_users(app: web.Application) -> AsyncIterator[None]:
    """cleanup_ctx, after `resources.database`: the accounts, with the configured admin, and
    their sessions."""
    factory = make_session_factory(app[ENGINE])
    users = AdminUsers(factory)
    await ensure_admin(app[SETTINGS], users)
    app[views.USERS] = users
    app[session.STORE] = SessionStore(factory)
    yield
