"""The command-line contract the evaluation tools rely on: JSON lines in, JSON lines out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(lines: list[str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scheduling.timeexpr", *args],
        input="".join(line + "\n" for line in lines), capture_output=True, text=True,
        cwd=ROOT, timeout=60, check=False,
    )


def test_one_row_a_line_in_order() -> None:
    texts = ["next Friday", "quarter to 6 in the evening", "between 2 and 4pm", "no time here"]
    done = run([json.dumps({"text": t}) for t in texts],
               "--now", "2026-11-21T10:00:00-05:00", "--tz", "America/New_York")
    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows == [
        {"text": "next Friday", "start": "2026-11-27T00:00:00-05:00", "end": None,
         "grain": "day"},
        {"text": "quarter to 6 in the evening", "start": "2026-11-21T17:45:00-05:00",
         "end": None, "grain": "minute"},
        {"text": "between 2 and 4pm", "start": "2026-11-21T14:00:00-05:00",
         "end": "2026-11-21T16:00:00-05:00", "grain": "minute"},
        {"text": "no time here", "start": None, "end": None, "grain": None},
    ]


def test_now_in_another_offset_answers_in_the_given_zone() -> None:
    done = run([json.dumps({"text": "tomorrow"})],
               "--now", "2019-03-01T17:00:00+00:00", "--tz", "America/Los_Angeles")
    assert json.loads(done.stdout)["start"] == "2019-03-02T00:00:00-08:00"


def test_bad_lines_keep_the_rows_aligned() -> None:
    done = run(["not json", json.dumps({"text": "today"})],
               "--now", "2026-11-21T10:00:00+00:00", "--tz", "Europe/London")
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(rows) == 2 and rows[0]["start"] is None and "error" in rows[0]
    assert rows[1]["start"] == "2026-11-21T00:00:00+00:00"


def test_missing_arguments_fail() -> None:
    done = run([], "--tz", "Europe/London")
    assert done.returncode != 0 and "--now" in done.stderr
