"""Google Calendar at the gateway: connect a staff member (OAuth web flow) and receive Google's
push notifications. `setup(app)` adds the routes and, when Google is configured, builds the
calendar services at start-up and runs their background work (event delivery, channel renewal).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import logging
from collections.abc import AsyncIterator
from uuid import UUID

from aiohttp import web

from assistant.gateway import replays
from assistant.gateway.admin.guard import owner_page
from assistant.gateway.admin.session import AdminSession
from assistant.gateway.resources import CALENDAR, ENGINE, SETTINGS
from assistant.settings import Settings
from calendar_sync.config import GoogleConfig
from calendar_sync.errors import CalendarError, UnknownChannel
from calendar_sync.oauth import authorization_url, connect, finish_web
from calendar_sync.service import CalendarServices, run_forever
from calendar_sync.store import build_on
from scheduling.persistence.database import make_session_factory

log = logging.getLogger(__name__)
routes = web.RouteTableDef()
PUSHES = replays.Source("google-push", "text/plain")
"""Notifications by channel id and X-Goog-Message-Number: a repeat is not synced again."""


def google_config(settings: Settings) -> GoogleConfig | None:
    if not (settings.google_client_id and settings.google_client_secret):
        return None
    return GoogleConfig(settings.google_client_id,
                        settings.google_client_secret.get_secret_value(),
                        api_url=settings.google_api_url, oauth_url=settings.google_oauth_url)


def token_key(settings: Settings) -> str:
    """GOOGLE_TOKEN_KEY, else SECRET_KEY's "google-token" subkey (as a Fernet key)."""
    if settings.google_token_key is not None:
        return settings.google_token_key.get_secret_value()
    return base64.urlsafe_b64encode(settings.subkey("google-token")).decode()


async def calendar_services(app: web.Application) -> AsyncIterator[None]:
    """Build the calendar services on the gateway's engine and run their background loop."""
    settings = app[SETTINGS]
    config = google_config(settings)
    if config is None:
        yield
        return
    factory = make_session_factory(app[ENGINE])
    app[CALENDAR] = build_on(factory, config, token_key(settings), settings.gateway_url)
    task = asyncio.create_task(run_forever(app[CALENDAR]))
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


def setup(app: web.Application) -> None:
    app.cleanup_ctx.append(calendar_services)
    app.add_routes(routes)


def _services(request: web.Request) -> CalendarServices:
    services = request.app.get(CALENDAR)
    if services is None:
        raise web.HTTPServiceUnavailable(text="Google Calendar is not configured")
    return services


@routes.get("/oauth/google/start")
@owner_page
async def start(request: web.Request, admin: AdminSession) -> web.Response:
    """Send the owner to Google's consent page for the staff member `staff_id` (admins only:
    whoever starts the flow chooses which Google account blocks that person's time)."""
    services = _services(request)
    try:
        staff_id = UUID(request.query["staff_id"])
    except (KeyError, ValueError):
        raise web.HTTPBadRequest(text="staff_id (a UUID) is required") from None
    raise web.HTTPFound(authorization_url(services.config, services.cipher,
                                          services.redirect_uri, staff_id))


@routes.get("/oauth/google/callback")
async def callback(request: web.Request) -> web.Response:
    services = _services(request)
    if "error" in request.query or "code" not in request.query:
        reason = request.query.get("error", "no code")
        return web.Response(status=400, text=f"Google did not connect the calendar: {reason}")
    try:
        consent = await asyncio.to_thread(
            finish_web, services.config, services.cipher, services.redirect_uri,
            request.query["code"], request.query.get("state", ""))
        now = services.clock()
        connection = await connect(services.store, consent.staff_id, consent.credentials, now)
        await services.channels.watch(connection, now)
        await services.sync.sync(connection, now)
    except CalendarError as error:
        return web.Response(status=400, text=f"the calendar could not be connected: {error}")
    return web.Response(text=f"Calendar {connection.account_email} connected.")


@routes.post("/webhooks/google/calendar")
async def google_push(request: web.Request) -> web.Response:
    """A change notification: verified by channel id and token, then synced before answering
    (Google retries a notification that fails with 5xx)."""
    services = _services(request)
    channel = request.headers.get("X-Goog-Channel-ID")
    state = request.headers.get("X-Goog-Resource-State")
    if not channel or not state:
        raise web.HTTPBadRequest(text="not a Google push notification")
    token = request.headers.get("X-Goog-Channel-Token", "")
    try:
        await services.channels.verify(channel, token)
    except UnknownChannel:
        raise web.HTTPForbidden(text="unknown channel") from None
    number = request.headers.get("X-Goog-Message-Number", "")
    return await replays.once(request, PUSHES, f"{channel}:{number}" if number else "",
                              lambda: _synced(services, channel, token, state), _repeated)


async def _synced(services: CalendarServices, channel: str, token: str, state: str
                  ) -> web.Response:
    try:
        outcome = await services.sync.on_push(channel, token, state, services.clock())
    except UnknownChannel:  # stopped since it was verified
        raise web.HTTPForbidden(text="unknown channel") from None
    log.info("Google push on channel %s (%s): %s", channel, state, outcome)
    return web.Response(text=outcome)


async def _repeated() -> web.Response:
    return web.Response(text="already received")
