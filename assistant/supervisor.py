"""Runs the service's processes together: prefixed logs, restarts, clean stop on signals.

No silent half-running state: a child that dies is reported and restarted; one that keeps dying
(more than `max_restarts` within `window` seconds) stops everything with its error.
Each child gets its own process group, so stopping it also stops whatever it spawned.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import ctypes.util
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

PR_SET_PDEATHSIG = 1  # linux/prctl.h


@dataclass(frozen=True)
class ChildSpec:
    name: str
    argv: list[str]
    cwd: Path
    env: dict[str, str] = field(default_factory=dict)


class ChildFailed(RuntimeError):
    """A child exited more often than the restart budget allows."""

    def __init__(self, name: str, code: int, restarts: int) -> None:
        super().__init__(f"{name} exited with code {code} after {restarts} restart(s); stopping")
        self.name = name


class Supervisor:
    def __init__(
        self,
        children: list[ChildSpec],
        *,
        max_restarts: int = 3,
        window: float = 60.0,
        stop_timeout: float = 15.0,
        out: TextIO = sys.stdout,
    ) -> None:
        self._children = children
        self._max_restarts = max_restarts
        self._window = window
        self._stop_timeout = stop_timeout
        self._out = out
        self._running: dict[str, asyncio.subprocess.Process] = {}
        self._stopping = asyncio.Event()
        self._failure: ChildFailed | None = None
        self._width = max(len(name) for name in ["supervisor", *(c.name for c in children)])

    async def run(self, when_started: Callable[[], Awaitable[None]] | None = None) -> int:
        """Run until a signal (exit 0) or a child out of restarts (exit 1); always stop all."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_stop)
        watchers = [asyncio.create_task(self._keep_running(child)) for child in self._children]
        greeter = asyncio.create_task(when_started()) if when_started else None
        await self._stopping.wait()
        for task in (greeter, *watchers):
            if task is not None:
                task.cancel()
        await asyncio.gather(*watchers, *([greeter] if greeter else []), return_exceptions=True)
        await self._stop_all()
        if self._failure is not None:
            self.say("supervisor", str(self._failure))
            return 1
        self.say("supervisor", "all processes stopped")
        return 0

    def request_stop(self) -> None:
        self._stopping.set()

    def say(self, name: str, line: str) -> None:
        self._out.write(f"{name:<{self._width}} | {line}\n")
        self._out.flush()

    async def _keep_running(self, child: ChildSpec) -> None:
        exits: list[float] = []
        while not self._stopping.is_set():
            code = await self._run_once(child)
            if self._stopping.is_set():
                return
            now = time.monotonic()
            exits = [t for t in exits if now - t < self._window] + [now]
            if len(exits) > self._max_restarts:
                self._failure = ChildFailed(child.name, code, self._max_restarts)
                self._stopping.set()
                return
            self.say(
                "supervisor",
                f"{child.name} exited with code {code}; restarting "
                f"({len(exits)}/{self._max_restarts} in {self._window:.0f}s)",
            )
            await asyncio.sleep(min(2.0 * len(exits), 10.0))

    async def _run_once(self, child: ChildSpec) -> int:
        process = await asyncio.create_subprocess_exec(
            *child.argv,
            cwd=child.cwd,
            env={**os.environ, **child.env},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_die_with_parent,
        )
        self._running[child.name] = process
        self.say("supervisor", f"started {child.name} (pid {process.pid})")
        assert process.stdout is not None  # PIPE was requested just above
        async for raw in process.stdout:
            self.say(child.name, raw.decode(errors="replace").rstrip())
        return await process.wait()

    async def _stop_all(self) -> None:
        alive = [p for p in self._running.values() if p.returncode is None]
        for process in alive:
            _signal_group(process.pid, signal.SIGTERM)
        try:
            await asyncio.wait_for(asyncio.gather(*(p.wait() for p in alive)), self._stop_timeout)
        except TimeoutError:
            for process in alive:
                _signal_group(process.pid, signal.SIGKILL)
            await asyncio.gather(*(p.wait() for p in alive))
        for process in self._running.values():
            _signal_group(process.pid, signal.SIGKILL)  # stragglers a child left behind


def _die_with_parent() -> None:
    """In the child before exec: have Linux send SIGTERM if the supervisor dies, even by
    SIGKILL, so no child outlives it unattended."""
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM))


def _signal_group(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signum)
