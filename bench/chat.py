"""20 concurrent customers book through the gateway; the same conversations straight to Rasa's
REST channel are the baseline, so the gateway's own overhead shows as the difference.

    .venv/bin/python bench/chat.py [--gateway URL --rasa URL] [--customers 20]

With no URLs it starts `python -m assistant run` on free ports (embedded database, temporary
data folder) and stops it afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.embedded_db import EmbeddedPostgres, free_port  # noqa: E402
from tests.gateway.stack import answer_for  # noqa: E402

DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]


def first_message(n: int) -> str:
    return f"I'd like a beard trim next {DAYS[n % len(DAYS)]} at {10 + n % 6}am"


async def conversation(http: aiohttp.ClientSession, url: str, sender: str, n: int,
                       via_gateway: bool, times: list[float]) -> bool:
    said: str | None = first_message(n)
    phone = f"+1212555{n:04d}"
    for _ in range(14):
        if said is None:
            return True
        body = {"sender": sender, "message": said}
        started = time.perf_counter()
        async with http.post(url, json=body) as response:
            data = await response.json()
        times.append(time.perf_counter() - started)
        replies = data["replies"] if via_gateway else data
        reply = " ".join(r.get("text", "") for r in replies)
        said = answer_for(reply, f"Bench Customer{n}", phone)
        if said == "a men's cut next wednesday at 10am":
            said = first_message(n + 1)
    return False


async def run_all(url: str, customers: int, via_gateway: bool, tag: str) -> tuple[list[float], int]:
    times: list[float] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=120)) as http:
        done = await asyncio.gather(*(
            conversation(http, url, f"bench-{tag}-{n}", n, via_gateway, times)
            for n in range(customers)))
    return times, sum(done)


def figures(name: str, times: list[float], booked: int, customers: int) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1] if ordered else 0
    print(f"{name:<22} turns {len(times):4d}  booked {booked}/{customers}  "
          f"p50 {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms")


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


async def measure(gateway: str, rasa: str, customers: int) -> None:
    await run_all(f"{rasa}/webhooks/rest/webhook", 2, False, "warm")
    times, booked = await run_all(f"{gateway}/chat", customers, True, "gw")
    figures("gateway (POST /chat)", times, booked, customers)
    times, booked = await run_all(f"{rasa}/webhooks/rest/webhook", customers, False, "rasa")
    figures("bare Rasa REST", times, booked, customers)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gateway")
    parser.add_argument("--rasa")
    parser.add_argument("--customers", type=int, default=20)
    args = parser.parse_args()
    if args.gateway and args.rasa:
        asyncio.run(measure(args.gateway, args.rasa, args.customers))
        return
    with tempfile.TemporaryDirectory(prefix="bench-chat-") as folder:
        process, gateway, rasa, db_port = start_stack(Path(folder))
        try:
            asyncio.run(measure(gateway, rasa, args.customers))
        finally:
            process.terminate()
            process.communicate(timeout=60)
            EmbeddedPostgres(Path(folder) / "postgres", db_port).stop()


if __name__ == "__main__":
    main()
