"""A timed release through the waiting room: `.venv/bin/python bench/release.py`.

1,000 verified customers (BENCH_CUSTOMERS) arrive in a burst for 50 ten-minute slots of one
staff member, released a couple of seconds after the burst starts, against real gateway
processes (`python -m assistant gateway`) on loopback: first one gateway, then two on one
database (customers alternate between them). Each customer takes a place, checks it (a
quarter of the estimated wait later, between 0.5 and 15 s), and once admitted reads the free
times and books one, trying another when one is taken, or leaves when none is left. At most
BENCH_CONCURRENCY requests are in flight at once (a request unanswered after 120 s counts as
status 0); BENCH_GATEWAYS ("1 2") says which runs; each customer comes from an address of its
own (X-Forwarded-For behind TRUST_PROXY), as a real crowd would.

Printed per run, and checked (a failed check exits 1): every slot booked once, no customer
holding two, no 5xx; the Spearman rank correlation of admission order against entry order
(the gateway's sequence) and against the order customers sent their entry; time in the queue
(entered to admitted, p50 and p95, from the audit); and how long the whole release took.
Starts an embedded PostgreSQL unless BENCH_DATABASE_URL names a server; a fresh database per run.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any

import aiohttp
from sqlalchemy import text

from assistant.embedded_db import admin_server, free_port, fresh_database
from assistant.settings import Settings
from scheduling.catalog import Business, Catalog, Location, Service, Staff
from scheduling.hours import WeeklyHours
from scheduling.persistence import waiting_room_store
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.database import make_engine, make_session_factory

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.waiting_room.crowd import verified  # noqa: E402

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "1000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "100"))
GATEWAYS = [int(n) for n in os.environ.get("BENCH_GATEWAYS", "1 2").split()]
SLOTS = 50
SECRET = "bench-release-" + "k" * 40
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass
class Tally:
    statuses: Counter[int] = field(default_factory=Counter)
    sent_entry: dict[uuid.UUID, float] = field(default_factory=dict)
    booked: int = 0
    gave_up: int = 0
    ended: Counter[str] = field(default_factory=Counter)
    """How the places that were never admitted ended (expired, an error status...)."""


def shop(day: datetime) -> Catalog:
    """One staff member working exactly 50 ten-minute slots on `day`, UTC."""
    hours = WeeklyHours.of({DAYS[day.weekday()]: ["09:00-17:20"]})
    place = Location(uuid.uuid4(), "Main", "UTC", hours)
    staff = Staff(uuid.uuid4(), "Ana", frozenset({place.id}), hours)
    cut = Service(uuid.uuid4(), "Consultation", timedelta(minutes=10), Decimal("50"),
                  slot_interval=timedelta(minutes=10), min_notice=timedelta(0),
                  max_advance_days=60)
    return Catalog(Business(uuid.uuid4(), "Release", "UTC", (place,)), (staff,), (cut,))


class Gateways:
    """`count` gateway processes on the database, each on a free loopback port."""

    def __init__(self, url: str, count: int, data_dir: Path) -> None:
        self.ports = [free_port() for _ in range(count)]
        env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), "SECRET_KEY": SECRET,
               "TRUST_PROXY": "true", "GATEWAY_HOST": "127.0.0.1", "LOG_LEVEL": "WARNING"}
        self.processes = [subprocess.Popen(
            [sys.executable, "-m", "assistant", "gateway"], cwd=ROOT,
            env={**env, "GATEWAY_PORT": str(port)}, stdout=subprocess.DEVNULL)
            for port in self.ports]

    async def ready(self, http: aiohttp.ClientSession) -> None:
        for port in self.ports:
            for _ in range(1200):  # a busy machine takes a while to import everything
                try:
                    async with http.get(f"http://127.0.0.1:{port}/health"):
                        break
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.25)
            else:
                raise RuntimeError(f"the gateway on {port} did not start")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            process.wait(30)


async def call(http: aiohttp.ClientSession, tally: Tally, method: str, url: str, token: str,
               address: str, **kwargs: Any) -> tuple[int, Any]:
    """The status and body; status 0 when no answer came within the client's patience."""
    headers = {"Authorization": f"Bearer {token}", "X-Forwarded-For": address,
               **kwargs.pop("headers", {})}
    try:
        async with http.request(method, url, headers=headers, **kwargs) as response:
            tally.statuses[response.status] += 1
            return response.status, await response.json(content_type=None)
    except (TimeoutError, aiohttp.ClientError):
        tally.statuses[0] += 1
        return 0, {}


async def customer(http: aiohttp.ClientSession, tally: Tally, base: str, n: int, token: str,
                   service: uuid.UUID, day: datetime) -> None:
    address, places = f"10.{n // 250}.{n % 250}.1", f"{base}/api/v1/waiting-room/places"
    sent = time.perf_counter()
    status, found = await call(http, tally, "POST", places, token, address,
                               json={"service_id": str(service), "day": day.date().isoformat()})
    if status != 201:
        tally.ended[f"entry {status}"] += 1
        return
    place = found["place"]
    tally.sent_entry[uuid.UUID(place["id"])] = sent
    while place["state"] == "waiting":
        await asyncio.sleep(max(0.5, min(15.0, place["estimated_wait_seconds"] / 4)))
        status, found = await call(http, tally, "GET", f"{places}/{place['id']}", token, address)
        if status != 200:
            tally.ended[f"check {status}"] += 1
            return
        place = found["place"]
    if place["state"] != "admitted":
        tally.ended[place["state"]] += 1
    else:
        await choose(http, tally, base, n, token, address, service, day, place["id"])


async def choose(http: aiohttp.ClientSession, tally: Tally, base: str, n: int, token: str,
                 address: str, service: uuid.UUID, day: datetime, place: str) -> None:
    """Read the free times and book one (a random one of the first few, as people pick);
    another when it was taken; leave when none is left."""
    window = {"service_id": str(service), "start": day.isoformat(),
              "end": (day + timedelta(days=1)).isoformat()}
    for attempt in range(10):
        _, free = await call(http, tally, "GET", f"{base}/api/v1/availability", token, address,
                             params=window)
        starts = [s["start"] for s in free.get("items", [])]
        if not starts:
            break
        status, _ = await call(http, tally, "POST", f"{base}/api/v1/appointments", token,
                               address, headers={"Idempotency-Key": f"{n}-{attempt}"},
                               json={"service_id": str(service),
                                     "start": random.choice(starts[:5]),
                                     "customer": {"name": f"Guest {n}",
                                                  "phone": f"+1555900{n:04d}"}})
        if status == 201:
            tally.booked += 1
            return
        if status != 409:
            break
    tally.gave_up += 1
    await call(http, tally, "DELETE", f"{base}/api/v1/waiting-room/places/{place}", token,
               address)


def spearman(ranks_a: list[int], ranks_b: list[int]) -> float:
    n = len(ranks_a)
    if n < 2:
        return 1.0
    d2 = sum((a - b) ** 2 for a, b in zip(ranks_a, ranks_b, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


def ranks(values: list[Any]) -> list[int]:
    order = sorted(range(len(values)), key=values.__getitem__)
    out = [0] * len(values)
    for rank, index in enumerate(order):
        out[index] = rank
    return out


async def release(url: str, gateways: int) -> bool:
    engine = make_engine(url, pool_size=5)
    day = datetime.combine(datetime.now(UTC).date() + timedelta(days=3), clock(), UTC)
    catalog, service = shop(day), None
    async with make_session_factory(engine)() as session:
        await CatalogRepository(session).save(catalog)
        await session.commit()
    service = catalog.services[0].id
    settings = Settings(database_url=url, secret_key=SECRET, data_dir=Path(tempfile.gettempdir()))
    people = await verified(engine, settings, catalog.business.id, CUSTOMERS)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="bench-release-") as data:
        running = Gateways(url, gateways, Path(data))
        try:
            connector = aiohttp.TCPConnector(limit=CONCURRENCY)
            patience = aiohttp.ClientTimeout(total=120)
            async with aiohttp.ClientSession(connector=connector, timeout=patience) as http:
                await running.ready(http)
                async with engine.begin() as db:
                    room = await waiting_room_store.room_for(
                        db, catalog.business.id, service, day.date(), datetime.now(UTC))
                    await waiting_room_store.set_release(
                        db, room, datetime.now(UTC) + timedelta(seconds=2))
                began = time.perf_counter()
                await asyncio.gather(*(
                    customer(http, tally, f"http://127.0.0.1:{running.ports[n % gateways]}",
                             n, token, service, day) for n, (_, token) in enumerate(people)))
                took = time.perf_counter() - began
        finally:
            running.stop()
    ok = await report(engine, tally, gateways, took)
    await engine.dispose()
    return ok


async def report(engine: Any, tally: Tally, gateways: int, took: float) -> bool:
    async with engine.connect() as db:
        booked = (await db.execute(text(
            "SELECT count(*), count(DISTINCT starts_at), max(per) FROM (SELECT starts_at,"
            " count(*) OVER (PARTITION BY customer_id) AS per FROM appointments"
            " WHERE status IN ('confirmed', 'pending', 'held')) a"))).one()
        admitted = (await db.execute(text(
            "SELECT p.id, p.seq, p.admitted_at - p.entered_at AS waited, e.id AS event"
            " FROM waiting_room_places p JOIN waiting_room_events e ON e.place_id = p.id"
            " AND e.event = 'admitted' ORDER BY e.id"))).all()
    waits = sorted(row.waited.total_seconds() for row in admitted)
    by_seq = spearman(ranks([r.seq for r in admitted]), ranks([r.event for r in admitted]))
    sent = [tally.sent_entry.get(r.id, float("inf")) for r in admitted]
    by_sent = spearman(ranks(sent), ranks([r.event for r in admitted]))
    errors = sum(count for status, count in tally.statuses.items() if status >= 500)
    p95 = waits[int(0.95 * (len(waits) - 1))] if waits else 0.0
    print(f"gateways={gateways} customers={CUSTOMERS} slots={SLOTS} took={took:.1f}s"
          f" booked={booked[0]} distinct_starts={booked[1]} most_per_customer={booked[2]}"
          f" admitted={len(admitted)} gave_up={tally.gave_up} 5xx={errors}"
          f" never_admitted={dict(tally.ended)}")
    print(f"  admission order vs entry order: spearman={by_seq:.4f};"
          f" vs order sent: spearman={by_sent:.4f}")
    print(f"  time in queue: p50={statistics.median(waits) if waits else 0:.2f}s"
          f" p95={p95:.2f}s; statuses {dict(sorted(tally.statuses.items()))}")
    return booked[0] == SLOTS == booked[1] and booked[2] == 1 and errors == 0 and by_seq == 1.0


def main() -> None:
    results = []
    with admin_server(os.environ.get("BENCH_DATABASE_URL"), "bench-release-") as admin:
        for gateways in GATEWAYS:
            with fresh_database(admin, "bench") as url:
                results.append(asyncio.run(release(url, gateways)))
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
