"""The action server's /metrics (issue 21): `python -m assistant actions` started as in
production, real action calls sent to its webhook, the scrape parsed with prometheus_client's
parser: each call's latency by action and outcome, an unregistered name counted as `unknown`,
the process's metrics, METRICS_TOKEN asked for."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from assistant.settings import PROJECT_ROOT

pytestmark = pytest.mark.db
TOKEN = "action-metrics-token"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def action_server(database_url: str, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "ACTION_SERVER_PORT": str(port),
           "ACTION_SERVER_HOST": "127.0.0.1", "METRICS_TOKEN": TOKEN,
           "DATA_DIR": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "assistant", "actions"], cwd=PROJECT_ROOT,
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1):
                    break
            except OSError:
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def call(name: str) -> dict[str, object]:
    tracker = {"sender_id": "web:metrics", "slots": {}, "latest_message": {"text": "hi",
               "intent": {"name": "greet"}, "entities": []}, "events": [], "paused": False,
               "followup_action": None, "active_loop": {}, "latest_action_name": None}
    return {"next_action": name, "sender_id": "web:metrics", "tracker": tracker,
            "domain": {}, "version": "3.6.21"}


async def test_action_calls_are_scraped_by_action_and_outcome(action_server: str) -> None:
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as http:
        for name in ("action_answer_question", "action_answer_question", "no_such_action"):
            async with http.post(f"{action_server}/webhook", json=call(name)):
                pass
        async with http.get(f"{action_server}/metrics") as refused:
            assert refused.status == 401
        async with http.get(f"{action_server}/metrics",
                            headers={"Authorization": f"Bearer {TOKEN}"}) as scraped:
            assert scraped.status == 200
            body = await scraped.text()
    samples = [s for family in text_string_to_metric_families(body) for s in family.samples]
    counts = {(s.labels["action"], s.labels["outcome"]): s.value for s in samples
              if s.name == "action_duration_seconds_count"}
    assert sum(n for (action, _), n in counts.items() if action == "action_answer_question") == 2
    assert counts[("unknown", "error")] == 1 and "no_such_action" not in str(counts)
    assert any(s.name == "process_resident_memory_bytes" and s.value > 0 for s in samples)
