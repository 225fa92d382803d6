"""The embedded server's own idea of whether it runs: read from postmaster.pid, so a stop never
skips a live server (a `pg_ctl status` that answered "not running" under load once left the
server of `make run` up with its data folder locked)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.embedded_db import EmbeddedPostgres, free_port

pytestmark = [pytest.mark.db, pytest.mark.slow]


def test_a_started_server_is_running_and_stop_leaves_no_pid_file(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / "pg", free_port())
    server.start()
    try:
        assert server.is_running()
    finally:
        server.stop()
    assert not server.is_running()
    assert not (tmp_path / "pg" / "postmaster.pid").exists()


def test_a_pid_file_naming_a_dead_or_no_process_is_not_running(tmp_path: Path) -> None:
    server = EmbeddedPostgres(tmp_path / "pg", free_port())
    (tmp_path / "pg").mkdir()
    pid_file = tmp_path / "pg" / "postmaster.pid"
    assert not server.is_running()
    pid_file.write_text("not a number\n")
    assert not server.is_running()
    dead = os.fork()
    if dead == 0:
        os._exit(0)
    os.waitpid(dead, 0)
    pid_file.write_text(f"{dead}\n{tmp_path}\n")
    assert not server.is_running()
    server.stop()  # says it was stopped from outside, and does not fail
    pid_file.write_text(f"{os.getpid()}\n{tmp_path}\n")
    assert server.is_running()
