"""Per-sender token buckets: each IP, phone number or chat session gets a burst and a refill.

In memory, per gateway process: a customer is never slowed by someone else, and a script
hammering one endpoint is refused with 429 before it reaches Rasa or the database. Buckets
idle long enough to be full again are forgotten, so the table does not grow without bound.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

from assistant.gateway.errors import ApiError


@dataclass(slots=True)
class Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimiter:
    """`rate` tokens per second up to `burst`; one token per request."""

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

    def _forget(self, now: float) -> None:
        full_after = self.burst / self.rate
        for key in [k for k, b in self.buckets.items() if now - b.updated > full_after]:
            del self.buckets[key]


LIMITS = web.AppKey("rate_limits", dict[str, RateLimiter])


def default_limits() -> dict[str, RateLimiter]:
    """Chat turns: a burst of 20 then one a second; the API: 100 then 20 a second."""
    return {"chat": RateLimiter(rate=1.0, burst=20), "api": RateLimiter(rate=20.0, burst=100),
            "twilio": RateLimiter(rate=2.0, burst=30), "login": RateLimiter(rate=0.2, burst=5)}


async def check(request: web.Request, kind: str, key: str) -> None:
    """Spend a token of `key` in the `kind` bucket; 429 with Retry-After when there is none."""
    limiter = request.app[LIMITS][kind]
    if not limiter.allow(key):
        wait = limiter.retry_after(key)
        raise ApiError(429, "rate_limited", "too many requests; slow down",
                       retry_after_seconds=round(wait, 1))


def client_ip(request: web.Request) -> str:
    return request.remote or "unknown"
