"""The action server's composition: bookings in conversation see the owner's Google time."""

from __future__ import annotations

import subprocess
import sys

import pytest

from actions.runtime import Runtime
from assistant.action_server import busy_source
from assistant.settings import Settings
from calendar_sync.busy import GoogleBusyTimes
from scheduling.occupancy import StaticBusyTimes


def test_without_google_there_is_no_busy_source() -> None:
    assert busy_source(Settings(google_client_id=None, google_client_secret=None)) is None


def test_with_google_the_source_is_built_on_the_runtimes_sessions() -> None:
    build = busy_source(Settings(google_client_id="id", google_client_secret="secret"))
    assert build is not None
    runtime = Runtime()
    runtime.configure("postgresql://u@127.0.0.1:1/none", build)
    assert isinstance(runtime.uow().busy, GoogleBusyTimes)


def test_every_unit_of_work_gets_the_configured_source() -> None:
    source = StaticBusyTimes([])
    runtime = Runtime()
    runtime.configure("postgresql://u@127.0.0.1:1/none", lambda factory: source)
    assert runtime.uow().busy is source
    runtime.configure("postgresql://u@127.0.0.1:1/none")
    assert runtime.uow().busy is None


@pytest.mark.parametrize("module", ["assistant.action_server", "assistant.gateway.app",
                                    "assistant.run", "assistant.admin_cli",
                                    "calendar_sync.__main__", "assistant.gateway.api.auth",
                                    "assistant.gateway.twilio_sms", "assistant.jobs",
                                    "assistant.worker", "assistant.action_metrics"])
def test_each_process_entry_imports_on_its_own(module: str) -> None:
    """Each process starts from a fresh interpreter: an import cycle that the test session's
    import order happens to hide must still fail here (one stopped the action server)."""
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True,
                            text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
