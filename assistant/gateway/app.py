"""The gateway application factory; nothing is built at import time."""

from __future__ import annotations

import logging
from urllib.parse import parse_qsl, urlencode

from aiohttp import web
from aiohttp.web_log import AccessLogger
from aiohttp.web_request import BaseRequest
from aiohttp.web_response import StreamResponse

from assistant import heap, payments
from assistant.gateway import (
    channels,
    cors,
    forms,
    google_oauth,
    health,
    metrics,
    model_store,
    resources,
    security_headers,
    tracing,
)
from assistant.jobs import periodic_jobs
from assistant.notifications.runtime import notifications
from assistant.payments import fee_routes
from assistant.payments import routes as payment_routes
from assistant.settings import Settings


def create_app(settings: Settings) -> web.Application:
    app = web.Application(client_max_size=64 * 1024)
    app[resources.SETTINGS] = settings
    app.cleanup_ctx.extend([resources.database, resources.http_client])
    app.cleanup_ctx.append(notifications)
    app.cleanup_ctx.append(periodic_jobs)
    app.cleanup_ctx.append(payments.payments)
    app.add_routes(health.routes)
    app.add_routes(model_store.routes)
    app.add_routes(payment_routes.routes)
    app.add_routes(fee_routes.routes)
    app.middlewares.extend([metrics.observe_requests, tracing.request_ids, cors.chat_cors])
    app.on_response_prepare.extend([tracing.echo, security_headers.secure])
    channels.install(app)
    app.middlewares.append(forms.readable_forms)
    google_oauth.setup(app)
    return app


class AccessLog(AccessLogger):
    """The usual access log, less the health probes the supervisor sends every second, and
    with every query value but a few harmless ones hidden: link tokens, Twilio continuation
    tokens and OAuth codes travel in query strings. No Referer either: it repeats those URLs."""

    PROBES = frozenset({"/health", "/ready"})
    LOG_FORMAT = '%a %t "%r" %s %b "%{User-Agent}i"'
    SHOWN = frozenset({"count", "limit", "status", "staff_id", "service_id", "from", "until",
                       "start", "end", "next", "notice"})
    SECRET_PATHS = ("/admin/invite/", "/a/")
    """Paths whose last segment is a secret: an invitation's token, a short link's code."""

    def __init__(self, logger: logging.Logger, log_format: str = LOG_FORMAT) -> None:
        super().__init__(logger, self.LOG_FORMAT)
        # aiohttp compiles formats from its own class's methods: swap in ours for "%r"
        self._methods = [m._replace(method=self.request_line) if m.key == "first_request_line"
                         else m for m in self._methods]

    @staticmethod
    def request_line(request: BaseRequest, response: StreamResponse, time: float) -> str:
        query = urlencode([(k, v if k in AccessLog.SHOWN else "***")
                           for k, v in parse_qsl(request.query_string, keep_blank_values=True)],
                          safe="*")
        target = AccessLog.hidden_path(request.path) + (f"?{query}" if query else "")
        return f"{request.method} {target} HTTP/{request.version.major}.{request.version.minor}"

    @staticmethod
    def hidden_path(path: str) -> str:
        """The path with the secret segment after a SECRET_PATHS prefix shown as ***."""
        for prefix in AccessLog.SECRET_PATHS:
            if path.startswith(prefix) and len(path) > len(prefix):
                rest = path[len(prefix):].partition("/")
                return f"{prefix}***{rest[1]}{rest[2]}"
        return path

    def log(self, request: BaseRequest, response: StreamResponse, time: float) -> None:
        if request.path not in self.PROBES:
            super().log(request, response, time)


def serve(settings: Settings) -> None:
    app = create_app(settings)
    heap.freeze_startup()  # the loaded application stays out of every full collection
    web.run_app(
        app,
        host=settings.gateway_host,
        port=settings.gateway_port,
        print=None,
        handle_signals=True,
        access_log_class=AccessLog,
    )
