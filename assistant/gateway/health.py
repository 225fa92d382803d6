"""Health and readiness: the state of every component, checked concurrently."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable
from typing import Any

import aiohttp
from aiohttp import web

from assistant.gateway.resources import ENGINE, HTTP, SETTINGS
from scheduling.persistence.database import server_version

routes = web.RouteTableDef()


async def _timed(check: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"status": "ok", **await asyncio.wait_for(check, timeout=3)}
    except Exception as error:  # any failure is a state to report; health itself never fails
        result = {"status": "down", "error": f"{type(error).__name__}: {error}"}
    result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


async def _database(app: web.Application) -> dict[str, Any]:
    return {"server_version": await server_version(app[ENGINE])}


async def _json_get(app: web.Application, url: str, **query: str) -> dict[str, Any]:
    """GET `url` with `query` (a token: never in an error message, which /health shows)."""
    try:
        async with app[HTTP].get(url, params=query) as response:
            if response.status != 200:
                raise RuntimeError(f"{url} answered {response.status}")
            body: dict[str, Any] = await response.json(content_type=None)
            return body
    except aiohttp.ClientResponseError as error:  # its message holds the URL with the query
        raise RuntimeError(f"{url} answered {error.status}: {error.message}") from None


async def _rasa(app: web.Application) -> dict[str, Any]:
    settings = app[SETTINGS]
    status = await _json_get(app, f"{settings.rasa_url}/status",
                             token=settings.rasa_token.get_secret_value())  # Rasa's API auth
    if not status.get("model_file"):
        raise RuntimeError("Rasa is up but has no model loaded")
    return {"model": status["model_file"]}


async def _action_server(app: web.Application) -> dict[str, Any]:
    base = app[SETTINGS].action_server_url.removesuffix("/webhook")
    await _json_get(app, f"{base}/health")
    return {}


async def component_states(app: web.Application) -> dict[str, dict[str, Any]]:
    names = ("database", "rasa", "action_server")
    checks = (_database(app), _rasa(app), _action_server(app))
    results = await asyncio.gather(*(_timed(check) for check in checks))
    return dict(zip(names, results, strict=True))


@routes.get("/health")
async def health(request: web.Request) -> web.Response:
    """Liveness with details: 200 while the gateway runs, each component's state inside."""
    components = await component_states(request.app)
    overall = "ok" if all(c["status"] == "ok" for c in components.values()) else "degraded"
    return web.json_response({"status": overall, "components": components})


@routes.get("/ready")
async def ready(request: web.Request) -> web.Response:
    """Readiness: 503 until every component answers."""
    components = await component_states(request.app)
    ok = all(c["status"] == "ok" for c in components.values())
    return web.json_response({"ready": ok, "components": components}, status=200 if ok else 503)
