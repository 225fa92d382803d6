"""Several replicas of each process on one machine, behind the haproxy the deployment ships
(deploy/haproxy/haproxy.cfg): what `tests/e2e/test_replicas.py` proves and `bench/chat.py
--replicas` measures. Each process is started alone (`python -m assistant gateway|rasa|actions`)
with the settings compose gives it, on free ports, its output in a file of its own.

haproxy's configuration names two servers of each kind; with one replica of a kind both lines
name the same process, which is then simply the only server.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.error import URLError

from assistant.embedded_db import free_port
from assistant.settings import PROJECT_ROOT

HAPROXY_CFG = PROJECT_ROOT / "deploy" / "haproxy" / "haproxy.cfg"
KINDS = {"gateway": "GATEWAY", "rasa": "RASA", "actions": "ACTION_SERVER"}
"""`python -m assistant` command -> the prefix of its port setting."""
LB_KEYS = {"gateway": "GATEWAY", "rasa": "RASA", "actions": "ACTIONS"}


class ReplicaStack:
    """Start with `start()`, stop with `close()` (every process, whatever state it is in)."""

    def __init__(self, folder: Path, database_url: str, redis_url: str,
                 replicas: dict[str, int]) -> None:
        self.folder, self.replicas = folder, replicas
        self.lb_ports = {kind: free_port() for kind in KINDS}
        self.ports = {f"{kind}-{n}": free_port() for kind, count in replicas.items()
                      for n in range(1, count + 1)}
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.token = "-replicas-token-" + os.urandom(8).hex()  # '-' first, as Rasa must take
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "SECRET_KEY": os.urandom(24).hex(),
            "RASA_TOKEN": self.token,
            "RASA_URL": f"http://127.0.0.1:{self.lb_ports['rasa']}",
            "ACTION_SERVER_URL": f"http://127.0.0.1:{self.lb_ports['actions']}/webhook",
            "MODEL_STORE_URL": f"{self.url}/model-store/rasa",
            "MODEL_PULL_SECONDS": "2",
            "PUBLIC_URL": self.url,
            "PYTHONUNBUFFERED": "1",
        }

    @property
    def url(self) -> str:
        """The balancer's customer-facing address."""
        return f"http://127.0.0.1:{self.lb_ports['gateway']}"

    def direct(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def start(self, timeout: float = 900) -> None:
        """Actions, gateways, the balancer, then Rasa (pulling the published model through
        the balancer); returns once every process answers its health check."""
        subprocess.run([sys.executable, "-m", "assistant", "train-if-changed"], cwd=PROJECT_ROOT,
                       env=self.env, check=True, capture_output=True, timeout=timeout)
        for kind in ("actions", "gateway"):
            for name in self._names(kind):
                self._spawn(name)
        self._balancer()
        for name in self._names("rasa"):
            self._spawn(name)
        deadline = time.monotonic() + timeout
        for name in self.ports:
            self.wait_healthy(name, deadline)
        self.wait_balanced(deadline)

    def wait_balanced(self, deadline: float) -> None:
        """Until haproxy routes to each kind: it marks a server up only after its health
        checks pass (`rise`), seconds after the process itself answers."""
        paths = {"gateway": "/health", "rasa": "/", "actions": "/health"}
        for kind, path in paths.items():
            while not _answers(f"http://127.0.0.1:{self.lb_ports[kind]}{path}"):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the balancer routes no {kind}:\n{self.log('haproxy')}")
                time.sleep(0.5)

    def _names(self, kind: str) -> list[str]:
        return [name for name in self.ports if name.startswith(f"{kind}-")]

    def _spawn(self, name: str) -> None:
        kind = name.split("-")[0]
        data_dir = self.folder / name
        data_dir.mkdir(exist_ok=True)
        env = {**self.env, f"{KINDS[kind]}_PORT": str(self.ports[name]), "DATA_DIR": str(data_dir)}
        with open(self.folder / f"{name}.log", "ab") as log:
            self.processes[name] = subprocess.Popen(
                [sys.executable, "-m", "assistant", kind], cwd=PROJECT_ROOT, env=env,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def _balancer(self) -> None:
        env = {**self.env, **{f"LB_{LB_KEYS[k]}_BIND": f"127.0.0.1:{p}"
                              for k, p in self.lb_ports.items()}}
        for kind, key in LB_KEYS.items():
            names = self._names(kind)
            for n in (1, 2):  # one replica: both server lines name it
                env[f"{key}_{n}"] = f"127.0.0.1:{self.ports[names[min(n, len(names)) - 1]]}"
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        with open(self.folder / "haproxy.log", "ab") as log:
            self.processes["haproxy"] = subprocess.Popen(
                [haproxy, "-db", "-f", str(HAPROXY_CFG)], env=env, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)

    def health_url(self, name: str) -> str:
        if name.startswith("rasa-"):
            return f"{self.direct(name)}/status?token={self.token}"
        return f"{self.direct(name)}/health"

    def wait_healthy(self, name: str, deadline: float) -> None:
        while time.monotonic() < deadline and self.processes[name].poll() is None:
            if _answers(self.health_url(name)):
                return
            time.sleep(1)
        raise RuntimeError(f"{name} not healthy:\n{self.log(name)}")

    def log(self, name: str, last: int = 40) -> str:
        path = self.folder / f"{name}.log"
        lines = path.read_text(errors="replace").splitlines() if path.exists() else []
        return "\n".join(lines[-last:])

    def stop(self, name: str, signum: signal.Signals = signal.SIGTERM) -> int:
        """Stop one process (its whole session) and wait for it; its exit code."""
        process = self.processes[name]
        if process.poll() is None:
            os.killpg(process.pid, signum)
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return process.wait(timeout=30)

    def close(self) -> None:
        for name in reversed(list(self.processes)):
            self.stop(name)


def _answers(url: str) -> bool:
    """True when `url` answers 200 within 5 s."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except (URLError, OSError):
        return False
