"""Serving a fake on 127.0.0.1 with a free port, and the faults a fake can inject."""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from aiohttp import web


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Run `app` on an ephemeral port; yields its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


@dataclass
class Ledger:
    """What a fake received: every request, and deliveries deduplicated by idempotency key.

    `requests` counts every accepted hand-over per key, so `requests[key] > 1` shows a send
    repeated after a crash; `delivered` holds the first body per key, which is what the
    recipient would see from a provider that honours the key.
    """

    requests: Counter[str] = field(default_factory=Counter)
    delivered: dict[str, dict[str, object]] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    faults: deque[int | str] = field(default_factory=deque)
    refuse: dict[str, int] = field(default_factory=dict)
    hang_seconds: float = 5.0
    delay: float = 0.0
    """Seconds every request takes, so a crash can land while sends are in flight."""

    @property
    def duplicates(self) -> int:
        return sum(count - 1 for count in self.requests.values())

    def fail_next(self, *faults: int | str) -> None:
        """Answer the next requests with these statuses, or "timeout" to hang past a timeout."""
        self.faults.extend(faults)

    async def fault(self) -> int | None:
        if self.delay:
            await asyncio.sleep(self.delay)
        if not self.faults:
            return None
        fault = self.faults.popleft()
        if fault == "timeout":
            await asyncio.sleep(self.hang_seconds)
            return 504
        return int(fault)

    def accept(self, key: str, body: dict[str, object], new_id: str) -> str:
        self.requests[key] += 1
        if key not in self.delivered:
            self.delivered[key] = body
            self.ids[key] = new_id
        return self.ids[key]
