"""Which request or conversation a log line belongs to, on every line, and how to mask what a log
line may name but must not spell out.

The gateway sets a request id for each request (`assistant.gateway.tracing`), the action server
the conversation id of each action call (`assistant.action_server`); a filter on the root
handlers copies it into every record as `%(context)s`. A contextvar, because aiohttp and Sanic
run each request in a task of its own: the value follows the request through every await and
never leaks into another request.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

NONE = "-"
current: ContextVar[str] = ContextVar("log_context", default=NONE)
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(context)s]: %(message)s"


class ContextFilter(logging.Filter):
    """Adds `record.context` (the request or conversation id, or "-") to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.context = current.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line for a log collector (LOG_FORMAT=json): time (UTC, ISO 8601),
    level, logger, message, context (the request or conversation id), and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "context": getattr(record, "context", NONE),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, style: str = "text") -> None:
    """The process's logging: one stream handler, each line naming its request/conversation,
    as text or (`style` "json") as one JSON object a line."""
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, ContextFilter) for f in handler.filters):
            handler.addFilter(ContextFilter())
        if style == "json":
            handler.setFormatter(JsonFormatter())


def masked(address: str) -> str:
    """An e-mail address or phone number an operator can recognise but not contact or harvest:
    `a***@example.com`, `+1555***4567`."""
    if "@" in address:
        local, _, domain = address.rpartition("@")
        return f"{local[:1]}***@{domain}"
    return f"{address[:5]}***{address[-4:]}" if len(address) > 9 else "***"
