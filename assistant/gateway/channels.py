"""Everything the channels issue adds to the gateway, installed by one call from `create_app`:
the error middleware, metrics, rate limits, the REST API, the widget, Twilio and the admin."""

from __future__ import annotations

from aiohttp import web

from assistant.gateway import (
    api,
    appointment_pages,
    booking_page,
    chat,
    conversation,
    errors,
    metrics,
    pages,
    ratelimit,
    short_links,
    twilio_sms,
    twilio_voice,
    waiting_room_socket,
)
from assistant.gateway.admin import dashboard, queue_views


def install(app: web.Application) -> None:
    app.middlewares.append(errors.errors)
    app[ratelimit.LIMITS] = ratelimit.default_limits()
    app[metrics.METRICS] = metrics.Metrics()
    conversation.setup(app)
    app.add_routes(metrics.routes)
    pages.setup(app)
    appointment_pages.setup(app)
    booking_page.setup(app)
    chat.setup(app)
    api.setup(app)
    dashboard.setup(app)
    app.add_routes(short_links.routes)
    app.add_routes(twilio_sms.routes)
    app.add_routes(twilio_voice.routes)
    app.add_routes(waiting_room_socket.routes)
    app.add_routes(queue_views.routes)
