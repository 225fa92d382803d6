"""`python -m assistant run` for real: up, healthy, chatting, and clean after a signal.

Starts the embedded database, Rasa (from .venv-rasa), the action server and the gateway on free
ports with a temporary data folder, exactly as `make run` does.
"""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.embedded_db import EmbeddedPostgres, free_port
from tests.stack import READY, RunningAssistant

pytestmark = [pytest.mark.slow, pytest.mark.rasa, pytest.mark.db]


def get_json(url: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, json.loads(response.read())


def post_json(url: str, body: object) -> object:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def pgdata(tmp_path: Path) -> Path:
    return tmp_path / "data" / "postgres"


@pytest.fixture
def service(tmp_path: Path, pgdata: Path) -> Iterator[tuple[RunningAssistant, int]]:
    """The run on an embedded database of its own (no DATABASE_URL), and that server's port."""
    db_port = free_port()
    running = RunningAssistant(tmp_path / "data", EMBEDDED_DB_PORT=str(db_port))
    yield running, db_port
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()
    EmbeddedPostgres(pgdata, db_port).stop()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_run_comes_up_healthy_and_stops_clean(
    service: tuple[RunningAssistant, int], pgdata: Path, signum: signal.Signals
) -> None:
    running, db_port = service
    url = running.wait_for(READY, timeout=420).group(1).rstrip("/")
    status, health = get_json(f"{url}/health")
    assert status == 200
    assert {name: c["status"] for name, c in health["components"].items()} == {
        "database": "ok",
        "rasa": "ok",
        "action_server": "ok",
    }
    reply = post_json(
        f"{running.rasa_url}/webhooks/rest/webhook", {"sender": "e2e", "message": "hello"}
    )
    assert reply and "book" in reply[0]["text"]  # type: ignore[index]

    assert running.finish(signum) == 0
    pids = running.child_pids()
    assert len(pids) == 3
    time.sleep(0.5)
    assert [pid for pid in pids if alive(pid)] == []
    server_log = (pgdata / "server.log").read_text()
    output = running.output(80)
    assert not (pgdata / "postmaster.pid").exists(), (
        f"{output}\n--- server.log ---\n{server_log[-3000:]}"
    )
    assert "database system is shut down" in server_log

    again = EmbeddedPostgres(pgdata, db_port)
    again.start()
    again.stop()
    log = (pgdata / "server.log").read_text()
    assert "not properly shut down" not in log and "automatic recovery" not in log
