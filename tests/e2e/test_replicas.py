"""Two gateways, two Rasa (Redis lock store, one model store) and two action servers behind the
shipped haproxy configuration, on the PostgreSQL server: the deployment's topology on one
machine (no container daemon needed).

One stack start, proven in order: each periodic job runs once per tick across the gateways; a
model published to the store reaches both Rasa replicas; twenty customers, asking for four
times between them so they race, book by chat through the balancer while one replica of each
kind is killed (SIGKILL) mid-run: every customer is booked exactly once, no two bookings
overlap, and every message due is sent exactly once. A turn cut off by the kill is answered
503/504 and the customer says it again (haproxy never resends a POST that reached a server).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import signal
import socket
import time
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import psycopg
import pytest
from prometheus_client.parser import text_string_to_metric_families

from assistant.embedded_db import fresh_database
from assistant.model_publish import publish_file
from assistant.seeding import seed_demo
from tests.e2e.replica_stack import ReplicaStack
from tests.gateway.stack import answer_for

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db, pytest.mark.redis,
              pytest.mark.timeout(1800)]

CUSTOMERS = 20
MAX_TURNS = 30
ASKED = ["next tuesday at 10am", "next tuesday at 11am", "next thursday at 2pm",
         "next thursday at 3pm"]
STOPPED = ("gateway-1", "rasa-1", "actions-1")


def query(url: str, sql: str, *args: object) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as connection:
        return connection.execute(sql, args).fetchall()  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def stack(postgres_admin_url: str, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[tuple[ReplicaStack, str]]:
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    parts = urlsplit(redis_url)
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), 2).close()
    except OSError as error:
        pytest.skip(f"no Redis answers at {redis_url} ({error}): Rasa's lock store needs one")
    with fresh_database(postgres_admin_url, "replicas") as url:
        seed_demo(url)
        running = ReplicaStack(tmp_path_factory.mktemp("replicas"), url, redis_url,
                               {"gateway": 2, "rasa": 2, "actions": 2})
        try:
            running.start()
            yield running, url
        finally:
            running.close()


def metric(text: str, sample: str) -> Counter[str]:
    """A counter's samples summed by their `job` label (every outcome)."""
    found: Counter[str] = Counter()
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == sample:
                found[s.labels["job"]] += int(s.value)
    return found


def scrape(stack: ReplicaStack, name: str) -> str:
    with urllib.request.urlopen(f"{stack.direct(name)}/metrics", timeout=10) as response:
        return response.read().decode()


def test_each_periodic_job_runs_once_per_tick_across_the_gateways(
        stack: tuple[ReplicaStack, str]) -> None:
    running, url = stack
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and len(
            {t for (t,) in query(url, "SELECT DISTINCT tick FROM job_ticks")}) < 2:
        time.sleep(3)
    time.sleep(5)  # the tick's jobs finish and are counted
    assert len({t for (t,) in query(url, "SELECT DISTINCT tick FROM job_ticks")}) >= 2
    # timers keep ticking while we look: a tick finished before the scrape was counted by it,
    # one claimed after it was not, so the runs lie between the two readings
    finished = Counter(str(job) for (job,) in query(
        url, "SELECT job FROM job_ticks WHERE finished_at IS NOT NULL"))
    texts = [scrape(running, name) for name in ("gateway-1", "gateway-2")]
    claimed = Counter(str(job) for (job,) in query(url, "SELECT job FROM job_ticks"))
    runs = sum((metric(t, "job_runs_total") for t in texts), Counter())
    skipped = sum((metric(t, "job_ticks_skipped_total") for t in texts), Counter())
    # a timer's runs (its jobs inside are counted by their own names too): each claimed tick
    # ran once, on one gateway, and the other gateway's timer found ticks taken
    assert all(finished[job] <= runs[job] <= claimed[job] for job in claimed), \
        (finished, runs, claimed)
    assert set(skipped) <= set(claimed) and sum(skipped.values()) >= len(finished)


def test_a_published_model_reaches_both_rasa_replicas(
        stack: tuple[ReplicaStack, str], tmp_path: Path) -> None:
    running, url = stack
    current = sorted((Path(__file__).resolve().parents[2] / "models").glob("*.tar.gz"))[-1]
    retrained = tmp_path / f"model-replicas-{uuid.uuid4().hex[:8]}.tar.gz"
    # the same model in a new archive: other bytes, so a new fingerprint to pull
    retrained.write_bytes(gzip.compress(gzip.decompress(current.read_bytes()), mtime=1))
    asyncio.run(publish_file(url, retrained))
    for name in ("rasa-1", "rasa-2"):
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            status = asyncio.run(_json(running.health_url(name)))
            if retrained.name in str(status.get("model_file")):
                break
            time.sleep(2)
        else:
            pytest.fail(f"{name} still serves {status}:\n{running.log(name)}")


async def _json(url: str) -> dict[str, object]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        body: dict[str, object] = await response.json(content_type=None)
        return body


async def customer(http: aiohttp.ClientSession, url: str, n: int,
                   turns: list[int], retries: list[str]) -> bool:
    """One customer chatting to the balancer until booked; a turn answered 5xx or cut off (a
    replica stopping under it) is said again, as a person would: a turn said twice must not
    book twice, which the test checks."""
    sender, phone = f"replica-{n}-{uuid.uuid4().hex[:6]}", f"+1212555{n:04d}"
    said: str | None = f"I'd like a men's cut {ASKED[n % len(ASKED)]}"
    for _ in range(MAX_TURNS):
        if said is None:
            return True
        for attempt in range(4):
            try:
                async with http.post(f"{url}/chat",
                                     json={"sender": sender, "message": said}) as r:
                    if r.status < 500:
                        assert r.status == 200, await r.text()
                        replies = (await r.json())["replies"]
                        break
                    retries.append(f"{sender}: {r.status} on {said!r}")
            except aiohttp.ClientConnectionError as error:  # the connection closed under it
                retries.append(f"{sender}: {error!r} on {said!r}")
            await asyncio.sleep(1 + attempt)
        else:
            raise AssertionError(f"{sender} got no answer to {said!r}: {retries[-4:]}")
        turns.append(n)
        said = answer_for(" ".join(x.get("text", "") for x in replies), f"Replica Customer{n}",
                          phone)
    return False


async def book_while_stopping(running: ReplicaStack) -> tuple[list[bool], list[str]]:
    turns: list[int] = []
    retries: list[str] = []

    async def stop_one_of_each() -> None:
        while len(turns) < CUSTOMERS * 2:
            await asyncio.sleep(0.2)
        for name in STOPPED:  # killed, not asked to stop: whatever it was doing is cut off
            await asyncio.to_thread(running.stop, name, signal.SIGKILL)

    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=180)) as http:
        stopper = asyncio.create_task(stop_one_of_each())
        booked = await asyncio.gather(*(customer(http, running.url, n, turns, retries)
                                        for n in range(CUSTOMERS)))
        await stopper
    return booked, retries


def test_twenty_customers_book_through_the_balancer_while_replicas_are_killed(
        stack: tuple[ReplicaStack, str]) -> None:
    running, url = stack
    booked, retries = asyncio.run(book_while_stopping(running))
    assert all(running.processes[name].poll() is not None for name in STOPPED)
    assert booked == [True] * CUSTOMERS, retries
    print(f"turns said again after a killed replica: {len(retries)}", *retries, sep="\n")
    per_customer = query(url, "SELECT contact_phone, count(*) FROM appointments "
                              "WHERE status IN ('pending', 'confirmed') GROUP BY 1")
    assert sorted(n for _, n in per_customer) == [1] * CUSTOMERS
    overlaps = query(url, """
        SELECT a.id, b.id FROM appointments a JOIN appointments b
          ON a.staff_id = b.staff_id AND a.id < b.id AND a.session_id <> b.session_id
         AND tstzrange(a.blocked_start, a.blocked_end) && tstzrange(b.blocked_start, b.blocked_end)
         WHERE a.status IN ('held', 'pending', 'confirmed')
           AND b.status IN ('held', 'pending', 'confirmed')""")
    assert overlaps == []
    # messages due (Google events wait for a connected calendar, none here)
    due = ("SELECT kind, due_at FROM outbox WHERE status = 'pending' AND due_at < now() "
           "AND kind <> 'calendar_event'")
    deadline = time.monotonic() + 150
    while time.monotonic() < deadline and query(url, due):
        time.sleep(3)
    assert query(url, due) == []
    sent = query(url, "SELECT outbox_id, channel, count(*) FROM delivery_attempts "
                      "WHERE status = 'sent' GROUP BY 1, 2")
    assert len(sent) >= CUSTOMERS  # a confirmation each, at least
    assert [row for row in sent if row[2] != 1] == []
