"""Booking throughput: `.venv/bin/python bench/booking.py`.

Starts an embedded PostgreSQL (unless BENCH_DATABASE_URL names a server), creates a fresh
database, migrates, seeds one business with 64 staff, and times with 16 and 64 concurrent
clients: bookings on disjoint slots (each client its own staff member), attempts on contended
slots (everyone on the same twelve starts), and a bare single-row INSERT transaction on the same
database as the ceiling. Prints rates and the booking/ceiling ratio, and this process's CPU an
insert and a booking (steadier than the rates on a busy machine), and the pairs of bookings that
overlap at the end (0), then drops the database.
That first line per client count is the old-style figure (one ceiling phase, then one disjoint
phase). The second is the new-style one: BENCH_ROUNDS (3) disjoint phases, each between two
ceiling phases, each against the mean of those two, and the median of the rounds: the same
ratio, measured with the machine's drift during the run averaged out.
A third line gives each job's CPU, the client's (this process) and the server's (the bench
database's backends, from /proc: only when the server runs on this machine), median over the
rounds, and the insert's share of the booking's: the ratio the rates tend to when the two cores
are the limit, and the figure that moves least with the machine's load.
The start-up heap is frozen (`assistant.heap`) after seeding, as the real processes do.
Each phase stops starting jobs after BENCH_PHASE_SECONDS (20 s) and the engine is disposed
whatever happens, so a slow build cannot run for long or leave connections open.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from assistant import heap
from assistant.embedded_db import admin_server, fresh_database
from scheduling.booking import services
from scheduling.booking.commands import BookAppointment, SlotChoice
from scheduling.catalog import Business, Catalog, Customer, Location, Service, Staff
from scheduling.errors import SlotUnavailable
from scheduling.hours import WeeklyHours
from scheduling.persistence.booking_uow import BookingUnitOfWork
from scheduling.persistence.catalog_repository import CatalogRepository
from scheduling.persistence.database import make_engine, make_session_factory

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
NOW = datetime(2027, 3, 1, tzinfo=UTC)
FIRST = datetime(2027, 3, 2, tzinfo=UTC)
STAFF = 64
PER_RUN = 640
PHASE_SECONDS = float(os.environ.get("BENCH_PHASE_SECONDS", "20"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
FREEZE = os.environ.get("BENCH_GC_FREEZE", "1") != "0"
"""`BENCH_GC_FREEZE=0` leaves the start-up heap in the collector's full collections, as
before `assistant.heap.freeze_startup`: for the before side of a comparison."""
OVERLAPS = text(
    "SELECT count(*) FROM appointments a JOIN appointments b ON a.staff_id = b.staff_id"
    " AND a.id < b.id AND a.session_id <> b.session_id AND tstzrange(a.blocked_start,"
    " a.blocked_end, '[)') && tstzrange(b.blocked_start, b.blocked_end, '[)')"
    " WHERE a.status IN ('held', 'pending', 'confirmed')"
    " AND b.status IN ('held', 'pending', 'confirmed')")
"""Pairs of active bookings of one staff member whose blocked times overlap: what the exclusion
constraint forbids and placement must never try; counted after the run, it must be 0."""


def catalog() -> Catalog:
    whole_day = WeeklyHours.of(dict.fromkeys(DAYS, ["00:00-00:00"]))
    place = Location(uuid.uuid4(), "Main", "UTC", whole_day)
    team = tuple(Staff(uuid.uuid4(), f"s{i}", frozenset({place.id}), whole_day)
                 for i in range(STAFF))
    cut = Service(uuid.uuid4(), "Cut", timedelta(minutes=30), Decimal("30"),
                  buffer_after=timedelta(minutes=5), slot_interval=timedelta(minutes=5),
                  min_notice=timedelta(0), max_advance_days=365)
    return Catalog(Business(uuid.uuid4(), "Bench", "UTC", (place,)), team, (cut,))


async def seed(engine: AsyncEngine, shop: Catalog, customers: int) -> list[uuid.UUID]:
    ids = [uuid.uuid4() for _ in range(customers)]
    async with make_session_factory(engine)() as session:
        repo = CatalogRepository(session)
        await repo.save(shop)
        for cid in ids:
            await repo.save_customer(shop.business.id, Customer(cid, "c"))
        await session.execute(text("INSERT INTO booking_rules VALUES (:b, 1000000, false, 5,"
                                   " 120, 15)"), {"b": shop.business.id})
        await session.execute(text("CREATE TABLE IF NOT EXISTS ceiling (id uuid PRIMARY KEY,"
                                   " at timestamptz NOT NULL)"))
        await session.commit()
    return ids


class Phase(NamedTuple):
    per_second: float
    wins: int
    client: float
    """This process's CPU seconds a completed job."""
    done: int
    server: float | None = None
    """The bench database's backends' CPU seconds a completed job (`costed`)."""


class Backends:
    """CPU seconds (user + system) the bench database's server processes have used, read from
    /proc; None when the server is on another machine (its processes are not there)."""

    TICK = os.sysconf("SC_CLK_TCK")
    PIDS = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine

    async def read(self) -> dict[int, float] | None:
        async with self.engine.connect() as connection:
            pids = (await connection.execute(self.PIDS)).scalars().all()
        used = {}
        for pid in pids:
            with contextlib.suppress(OSError):  # not on this machine, or just exited
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                used[pid] = (int(fields[11]) + int(fields[12])) / self.TICK
        return used or None

    @staticmethod
    def spent(before: dict[int, float] | None, after: dict[int, float] | None) -> float | None:
        """Seconds used between the two reads (a backend started meanwhile counts whole)."""
        if before is None or after is None:
            return None
        return sum(cpu - before.get(pid, 0.0) for pid, cpu in after.items())


async def costed(
    backends: Backends, clients: int, jobs: list[Callable[[], Awaitable[bool]]]
) -> Phase:
    """`rate`, with the server's CPU seconds a completed job (None if it cannot be read)."""
    before = await backends.read()
    phase = await rate(clients, jobs)
    server = Backends.spent(before, await backends.read())
    return phase._replace(server=None if server is None else server / phase.done)


async def rate(clients: int, jobs: list[Callable[[], Awaitable[bool]]]) -> Phase:
    """Run `jobs` on `clients` workers for at most `PHASE_SECONDS`: completed per second, how
    many returned True, this process's CPU seconds per completed job. Jobs not started by then
    are dropped, so a slow build stays bounded. The CPU figure is the client's side alone: other
    processes on the machine slow the rates down but barely change it."""
    queue = list(reversed(jobs))
    wins = done = 0
    cpu = time.process_time()
    started = time.perf_counter()
    deadline = started + PHASE_SECONDS

    async def worker() -> None:
        nonlocal wins, done
        while queue and time.perf_counter() < deadline:
            won = await queue.pop()()
            wins += won
            done += 1

    await asyncio.gather(*(worker() for _ in range(clients)))
    return Phase(done / (time.perf_counter() - started), wins, (time.process_time() - cpu) / done,
                 done)


def booking(uow: BookingUnitOfWork, shop: Catalog, staff: int, start: datetime,
            customer: uuid.UUID) -> Callable[[], Awaitable[bool]]:
    choice = SlotChoice(shop.business.id, shop.services[0].id, start, shop.staff[staff].id)
    cmd = BookAppointment(choice, customer, uuid.uuid4().hex)

    async def run() -> bool:
        try:
            await services.book(cmd, uow, NOW)
        except SlotUnavailable:
            return False
        return True
    return run


def insert_row(engine: AsyncEngine) -> Callable[[], Awaitable[bool]]:
    async def run() -> bool:
        async with engine.begin() as connection:
            await connection.execute(text("INSERT INTO ceiling VALUES (:i, now())"),
                                     {"i": uuid.uuid4()})
        return True
    return run


async def measure(url: str) -> None:
    engine = make_engine(url, pool_size=64, max_overflow=0)
    try:
        await _measure(engine)
    finally:
        await engine.dispose()


async def _measure(engine: AsyncEngine) -> None:
    shop = catalog()
    customers = await seed(engine, shop, 64)
    if FREEZE:
        heap.freeze_startup()  # as the gateway and the action server do once started
    uow_of = lambda: BookingUnitOfWork(make_session_factory(engine))  # noqa: E731
    day = 0

    def disjoint(clients: int) -> list[Callable[[], Awaitable[bool]]]:
        nonlocal day
        day += 1
        base = FIRST + timedelta(days=day)
        return [booking(uow_of(), shop, i % clients, base + (i // clients) * timedelta(
            minutes=35), customers[i % len(customers)]) for i in range(PER_RUN)]

    backends = Backends(engine)

    def inserts() -> list[Callable[[], Awaitable[bool]]]:
        return [insert_row(engine) for _ in range(PER_RUN * 2)]

    for clients in (16, 64):
        ceilings = [await costed(backends, clients, inserts())]
        frees = []
        for _ in range(ROUNDS):  # each disjoint phase between two ceiling phases
            frees.append(await costed(backends, clients, disjoint(clients)))
            ceilings.append(await costed(backends, clients, inserts()))
        day += 1
        base = FIRST + timedelta(days=day)
        contended = [booking(uow_of(), shop, i % 2, base + timedelta(minutes=5 * (i % 12)),
                             customers[i % len(customers)]) for i in range(PER_RUN // 2)]
        fought = await rate(clients, contended)
        ceiling, free = ceilings[0], frees[0]
        print(f"{clients:>2} clients: ceiling {ceiling.per_second:7.0f} inserts/s | disjoint"
              f" {free.per_second:6.0f} bookings/s ({free.per_second / ceiling.per_second:.1%}"
              f" of ceiling) | contended {fought.per_second:6.0f} attempts/s, {fought.wins}"
              f" booked ({fought.per_second / ceiling.per_second:.1%}) | client CPU"
              f" {ceiling.client * 1e3:.2f} ms an insert, {free.client * 1e3:.2f} ms a booking"
              f" ({ceiling.client / free.client:.1%})")
        print(bracketed(clients, [c.per_second for c in ceilings], [f.per_second for f in frees]))
        print(cpu_shares(clients, ceilings, frees))
    async with engine.connect() as connection:
        print(f"overlapping bookings: {(await connection.execute(OVERLAPS)).scalar_one()}")


def cpu_shares(clients: int, ceilings: list[Phase], frees: list[Phase]) -> str:
    """The CPU figure: client and server CPU a job, median over the phases of each kind, and
    the insert's total as a share of the booking's."""
    def median_ms(phases: list[Phase], server: bool) -> float:
        return statistics.median((p.server or 0.0) if server else p.client for p in phases) * 1e3

    insert, book = median_ms(ceilings, False), median_ms(frees, False)
    if any(p.server is None for p in ceilings + frees):
        return (f"{clients:>2} clients, CPU a job (client only: the server is not on this"
                f" machine): insert {insert:.2f} ms, booking {book:.2f} ms ({insert / book:.1%})")
    insert_server, book_server = median_ms(ceilings, True), median_ms(frees, True)
    return (f"{clients:>2} clients, CPU a job (client + server, medians): insert {insert:.2f}"
            f" + {insert_server:.2f} ms, booking {book:.2f} + {book_server:.2f} ms"
            f" ({(insert + insert_server) / (book + book_server):.1%})")


def bracketed(clients: int, ceilings: list[float], frees: list[float]) -> str:
    """The new-style figure: each disjoint phase against the mean of the ceiling phases right
    before and right after it (the machine's load drifts within a run; one ceiling phase of a
    few seconds swung 2x between runs), and the median over the rounds."""
    ratios = [free / ((before + after) / 2)
              for free, before, after in zip(frees, ceilings, ceilings[1:], strict=False)]
    listed = ", ".join(f"{r:.1%}" for r in ratios)
    return (f"{clients:>2} clients, {len(ratios)} bracketed rounds: median"
            f" {statistics.median(ratios):.1%} of ceiling ({listed}; ceilings"
            f" {', '.join(f'{c:.0f}' for c in ceilings)} inserts/s)")


def main() -> None:
    with (
        admin_server(os.environ.get("BENCH_DATABASE_URL"), "bench-booking-") as admin,
        fresh_database(admin, "bench") as url,
    ):
        asyncio.run(measure(url))


if __name__ == "__main__":
    main()
