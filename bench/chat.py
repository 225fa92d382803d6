"""20 concurrent customers book through the gateway; the same conversations straight to Rasa's
REST channel are the baseline, so the gateway's own overhead shows as the difference.

    .venv/bin/python bench/chat.py [--gateway URL --rasa URL] [--customers 20]
                                   [--pause MIN MAX]
    .venv/bin/python bench/chat.py --replicas 1 2 [--customers 20]

Two loads, each through the gateway and then bare Rasa:
- paced: each customer reads the reply and types the next message, pausing a random
  1-3 s (`--pause`) between turns, as people do. This is the load the latency target is for.
- saturation: no pause at all, every customer sends the next message the moment the reply
  arrives. It shows the throughput ceiling; latency then is mostly queueing.

`--replicas 1 2` measures instead how Rasa scales out: saturation turns/s straight to the
Rasa balancer with two Rasa replicas, then one, in the same run, and the ratio.

Every run uses new conversation ids and phone numbers, so runs against a long-lived server
neither grow old conversations nor hit the per-customer booking limit. With no URLs it starts
`python -m assistant run` on free ports (embedded database, temporary data folder) and stops
it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.embedded_db import (  # noqa: E402
    EmbeddedPostgres,
    admin_server,
    free_port,
    fresh_database,
)
from assistant.seeding import seed_demo  # noqa: E402
from tests.e2e.replica_stack import ReplicaStack  # noqa: E402
from tests.gateway.stack import answer_for  # noqa: E402

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
HOURS = ["9am", "10am", "11am", "1pm", "2pm", "3pm", "4pm"]
PICKS = ["the first", "the second", "the third"]
MAX_TURNS = 24
"""A booking takes 6 turns; a lost race (two customers taking one time) adds 2 each time."""


def first_message(n: int) -> str:
    return f"I'd like a beard trim next {DAYS[n % len(DAYS)]} at {HOURS[n % len(HOURS)]}"


@dataclass
class Load:
    """How the simulated customers behave, and which run this is (for unique ids)."""

    tag: str
    pause: tuple[float, float]


async def conversation(http: aiohttp.ClientSession, url: str, n: int, via_gateway: bool,
                       load: Load, times: list[float]) -> bool:
    said: str | None = first_message(n)
    sender = f"bench-{load.tag}-{n}"
    phone = f"+1212{2_000_000 + zlib.crc32(sender.encode()) % 8_000_000}"
    rng = random.Random(sender)
    for _ in range(MAX_TURNS):
        if said is None:
            return True
        await asyncio.sleep(rng.uniform(*load.pause))
        body = {"sender": sender, "message": said}
        started = time.perf_counter()
        async with http.post(url, json=body) as response:
            data = await response.json()
        times.append(time.perf_counter() - started)
        replies = data["replies"] if via_gateway else data
        reply = " ".join(r.get("text", "") for r in replies)
        said = answer_for(reply, f"Bench Customer{n}", phone)
        if said == "the first":  # people don't all take the top offer
            said = rng.choice(PICKS)
        elif said == "a men's cut next wednesday at 10am":
            said = first_message(n + 1)
    return False


async def run_all(url: str, customers: int, via_gateway: bool,
                  load: Load) -> tuple[list[float], int]:
    times: list[float] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
        done = await asyncio.gather(*(
            conversation(http, url, n, via_gateway, load, times) for n in range(customers)))
    return times, sum(done)


def figures(name: str, times: list[float], booked: int, customers: int) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0
    print(f"{name:<36} turns {len(times):4d}  booked {booked}/{customers}  "
          f"p50 {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms",
          flush=True)


def start_stack(folder: Path) -> tuple[subprocess.Popen[str], str, str, int]:
    ports = {name: free_port() for name in ("GATEWAY", "RASA", "ACTION_SERVER", "EMBEDDED_DB")}
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({f"{k}_PORT": str(v) for k, v in ports.items()}, DATA_DIR=str(folder))
    process = subprocess.Popen([sys.executable, "-m", "assistant", "run"], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    for line in process.stdout:
        if re.search(r"ready: chat at", line):
            break
    return (process, f"http://127.0.0.1:{ports['GATEWAY']}", f"http://127.0.0.1:{ports['RASA']}",
            ports["EMBEDDED_DB"])


async def measure(gateway: str, rasa: str, customers: int, pause: tuple[float, float]) -> None:
    run = f"{time.time():.0f}"
    await run_all(f"{rasa}/webhooks/rest/webhook", 2, False, Load(f"warm{run}", (0, 0)))
    for label, load_pause in ((f"paced {pause[0]:g}-{pause[1]:g} s", pause),
                              ("saturation", (0.0, 0.0))):
        for via_gateway, target, name in ((True, f"{gateway}/chat", "gateway (POST /chat)"),
                                          (False, f"{rasa}/webhooks/rest/webhook",
                                           "bare Rasa REST")):
            load = Load(f"{run}-{label.split()[0]}-{'gw' if via_gateway else 'rasa'}",
                        load_pause)
            times, booked = await run_all(target, customers, via_gateway, load)
            figures(f"{label:<15} {name}", times, booked, customers)


async def saturation(rasa_url: str, customers: int, tag: str) -> tuple[float, int, int]:
    """Turns/s with every customer sending the next message the moment the reply arrives."""
    started = time.perf_counter()
    times, booked = await run_all(f"{rasa_url}/webhooks/rest/webhook", customers, False,
                                  Load(tag, (0.0, 0.0)))
    return len(times) / (time.perf_counter() - started), len(times), booked


def measure_replicas(counts: list[int], customers: int) -> None:
    """Saturation of N Rasa replicas behind haproxy (tests/e2e/replica_stack.py: two
    gateways, two action servers, PostgreSQL, Redis lock store), most replicas first, one
    replica stopped between rounds; the ratio says how far Rasa scales out on this machine."""
    counts = sorted(set(counts), reverse=True)
    rates: dict[int, float] = {}
    print(f"cores: {os.cpu_count()}; {customers} customers, no pause, straight to the Rasa "
          "balancer", flush=True)
    with admin_server(os.environ.get("BENCH_DATABASE_URL"), "bench-replicas-pg-") as admin, \
            fresh_database(admin, "bench_replicas") as url, \
            tempfile.TemporaryDirectory(prefix="bench-replicas-") as folder:
        seed_demo(url)
        stack = ReplicaStack(Path(folder), url, os.environ.get("REDIS_URL",
                             "redis://127.0.0.1:6379/0"),
                             {"gateway": 2, "rasa": counts[0], "actions": 2})
        try:
            stack.start()
            rasa = f"http://127.0.0.1:{stack.lb_ports['rasa']}"
            asyncio.run(run_all(f"{rasa}/webhooks/rest/webhook", 4, False,
                                Load(f"warm{time.time():.0f}", (0, 0))))
            for count in counts:
                for name in [f"rasa-{n}" for n in range(count + 1, counts[0] + 1)]:
                    stack.stop(name)
                time.sleep(8)  # haproxy's health check (inter 2s, fall 3) takes it out
                rate, turns, booked = asyncio.run(
                    saturation(rasa, customers, f"rep{count}-{time.time():.0f}"))
                rates[count] = rate
                print(f"rasa replicas {count}: {rate:6.1f} turns/s  ({turns} turns, "
                      f"booked {booked}/{customers})", flush=True)
        finally:
            stack.close()
    if 1 in rates and 2 in rates:
        print(f"ratio 2/1: {rates[2] / rates[1]:.2f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway")
    parser.add_argument("--rasa")
    parser.add_argument("--customers", type=int, default=20)
    parser.add_argument("--pause", type=float, nargs=2, default=(1.0, 3.0),
                        metavar=("MIN", "MAX"), help="seconds a paced customer waits per turn")
    parser.add_argument("--replicas", type=int, nargs="+", choices=(1, 2), metavar="N",
                        help="instead: saturation turns/s with N Rasa replicas behind haproxy "
                             "(e.g. --replicas 1 2: both in one run, and their ratio)")
    args = parser.parse_args()
    if args.replicas:
        measure_replicas(args.replicas, args.customers)
        return
    pause = (args.pause[0], args.pause[1])
    if args.gateway and args.rasa:
        asyncio.run(measure(args.gateway, args.rasa, args.customers, pause))
        return
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as folder:
        process, gateway, rasa, db_port = start_stack(Path(folder))
        try:
            asyncio.run(measure(gateway, rasa, args.customers, pause))
        finally:
            process.terminate()
            process.communicate(timeout=60)
            EmbeddedPostgres(Path(folder) / "postgres", db_port).stop()


if __name__ == "__main__":
    main()
