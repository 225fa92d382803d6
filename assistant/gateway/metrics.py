"""Prometheus metrics at `/metrics`, in the text exposition format.

Three kinds of figures. This app's own (turn latency, i.e. Rasa's, and conflicts; per app, so a
test's app counts from zero), written by hand below. The process's, from `prometheus_client`'s
registry (`assistant.instruments`: HTTP requests by route, method and status with latency, job
runs and failures; and its process collector: CPU, memory, file descriptors). And the
database's, read at scrape time (bookings, deliveries, the outbox backlog and the age of the
oldest unsent message), because most bookings are made by the action server and most messages
by whichever process dispatches, and the database is the one place that sees every replica's.

With METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>` (compared in constant
time); the figures say how busy the business is, which is not for everyone to read.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import REGISTRY, generate_latest
from pydantic import SecretStr

from assistant.gateway.reads import reads
from assistant.gateway.resources import ENGINE, SETTINGS
from assistant.instruments import HTTP_REQUESTS
from scheduling.persistence.outbox_backlog import backlog

BOUNDS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0, 10.0)
Labels = tuple[tuple[str, str], ...]


def _labels(labels: Labels, extra: tuple[tuple[str, str], ...] = ()) -> str:
    pairs = [*labels, *extra]
    if not pairs:
        return ""
    escaped = (v.replace("\\", "\\\\").replace('"', '\\"') for _, v in pairs)
    return "{" + ",".join(f'{k}="{v}"' for (k, _), v in zip(pairs, escaped, strict=True)) + "}"


@dataclass
class Histogram:
    name: str
    help: str
    counts: dict[Labels, list[int]] = field(default_factory=dict)
    sums: dict[Labels, float] = field(default_factory=lambda: defaultdict(float))

    def observe(self, seconds: float, **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        counts = self.counts.setdefault(key, [0] * (len(BOUNDS) + 1))
        counts[bisect_left(BOUNDS, seconds)] += 1
        self.sums[key] += seconds

    def lines(self) -> list[str]:
        out = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} histogram"]
        for key, counts in sorted(self.counts.items()):
            running = 0
            for bound, count in zip((*map(str, BOUNDS), "+Inf"), counts, strict=True):
                running += count
                out.append(f"{self.name}_bucket{_labels(key, (('le', bound),))} {running}")
            out.append(f"{self.name}_sum{_labels(key)} {self.sums[key]:.6f}")
            out.append(f"{self.name}_count{_labels(key)} {running}")
        return out


@dataclass
class Counter:
    name: str
    help: str
    values: dict[Labels, float] = field(default_factory=lambda: defaultdict(float))

    def inc(self, amount: float = 1, **labels: str) -> None:
        self.values[tuple(sorted(labels.items()))] += amount

    def lines(self) -> list[str]:
        out = [f"# HELP {self.name} {self.help}", f"# TYPE {self.name} counter"]
        out += [f"{self.name}{_labels(k)} {v:g}" for k, v in sorted(self.values.items())]
        return out


@dataclass
class Metrics:
    turns: Histogram = field(default_factory=lambda: Histogram(
        "gateway_turn_seconds", "Time from a customer's message to the assistant's reply."))
    conflicts: Counter = field(default_factory=lambda: Counter(
        "gateway_booking_conflicts_total", "Bookings refused because the slot was taken."))
    api_bookings: Counter = field(default_factory=lambda: Counter(
        "gateway_api_bookings_total", "Appointments booked through the REST API."))


METRICS = web.AppKey("metrics", Metrics)
routes = web.RouteTableDef()


async def _database_lines(app: web.Application) -> list[str]:
    bookings, messages = await reads(app).metric_counts()
    out = ["# HELP booking_appointments Appointments in the database by channel and status.",
           "# TYPE booking_appointments gauge"]
    out += [f"booking_appointments{_labels((('channel', c.channel), ('status', c.status)))} {c.n}"
            for c in bookings]
    out += ["# HELP notification_deliveries Message delivery attempts by channel and outcome "
            "(sent, failed, skipped).", "# TYPE notification_deliveries gauge"]
    out += [f"notification_deliveries{_labels((('channel', c.channel), ('status', c.status)))} "
            f"{c.n}" for c in messages]
    now = datetime.now(UTC)
    async with app[ENGINE].connect() as connection:
        due, oldest = await backlog(connection, now)
    age = (now - oldest).total_seconds() if oldest else 0.0
    return out + [
        "# HELP outbox_backlog Messages due and not yet sent.", "# TYPE outbox_backlog gauge",
        f"outbox_backlog {due}",
        "# HELP outbox_oldest_unsent_seconds How long the oldest due, unsent message has waited "
        "(0 when none).", "# TYPE outbox_oldest_unsent_seconds gauge",
        f"outbox_oldest_unsent_seconds {age:.3f}",
    ]


def _route(request: web.Request) -> str:
    """The route's pattern (`/a/{code}`), never the path itself: paths are the clients' to
    choose, and one label value per path would grow without bound."""
    resource = request.match_info.route.resource
    if resource is None or request.match_info.http_exception is not None:  # 404, 405
        return "unmatched"
    return resource.canonical


@web.middleware
async def observe_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every request's latency by route, method and status, errors included."""
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as error:
        status = error.status
        raise
    finally:
        HTTP_REQUESTS.labels(_route(request), request.method, str(status)).observe(
            time.perf_counter() - started)


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def authorised(request: web.Request) -> bool:
    return bearer_allowed(request.headers.get("Authorization", ""),
                          request.app[SETTINGS].metrics_token)


def bearer_allowed(authorization: str, token: SecretStr | None) -> bool:
    """True when no token is configured, or `authorization` is `Bearer <the token>` (both
    hashed first, so the comparison takes as long whatever the lengths)."""
    if token is None:
        return True
    scheme, _, given = authorization.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        _digest(given.strip()), _digest(token.get_secret_value()))


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    if not authorised(request):
        raise web.HTTPUnauthorized(text="a metrics token is required",
                                   headers={"WWW-Authenticate": 'Bearer realm="metrics"'})
    own = request.app[METRICS]
    lines = own.turns.lines() + own.conflicts.lines() + own.api_bookings.lines()
    lines += await _database_lines(request.app)
    process = generate_latest(REGISTRY).decode()
    return web.Response(text="\n".join(lines) + "\n" + process,
                        content_type="text/plain", charset="utf-8",
                        headers={"X-Content-Type-Options": "nosniff"})
