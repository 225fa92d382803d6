"""The action server's `/metrics`: each custom action's latency and outcome, and the process's
metrics, from prometheus_client's registry. Rasa calls the action server for every action of a
turn, so this is where a slow turn's time goes when it is not in Rasa itself.

The route is attached through rasa-sdk's own plugin hook (`attach_sanic_app_extensions`);
the port is the action server's, which stays on a private address, and METRICS_TOKEN is asked
for here as on the gateway when it is set.
"""

from __future__ import annotations

import pluggy
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from pydantic import SecretStr
from rasa_sdk.plugin import plugin_manager
from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, raw, text

from assistant.gateway.metrics import bearer_allowed

hookimpl = pluggy.HookimplMarker("rasa_sdk")


class MetricsRoute:
    """A rasa-sdk plugin adding `GET /metrics` to the action server's Sanic app."""

    def __init__(self, token: SecretStr | None) -> None:
        self.token = token

    @hookimpl
    def attach_sanic_app_extensions(self, app: Sanic) -> None:
        async def metrics(request: Request) -> HTTPResponse:
            if not bearer_allowed(request.headers.get("Authorization", ""), self.token):
                return text("a metrics token is required", status=401,
                            headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
            return raw(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)

        app.add_route(metrics, "/metrics", methods=["GET"], name="metrics")


def install(token: SecretStr | None) -> None:
    """Register the route for the server `rasa_sdk.endpoint.run` builds next (once: a second
    registration would add a second `/metrics` route, which Sanic refuses)."""
    manager = plugin_manager()
    for plugin in [p for p in manager.get_plugins() if isinstance(p, MetricsRoute)]:
        manager.unregister(plugin)
    manager.register(MetricsRoute(token))
