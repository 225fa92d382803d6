"""Route descriptors: each API operation is declared once, and both the aiohttp route table and
the OpenAPI 3 document at `/openapi.json` are built from the same list, so the document cannot
drift from the routes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from assistant.gateway.api.schemas import COMPONENTS
from assistant.gateway.api.setup_schemas import SETUP_COMPONENTS

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
Schema = dict[str, Any]
ERRORS = {400: "Malformed request (for example invalid JSON).",
          404: "Not found.", 413: "Request body too large.",
          422: "Invalid parameters or body.", 429: "Rate limited; see Retry-After."}
AUTH_ERRORS = {401: "Missing or invalid credentials.", 403: "Not allowed."}


@dataclass(frozen=True, slots=True)
class Param:
    name: str
    where: str = "query"
    schema: Schema = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    description: str = ""

    def openapi(self) -> Schema:
        out = {"name": self.name, "in": self.where, "required": self.required or
               self.where == "path", "schema": self.schema}
        return out | ({"description": self.description} if self.description else {})


@dataclass(frozen=True, slots=True)
class Op:
    """One operation; `auth` is public, admin, customer (link token) or either."""

    method: str
    path: str
    handler: Handler
    summary: str
    response: str | None
    status: int = 200
    auth: str = "public"
    params: tuple[Param, ...] = ()
    body: str | None = None
    extra: dict[int, str] = field(default_factory=dict)
    replay: bool = False
    """A 201 that answers 200 with the same body when the Idempotency-Key was seen before."""

    def openapi(self) -> Schema:
        responses: dict[str, Any] = {str(self.status): _content(self.response, "Success.")}
        if self.replay:
            responses["200"] = _content(self.response, "Replayed: this key already booked it.")
        for status, text in {**self.extra, **ERRORS, **self._auth_errors()}.items():
            responses.setdefault(str(status), _error(text))
        out: Schema = {"summary": self.summary, "operationId": self.handler.__name__,
                       "parameters": [p.openapi() for p in self.params], "responses": responses}
        if self.body:
            out["requestBody"] = {"required": True, "content": {"application/json": {
                "schema": {"$ref": f"#/components/schemas/{self.body}"}}}}
        security = {"admin": [{"apiKey": []}, {"adminSession": []}],
                    "customer": [{"linkToken": []}],
                    "either": [{"apiKey": []}, {"adminSession": []}, {"linkToken": []}]}
        if self.auth in security:
            out["security"] = security[self.auth]
        return out

    def _auth_errors(self) -> dict[int, str]:
        return AUTH_ERRORS if self.auth != "public" else {}


def _content(schema: str | None, text: str) -> Schema:
    if schema is None:
        return {"description": text}
    return {"description": text, "content": {"application/json": {
        "schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _error(text: str) -> Schema:
    return _content("Error", text)


def document(ops: list[Op], server_url: str) -> Schema:
    paths: dict[str, dict[str, Any]] = {}
    for op in ops:
        paths.setdefault(op.path, {})[op.method.lower()] = op.openapi()
    return {
        "openapi": "3.0.3",
        "info": {"title": "Booking assistant API", "version": "1.0.0",
                 "description": "Services, availability, appointments, waitlist and analytics "
                                "of the business this gateway serves."},
        "servers": [{"url": server_url}],
        "paths": paths,
        "components": {"schemas": COMPONENTS | SETUP_COMPONENTS, "securitySchemes": {
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
            "adminSession": {"type": "apiKey", "in": "cookie", "name": "admin_session"},
            "linkToken": {"type": "http", "scheme": "bearer",
                          "description": "A signed link token or one from /auth/token."}}},
    }


def route_table(ops: list[Op]) -> list[web.RouteDef]:
    return [web.route(op.method, op.path, op.handler) for op in ops]
