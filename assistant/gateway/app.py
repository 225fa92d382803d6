"""The gateway application factory; nothing is built at import time."""

from __future__ import annotations

from aiohttp import web
from aiohttp.web_log import AccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from assistant.gateway import channels, google_oauth, health, resources
from assistant.jobs import periodic_jobs
from assistant.notifications.runtime import notifications
from assistant.settings import Settings


def create_app(settings: Settings) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[resources.SETTINGS] = settings
    app.cleanup_ctx.extend([resources.database, resources.http_client])
    app.cleanup_ctx.append(notifications)
    app.cleanup_ctx.append(periodic_jobs)
    app.add_routes(health.routes)
    channels.install(app)
    google_oauth.setup(app)
    return app


class AccessLog(AccessLogger):
    """The usual access log, less the health probes the supervisor sends every second."""

    PROBES = frozenset({"/health", "/ready"})

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        if request.path not in self.PROBES:
            super().log(request, response, time)


def serve(settings: Settings) -> None:
    web.run_app(
        create_app(settings),
        host=settings.host,
        port=settings.gateway_port,
        print=None,
        handle_signals=True,
        access_log_class=AccessLog,
    )
