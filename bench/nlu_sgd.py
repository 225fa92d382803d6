"""How the assistant reads real booking requests: SGD Services dev turns through the model.

Starts a Rasa server on the current model (`rasa run --enable-api`, no action server needed),
sends every user turn of /work/shared/eval/sgd_services/dev.jsonl that carries an appointment
date or time span to `/model/parse`, and reads the time the way the booking form does
(`actions.parsing.when_in` on the whole message, only when the intent is one the form reads
values from). Prints:

- the share of annotated date/time spans the assistant resolves to the same value as
  `scheduling.timeexpr` gives the span itself (same date for dates, same HH:MM for times);
- the share of each dialogue's first BookAppointment turn recognised as booking (intent
  `book`), and as anything that starts the booking flow (`book`, `inform`, `join_waitlist`).

The dialogues' "today" is Friday 2019-03-01 09:00 in Los Angeles (as in score_timeexpr.py).
Usage: .venv/bin/python bench/nlu_sgd.py [--data PATH]
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from actions.forms import VALUE_INTENTS  # noqa: E402
from actions.parsing import when_in  # noqa: E402
from assistant.embedded_db import free_port  # noqa: E402
from assistant.rasa_model import RASA_VENV, ensure_model  # noqa: E402
from scheduling.timeexpr import resolve  # noqa: E402

DATA = Path("/work/shared/eval/sgd_services/dev.jsonl")
TZ = ZoneInfo("America/Los_Angeles")
NOW = datetime(2019, 3, 1, 9, 0, tzinfo=TZ)
SLOTS = {"appointment_date": "date", "appointment_time": "time"}
FLOW = {"book", "inform", "join_waitlist"}


def turns(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Turns with date/time spans, and each dialogue's first BookAppointment turn."""
    timed, first, seen = [], [], set()
    for line in path.open():
        row = json.loads(line)
        if any(s["slot"] in SLOTS for s in row.get("span_slots") or []):
            timed.append(row)
        if row.get("active_intent") == "BookAppointment" and row["dialogue_id"] not in seen:
            seen.add(row["dialogue_id"])
            first.append(row)
    return timed, first


class Server:
    """Rasa with the model only: empty endpoints (no tracker store or action server needed),
    its HTTP API behind a token made for this run, as `assistant run` starts it."""

    def __init__(self, folder: Path) -> None:
        self.port, self.token = free_port(), secrets.token_urlsafe(32)
        endpoints = folder / "endpoints.yml"
        endpoints.write_text("{}\n")
        self.log = folder / "rasa.log"
        self.process = subprocess.Popen(
            [str(RASA_VENV / "bin" / "rasa"), "run", "--enable-api", "-m", str(ensure_model()),
             f"--auth-token={self.token}", "-p", str(self.port), "-i", "127.0.0.1",
             "--endpoints", str(endpoints)],
            cwd=PROJECT, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
        )

    def wait(self, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                with urllib.request.urlopen(self.url("status"), timeout=5):
                    return
            except OSError:
                time.sleep(1)
        raise RuntimeError("Rasa did not start:\n" + self.log.read_text()[-2000:])

    def intent(self, text: str) -> str:
        request = urllib.request.Request(
            self.url("model/parse"), data=json.dumps({"text": text}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(json.loads(response.read())["intent"]["name"])

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def value(moment: datetime, kind: str) -> str:
    local = moment.astimezone(TZ)
    return local.date().isoformat() if kind == "date" else f"{local:%H:%M}"


def score_times(server: Server, rows: list[dict[str, Any]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for row in rows:
        intent = server.intent(row["utterance"])
        found = when_in(row["utterance"], NOW, TZ) if intent in VALUE_INTENTS else None
        for span in row["span_slots"]:
            kind = SLOTS.get(span["slot"])
            gold = resolve(span["value"], NOW, TZ) if kind else None
            if kind is None:
                continue
            if gold is None:
                counts["span unresolvable"] += 1
                continue
            counts[f"{kind} spans"] += 1
            if found is not None and value(found.start, kind) == value(gold.start, kind):
                counts[f"{kind} same"] += 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    timed, first = turns(args.data)
    folder = Path(tempfile.mkdtemp(prefix="nlu-sgd-"))
    server = Server(folder)
    try:
        server.wait()
        started = time.perf_counter()
        counts = score_times(server, timed)
        intents = Counter(server.intent(row["utterance"]) for row in first)
        elapsed = time.perf_counter() - started
    finally:
        server.stop()
    spans = counts["date spans"] + counts["time spans"]
    same = counts["date same"] + counts["time same"]
    print(f"turns with date/time spans: {len(timed)}; spans scored: {spans} "
          f"({counts['span unresolvable']} annotated spans timeexpr cannot resolve, left out)")
    print(f"date/time read as annotated: {same}/{spans} = {same / max(spans, 1):.3f} "
          f"(dates {counts['date same']}/{counts['date spans']}, "
          f"times {counts['time same']}/{counts['time spans']})")
    booking = intents["book"]
    flow = sum(intents[name] for name in FLOW)
    print(f"first BookAppointment turns: {len(first)}; intent book: {booking / len(first):.3f}; "
          f"starts the booking flow: {flow / len(first):.3f}; others: "
          f"{dict((k, v) for k, v in intents.most_common() if k not in FLOW)}")
    print(f"parse + read time: {1000 * elapsed / (len(timed) + len(first)):.1f} ms per turn")


if __name__ == "__main__":
    main()
