"""`python -m assistant run`: database, migrations, demo data, model, then every process.

The order matters: the database must be up and migrated before anything reads it, and the
model must exist before Rasa starts. The embedded server is stopped whatever happens after it
started, including SIGINT and SIGTERM during start-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import aiohttp
from sqlalchemy.engine import make_url

from assistant.embedded_db import EmbeddedPostgres
from assistant.model_publish import publish_file
from assistant.rasa_model import RASA_VENV, ensure_model
from assistant.seeding import seed_demo
from assistant.settings import PROJECT_ROOT, Settings, client_host
from assistant.supervisor import ChildSpec, Supervisor
from scheduling.persistence.migrate import upgrade

log = logging.getLogger(__name__)


@contextlib.contextmanager
def database(settings: Settings, borrow: bool = False) -> Iterator[str]:
    """The configured server's URL, or an embedded server's, stopped when the block ends.

    `borrow` is for one-off commands (migrate, admin) run beside `make run`: an embedded
    server found running is used and left running for its owner."""
    if settings.database_url:
        yield settings.database_url
        return
    server = EmbeddedPostgres(settings.data_dir / "postgres", settings.embedded_db_port)
    owner = not (borrow and server.is_running())
    server.start()
    try:
        server.create_database(settings.embedded_db_name)
        yield server.url(settings.embedded_db_name)
    finally:
        if owner:
            server.stop()


MODEL_STORE = """
models:
  url: ${MODEL_STORE_URL}
  token: ${RASA_TOKEN}
  wait_time_between_pulls: %d
"""
"""Rasa's model-server endpoint: Rasa sends RASA_TOKEN as `?token=` with If-None-Match."""


def rasa_endpoints(settings: Settings) -> Path:
    """endpoints.yml, plus a Redis lock store when REDIS_URL is set (then Rasa may scale out)
    and the model store when MODEL_STORE_URL is set (then a retrain reaches every replica).

    The file is named by its content and written whole before it is renamed into place, so
    replicas started together from one DATA_DIR never read each other's half-written file."""
    base = PROJECT_ROOT / "endpoints.yml"
    extra = ""
    if settings.redis_url:
        redis = make_url(settings.redis_url)
        extra += (f"\nlock_store:\n  type: redis\n  url: {redis.host}\n"
                  f"  port: {redis.port or 6379}\n  db: {redis.database or 0}\n")
    if settings.model_store_url:
        extra += MODEL_STORE % settings.model_pull_seconds
    if not extra:
        return base
    text = base.read_text() + extra
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    generated = settings.data_dir / f"endpoints-{digest}.yml"
    generated.parent.mkdir(parents=True, exist_ok=True)
    partial = generated.with_suffix(f".{os.getpid()}.tmp")
    partial.write_text(text)
    partial.replace(generated)
    return generated


def tracker_store_env(url: str) -> dict[str, str]:
    """The variables endpoints.yml reads, so Rasa's tracker store shares our database."""
    parsed = make_url(url)
    return {
        "TRACKER_DB_HOST": parsed.host or "127.0.0.1",
        "TRACKER_DB_PORT": str(parsed.port or 5432),
        "TRACKER_DB_NAME": parsed.database or "",
        "TRACKER_DB_USER": parsed.username or "",
        "TRACKER_DB_PASSWORD": parsed.password or "",
    }


def rasa_spec(settings: Settings, url: str, model: Path) -> ChildSpec:
    """Rasa bound to RASA_HOST:RASA_PORT, its tracker store in the database at `url`, calling
    the action server at ACTION_SERVER_URL (see `children` on why it stays on loopback)."""
    return ChildSpec(
        "rasa",
        [
            str(RASA_VENV / "bin" / "python"),
            "-m",
            "rasa_addons",  # Rasa's command line with our fixes (rasa_addons/__main__.py)
            "run",
            "--enable-api",
            # One argument with "=": a random token may begin with "-", which argparse
            # would read as an option ("expected one argument") if it stood alone.
            f"--auth-token={settings.rasa_token.get_secret_value()}",
            "-i",
            settings.rasa_host,
            "-p",
            str(settings.rasa_port),
            "-m",
            str(model),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            str(rasa_endpoints(settings)),
        ],
        PROJECT_ROOT,
        {
            **tracker_store_env(url),
            "ACTION_SERVER_URL": settings.action_server_url,
            "MODEL_STORE_URL": settings.model_store_url or "",
            "RASA_TOKEN": settings.rasa_token.get_secret_value(),
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONUNBUFFERED": "1",
        },
    )


def children(settings: Settings, url: str, model: Path) -> list[ChildSpec]:
    """Rasa, the action server and the gateway, each bound to its own host setting.

    Rasa's HTTP API (trackers with customers' names and phones, `PUT /model` loading any file)
    answers only with RASA_TOKEN as `?token=`. Its REST channel webhook
    (/webhooks/rest/webhook) is not covered by that token in Rasa 3.6: anyone who reaches the
    port can chat as any conversation id, so RASA_HOST must stay a loopback address (the
    default) and the outside world talks to the gateway only. The action server has no
    authentication at all and is kept on ACTION_SERVER_HOST (loopback) for the same reason.
    """
    env = {"DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}
    rasa = rasa_spec(settings, url, model)
    actions = ChildSpec(
        "actions", [sys.executable, "-m", "assistant", "actions"], PROJECT_ROOT, env
    )
    gateway = ChildSpec(
        "gateway", [sys.executable, "-m", "assistant", "gateway"], PROJECT_ROOT, env
    )
    return [rasa, actions, gateway]


async def announce_when_ready(
    settings: Settings, supervisor: Supervisor, limit: float = 300
) -> None:
    """Print the URL to chat once every component answers, or say which do not."""
    ready_url = f"http://{client_host(settings.gateway_host)}:{settings.gateway_port}/ready"
    body: dict[str, object] = {}
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
        for _ in range(int(limit)):
            with contextlib.suppress(aiohttp.ClientError, TimeoutError):
                async with http.get(ready_url) as response:
                    body = await response.json()
                    if response.status == 200:
                        supervisor.say(
                            "supervisor",
                            f"ready: chat at {settings.gateway_url}/ "
                            f"(health: {settings.gateway_url}/health)",
                        )
                        return
            await asyncio.sleep(1)
    supervisor.say("supervisor", f"not ready after {limit:.0f}s: {body}")


def _raise_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def run(settings: Settings) -> int:
    signal.signal(signal.SIGTERM, _raise_on_sigterm)  # unwind (and stop the DB) during start-up
    for note in settings.local_defaults():
        log.info(note)
    with database(settings) as url:
        upgrade(url)
        seed_demo(url)
        model = ensure_model()
        if settings.model_store_url:  # the replicas' store serves what this checkout trained
            asyncio.run(publish_file(url, model))
        supervisor = Supervisor(children(settings, url, model))
        return asyncio.run(supervisor.run(lambda: announce_when_ready(settings, supervisor)))


def serve_rasa(settings: Settings) -> int:
    """`python -m assistant rasa`: this process becomes one Rasa replica (exec), on the
    database DATABASE_URL names. With MODEL_STORE_URL set and no model published yet, the
    local model is published first, so the store is never empty when replicas start."""
    url = settings.database_url
    if not url:
        print("error: DATABASE_URL is unset: a Rasa started alone needs the shared database "
              "(or start everything with `python -m assistant run`)", file=sys.stderr)
        return 2
    model = ensure_model()
    if settings.model_store_url:
        asyncio.run(publish_file(url, model, only_if_empty=True))
    spec = rasa_spec(settings, url, model)
    os.chdir(spec.cwd)
    os.execve(spec.argv[0], spec.argv, {**os.environ, **spec.env})
