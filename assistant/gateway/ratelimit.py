"""Token buckets per sender: each client address, phone number or chat session gets a burst and
a refill, and a script hammering an endpoint is refused with 429 before it reaches Rasa or the
booking services.

The buckets live in PostgreSQL (`scheduling.persistence.limits`), so every gateway replica on
the database spends from the same bucket: N replicas allow the rate once, not N times. The
in-memory `RateLimiter` stays for unit tests and tools that replace `app[LIMITS]`.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from aiohttp import web

from assistant.gateway.errors import ApiError
from assistant.gateway.resources import ENGINE, SETTINGS
from scheduling.persistence import limits
from scheduling.persistence.limits import Rate

MINUTE, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


class Limiter(Protocol):
    async def spend(self, app: web.Application, key: str) -> float | None:
        """Spend a token of `key`: None when spent, else the seconds until one is left."""
        ...


@dataclass(slots=True)
class Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """In this process only: `rate` tokens per second up to `burst`; one token per request.
    Buckets idle long enough to be full again are forgotten, so the table stays bounded."""

    rate: float
    burst: float
    clock: Callable[[], float] = time.monotonic
    buckets: dict[str, Bucket] = field(default_factory=dict)

    def allow(self, key: str) -> bool:
        now = self.clock()
        bucket = self.buckets.get(key) or Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self.buckets[key] = bucket
        if len(self.buckets) > 10_000:
            self._forget(now)
        if bucket.tokens < 1:
            return False
        bucket.tokens -= 1
        return True

    def retry_after(self, key: str) -> float:
        bucket = self.buckets.get(key)
        missing = 1 - bucket.tokens if bucket else 0
        return max(0.0, missing / self.rate)

    async def spend(self, app: web.Application, key: str) -> float | None:
        return None if self.allow(key) else self.retry_after(key)

    def _forget(self, now: float) -> None:
        full_after = self.burst / self.rate
        for key in [k for k, b in self.buckets.items() if now - b.updated > full_after]:
            del self.buckets[key]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SharedLimiter:
    """The bucket in the gateway's database, shared with every other process on it."""

    rate: Rate
    clock: Callable[[], datetime] = utc_now

    async def spend(self, app: web.Application, key: str) -> float | None:
        """One statement in autocommit: it is atomic by itself, and a BEGIN/COMMIT pair would
        double the round trips every request pays."""
        async with app[ENGINE].connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            wait = await limits.spend(connection, key, self.rate, self.clock())
        return None if wait is None else wait.total_seconds()


LIMITS = web.AppKey("rate_limits", dict[str, Limiter])

RATES: dict[str, Rate] = {
    "chat": Rate(20, timedelta(seconds=1)),
    "chat-address": Rate(300, timedelta(seconds=0.2)),
    "chat-new": Rate.per(100, HOUR),
    "api": Rate(100, timedelta(seconds=0.05)),
    "twilio": Rate(30, timedelta(seconds=0.5)),
    "login": Rate(5, timedelta(seconds=5)),
    "login-account": Rate(10, MINUTE),
    "booking-address": Rate.per(5, DAY),
    "booking-contact": Rate.per(3, DAY),
    "short-link": Rate(30, timedelta(seconds=2)),
    "waiting-room": Rate(10, timedelta(seconds=6)),
    "waiting-room-contact": Rate(5, MINUTE),
    "waiting-room-check": Rate(30, timedelta(seconds=0.5)),
}
"""Per key: chat turns of one conversation (20 at once, then one a second); chat turns of one
client address (300 then 5 a second: a whole office behind one proxy chatting at once never
meets it); new conversations of one address (100 an hour: a customer who reloads starts a new
one each time, a script rotating sender ids is stopped); API calls (100, then 20 a second);
Twilio webhooks per phone; login and one-time-code attempts (5, then one per 5 s); login
attempts on one admin account from any address (10, then one a minute); anonymous
bookings per address and per contact (5 and 3 a day); short links opened per address (30, then
one every 2 s: with a million live codes one guess in 2 * 10^8 finds one, 13 years at that pace);
waiting-room places taken per client network (10, then one every 6 s) and per customer (5, then
one a minute: leaving and coming back goes to the back each time), and checks of one customer's
place (30, then two a second)."""


def default_limits(clock: Callable[[], datetime] = utc_now) -> dict[str, Limiter]:
    """Every limit in `RATES`, shared through the database; `clock` is for tests."""
    return {kind: SharedLimiter(rate, clock) for kind, rate in RATES.items()}


async def check(request: web.Request, kind: str, key: str, message: str | None = None) -> None:
    """Spend a token of `key` in the `kind` bucket; 429 with the wait when there is none."""
    wait = await request.app[LIMITS][kind].spend(request.app, f"{kind}:{key}")
    if wait is not None:
        raise ApiError(429, "rate_limited", message or "too many requests; slow down",
                       retry_after_seconds=round(wait, 1))


def client_ip(request: web.Request) -> str:
    """The address of the client, for its rate limits.

    Behind our reverse proxy (TRUST_PROXY) every request comes from the proxy, so the client is
    the address the proxy appended to X-Forwarded-For: the last entry. Every earlier entry was
    sent by the client itself and is whatever it chose; taking the first would let anyone pick
    a fresh bucket per request, or spend someone else's. Without TRUST_PROXY the header is
    ignored: anyone can send it, and the TCP peer is the client.
    """
    if request.app[SETTINGS].trust_proxy:
        appended = ",".join(request.headers.getall("X-Forwarded-For", [])).split(",")[-1]
        if _is_address(appended.strip()):
            return str(ipaddress.ip_address(appended.strip()))
    return request.remote or "unknown"


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_network(request: web.Request) -> str:
    """The client as a limit should count it: its IPv4 address, or its IPv6 /64.

    One IPv6 subscriber is routed a whole /64 (and often more) and can send from any address
    in it, so a per-address cap on IPv6 would be a cap per request.
    """
    address = client_ip(request)
    if not _is_address(address):
        return address
    parsed = ipaddress.ip_address(address)
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)
