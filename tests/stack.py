"""`python -m assistant run` as the end-to-end tests run it: on free ports, output kept.

Shared by the start/stop test, the conversation tests and the channel tests, so there is one
way to start the whole system, wait for it, stop it and clean up after it.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

from assistant.embedded_db import free_port
from assistant.settings import PROJECT_ROOT
from scheduling.persistence import tables

READY = re.compile(r"ready: chat at (\S+)")
STARTED = re.compile(r"started (\w+) \(pid (\d+)\)")


class RunningAssistant:
    """The whole system in a subprocess. `env` adds settings; without DATABASE_URL in it, the
    run uses an embedded server in `data_dir`."""

    def __init__(self, data_dir: Path, **env: str) -> None:
        self.data_dir, self.env = data_dir, env
        self.gateway_port, self.rasa_port = free_port(), free_port()
        self.action_server_port = free_port()
        settings = {
            "DATA_DIR": str(data_dir),
            "GATEWAY_PORT": str(self.gateway_port),
            "RASA_PORT": str(self.rasa_port),
            "ACTION_SERVER_PORT": str(self.action_server_port),
        }
        inherited = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "run"],
            cwd=PROJECT_ROOT,
            env={**inherited, **settings, **env},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._seen = 0  # lines before this index were already offered to a `wait_for`
        self._more = threading.Condition()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        """Read the run's output for its whole life. Reading it only while waiting for a line
        left the pipe unread after "ready": in a long test the pipe filled and every process of
        the run blocked on its next log line."""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._more:
                self.lines.append(line)
                self._more.notify_all()
        with self._more:
            self._more.notify_all()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.gateway_port}"

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def rasa_token(self) -> str:
        """What Rasa's HTTP API wants as `?token=`: RASA_TOKEN, or the one the run generated."""
        given = self.env.get("RASA_TOKEN") or os.environ.get("RASA_TOKEN")
        return given or (self.data_dir / "rasa_token").read_text().strip()

    def wait_for(self, pattern: re.Pattern[str], timeout: float = 600) -> re.Match[str]:
        """The first output line after the last one matched that matches `pattern`;
        RuntimeError with the output if none comes in `timeout` or the run ends first."""
        deadline = time.monotonic() + timeout
        with self._more:
            while True:
                for index in range(self._seen, len(self.lines)):
                    if match := pattern.search(self.lines[index]):
                        self._seen = index + 1
                        return match
                self._seen = len(self.lines)
                left = deadline - time.monotonic()
                if left <= 0 or not self._reader.is_alive():
                    break
                self._more.wait(min(left, 1.0))
        raise RuntimeError(f"no {pattern.pattern!r} in {timeout}s:\n{self.output(60)}")

    def wait_ready(self, timeout: float = 600) -> None:
        self.wait_for(READY, timeout)

    def finish(self, signum: signal.Signals = signal.SIGTERM) -> int:
        """Signal the run and wait for it to stop; its exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signum)
        code = self.process.wait(timeout=60)
        self._reader.join(timeout=30)
        return code

    def child_pids(self) -> list[int]:
        return [int(m.group(2)) for line in self.lines if (m := STARTED.search(line))]

    def output(self, last: int) -> str:
        with self._more:
            return "".join(self.lines[-last:])


def truncate_all(database_url: str) -> None:
    """Empty every mapped table (what a run seeded and what the tests created)."""
    names = ", ".join(f'"{t.name}"' for t in tables.metadata.sorted_tables)
    with psycopg.connect(database_url, autocommit=True) as connection:
        connection.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")


def query(database_url: str, sql: str, *args: object) -> list[tuple[object, ...]]:
    with psycopg.connect(database_url) as connection:
        return connection.execute(sql, args).fetchall()  # type: ignore[arg-type]
