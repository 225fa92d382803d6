"""Rasa's model-server endpoint, served from the database's model store, so every Rasa replica
(MODEL_STORE_URL, pulled every MODEL_PULL_SECONDS) loads the model the last retrain published.

The protocol is Rasa 3.6's (`rasa.core.agent._pull_model_and_fingerprint`): a GET with the
current fingerprint as If-None-Match and RASA_TOKEN as `?token=`; 304 when unchanged, 404 when
nothing was published, else 200 with the tar.gz, its fingerprint as ETag and its file name in a
`filename` header. The token is the one Rasa's own API wants: whoever may load models into
Rasa may download them, nobody else (a model holds the training data).
"""

from __future__ import annotations

import hashlib
import hmac

from aiohttp import web

from assistant.gateway.resources import ENGINE, SETTINGS
from scheduling.persistence import model_store

routes = web.RouteTableDef()


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def _authorised(request: web.Request) -> bool:
    expected = request.app[SETTINGS].rasa_token.get_secret_value()
    given = request.query.get("token", "")
    return hmac.compare_digest(_digest(given), _digest(expected))


@routes.get("/model-store/rasa")
async def current_model(request: web.Request) -> web.StreamResponse:
    if not _authorised(request):
        raise web.HTTPUnauthorized(text="the Rasa token is required as ?token=")
    async with request.app[ENGINE].connect() as connection:
        served = await model_store.current(connection)
        if served is None:
            raise web.HTTPNotFound(text="no model published yet")
        digest, name = served
        if request.headers.get("If-None-Match", "").strip('"') == digest:
            return web.Response(status=304, headers={"ETag": digest})
        body = await model_store.body(connection, digest)
    if body is None:  # replaced between the two reads; Rasa asks again at its next pull
        raise web.HTTPNotFound(text="the model changed while being read; ask again")
    return web.Response(body=body, content_type="application/gzip",
                        headers={"ETag": digest, "filename": name,
                                 "Cache-Control": "no-store"})
