"""Interval jobs run at once and repeatedly, and a run in flight outlives the stop."""

from __future__ import annotations

import asyncio

from assistant.interval import every


async def test_a_run_in_flight_finishes_before_the_block_is_left() -> None:
    started, finished = asyncio.Event(), []

    async def job() -> None:
        started.set()
        await asyncio.sleep(0.2)
        finished.append(True)

    async with every(60, job, "slow"):
        await asyncio.wait_for(started.wait(), 5)  # the first run starts at once
    assert finished == [True]


async def test_runs_repeat_and_never_overlap() -> None:
    running, most, runs = [0], [0], []

    async def job() -> None:
        running[0] += 1
        most[0] = max(most[0], running[0])
        await asyncio.sleep(0.05)
        running[0] -= 1
        runs.append(1)

    async with every(0.01, job, "fast"):
        while len(runs) < 3:
            await asyncio.sleep(0.01)
    assert most == [1] and running == [0]
