"""The one place that turns errors into JSON responses: `{"error": {"code", "message", ...}}`.

Domain errors are mapped by class, most specific first (Starlette's handler lookup walks the
MRO the same way), so a subclass such as `InvalidLink` keeps its parent's status but its own
code. Gateway-level refusals (no credentials, too many requests) are `ApiError`s. Only paths
under `/api/` get JSON for aiohttp's own HTTP errors; pages keep aiohttp's plain answers.

The parsers (`api.params`) bound every date they accept, so arithmetic on one cannot leave
`datetime`'s range; an OverflowError that still gets through is the input's fault and a 422,
logged with its traceback so the parser missing the bound gets fixed. Anything else unexpected
is a bug: logged with its traceback and answered 500 with the request id, and no details.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, is_dataclass
from typing import Any

from aiohttp import web

from assistant.gateway.tracing import request_id
from scheduling.errors import (
    DomainError,
    InvalidRequest,
    NotFound,
    NotYetReleased,
    PolicyViolation,
    SlotUnavailable,
)

log = logging.getLogger(__name__)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
STATUS: dict[type[DomainError], int] = {
    NotFound: 404, InvalidRequest: 422, PolicyViolation: 403, SlotUnavailable: 409,
}


class ApiError(Exception):
    """A refusal made by the gateway itself (authentication, rate limits, bad parameters)."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        self.status, self.code, self.details = status, code, details
        super().__init__(message)


def error_body(code: str, message: str, **details: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **details}}


def json_error(status: int, code: str, message: str, **details: Any) -> web.Response:
    return web.json_response(error_body(code, message, **details), status=status)


def status_of(error: DomainError) -> int:
    for cls in type(error).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _plain(value: Any) -> Any:
    """Alternatives are frozen dataclasses (slots); JSON wants dicts and strings."""
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def domain_details(error: DomainError) -> dict[str, Any]:
    if isinstance(error, NotYetReleased):
        return {"opens_at": error.opens_at.isoformat(), "alternatives": _plain(error.alternatives)}
    if isinstance(error, SlotUnavailable):
        return {"alternatives": _plain(error.alternatives)}
    if isinstance(error, PolicyViolation):
        return {"policy": error.policy, "details": _plain(error.details)}
    if isinstance(error, InvalidRequest) and error.field:
        return {"field": error.field}
    if isinstance(error, NotFound):
        return {"kind": error.kind}
    return {}


def domain_response(error: DomainError) -> web.Response:
    return json_error(status_of(error), error.code, str(error), **domain_details(error))


HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "request_too_large", 415: "unsupported_media_type"}


@web.middleware
async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as error:
        return json_error(error.status, error.code, str(error), **error.details)
    except DomainError as error:
        return domain_response(error)
    except web.HTTPException as error:
        if not request.path.startswith("/api/") or error.status < 400:
            raise
        code = HTTP_CODES.get(error.status, "http_error")
        return json_error(error.status, code, error.reason, **_allow(error))
    except OverflowError:
        log.warning("a value out of range reached %s %s", request.method, request.path,
                    exc_info=True)
        return _answer(request, 422, "out_of_range", "a date or number is out of range")
    except Exception:
        log.exception("unexpected error on %s %s", request.method, request.path)
        return _answer(request, 500, "internal_error", "something went wrong on our side")


def _answer(request: web.Request, status: int, code: str, message: str) -> web.Response:
    """JSON under /api/ (and for `POST /chat`, a JSON route), plain text for pages."""
    found = request_id(request)
    if request.path.startswith("/api/") or request.path == "/chat":
        return json_error(status, code, message, request_id=found)
    return web.Response(status=status, text=f"{message} (request id {found})")


def _allow(error: web.HTTPException) -> dict[str, Any]:
    allowed = error.headers.get("Allow")
    return {"allowed": allowed.split(",")} if allowed else {}
