"""The supervisor with real child processes: prefixes, restarts, giving up, clean stop."""

from __future__ import annotations

import asyncio
import io
import os
import re
import sys
from pathlib import Path

from assistant.supervisor import ChildSpec, Supervisor

HERE = Path(__file__).parent


def python(name: str, code: str) -> ChildSpec:
    return ChildSpec(name, [sys.executable, "-u", "-c", code], HERE)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_output_is_prefixed_and_stop_ends_every_child() -> None:
    out = io.StringIO()
    sleeper = python("sleeper", "import time; print('up', flush=True); time.sleep(60)")
    supervisor = Supervisor([sleeper, python("x", "import time; time.sleep(60)")], out=out)

    async def stop_soon() -> None:
        while not re.search(r"^sleeper +\| up$", out.getvalue(), re.MULTILINE):
            await asyncio.sleep(0.05)
        supervisor.request_stop()

    assert await asyncio.wait_for(supervisor.run(stop_soon), 20) == 0
    assert re.search(r"^sleeper    \| up$", out.getvalue(), re.MULTILINE)  # aligned prefix
    assert "all processes stopped" in out.getvalue()


async def test_grandchildren_are_stopped_with_their_parent(tmp_path: Path) -> None:
    pid_file = tmp_path / "grandchild.pid"
    code = (
        "import subprocess, sys, time\n"
        "p = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(p.pid))\n"
        "time.sleep(60)\n"
    )
    supervisor = Supervisor([python("parent", code)], out=io.StringIO())

    async def stop_when_spawned() -> None:
        while not pid_file.exists() or not pid_file.read_text():
            await asyncio.sleep(0.05)
        supervisor.request_stop()

    assert await asyncio.wait_for(supervisor.run(stop_when_spawned), 20) == 0
    grandchild = int(pid_file.read_text())
    for _ in range(50):
        if not pid_alive(grandchild):
            break
        await asyncio.sleep(0.05)
    assert not pid_alive(grandchild)


async def test_a_crashing_child_is_restarted_then_stops_everything() -> None:
    out = io.StringIO()
    crasher = python("crasher", "import sys; print('boom', flush=True); sys.exit(3)")
    steady = python("steady", "import time; time.sleep(60)")
    supervisor = Supervisor([crasher, steady], max_restarts=2, window=60, out=out)

    code = await asyncio.wait_for(supervisor.run(), 30)

    log = out.getvalue()
    assert code == 1
    assert log.count("crasher    | boom") == 3  # first run + 2 restarts
    assert "crasher exited with code 3; restarting (1/2" in log
    assert "crasher exited with code 3 after 2 restart(s); stopping" in log


def test_children_die_when_the_supervisor_is_killed(tmp_path: Path) -> None:
    """SIGKILL gives the supervisor no chance to clean up; the kernel must stop its children."""
    import signal
    import subprocess
    import time

    script = (
        "import asyncio, sys\n"
        "from pathlib import Path\n"
        "from assistant.supervisor import ChildSpec, Supervisor\n"
        "sleep = [sys.executable, '-c', 'import time; time.sleep(120)']\n"
        "child = ChildSpec('sleeper', sleep, Path('.'))\n"
        "asyncio.run(Supervisor([child]).run())\n"
    )
    supervisor = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    assert supervisor.stdout is not None
    line = supervisor.stdout.readline()
    child = int(re.search(r"\(pid (\d+)\)", line).group(1))  # type: ignore[union-attr]
    supervisor.send_signal(signal.SIGKILL)
    supervisor.wait()
    for _ in range(100):
        if not pid_alive(child):
            break
        time.sleep(0.05)
    assert not pid_alive(child)
