"""How the assistant reads real booking requests: SGD Services dev turns through the model.

Starts a Rasa server on the current model (`rasa run --enable-api`, no action server needed),
sends every user turn of /work/shared/eval/sgd_services/dev.jsonl that carries an appointment
date or time span to `/model/parse`, and reads the time the way the booking form does
(`actions.parsing.when_in` on the whole message, only when the intent is one the form reads
values from). Prints:

- the share of annotated date/time spans the assistant resolves to the same value as
  `scheduling.timeexpr` gives the span itself (same date for dates, same HH:MM for times);
- each dialogue's first BookAppointment turn, two ways:
  - alone (the old measure): the share whose intent is `book`, and whose intent is one that
    starts the booking flow on its own (`book`, `inform`, `join_waitlist`);
  - in context (the honest measure): whether our dialogue policy's next action after the turn
    is `booking_form`. Before the turn, the conversation holds our bot's own counterpart of the
    dialogue's previous system turn (`context_events`): where the system asked whether to book
    ("Would you like to make an appointment?"), our answer that asks it ("Do you do women's
    cuts?" -> "Yes: ... Would you like to book one?"); where it asked "anything else?", our
    `utter_anything_else`; any other system turn (a provider found, an address, the weather),
    our answer to a question that asks nothing; the dialogue's first turn, an empty
    conversation. Only the policy's prediction is read (`/conversations/{id}/predict`): no
    action runs. "Yes, please" is then a booking exactly when our bot would have asked.

The dialogues' "today" is Friday 2019-03-01 09:00 in Los Angeles (as in score_timeexpr.py).
Usage: .venv/bin/python bench/nlu_sgd.py [--data PATH] [--misses] [--model PATH]
"""

from __future__ import annotations

import argparse
import json
import re
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
ASKS_TO_BOOK = re.compile(
    r"(?=.*\b(book|make|set|schedule|reserve|arrange|visit|appointment|opening)\w*\b)"
    r"(.*\?\s*$|(would|do|shall|should|want|can|may)\b|.*\b(if you (like|want|wish)"
    r"|you may want to)\b)", re.I)
ASKS_ANYTHING_ELSE = re.compile(r"\b(anything else|what else|else (can|could) i)\b", re.I)
OUR_OFFER = "Yes: Women's cut, 45 minutes, $65.00. Would you like to book one?"


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

    def __init__(self, folder: Path, model: Path | None = None) -> None:
        self.port, self.token = free_port(), secrets.token_urlsafe(32)
        endpoints = folder / "endpoints.yml"
        endpoints.write_text("{}\n")
        self.log = folder / "rasa.log"
        self.process = subprocess.Popen(
            [str(RASA_VENV / "bin" / "rasa"), "run", "--enable-api",
             "-m", str(model or ensure_model()), f"--auth-token={self.token}",
             "-p", str(self.port), "-i", "127.0.0.1",
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
        return str(self.post("model/parse", {"text": text})["intent"]["name"])

    def next_action(self, conversation: str, before: list[dict[str, Any]], text: str) -> str:
        """The action our policy predicts after `text`, said after the events `before`."""
        self.post(f"conversations/{conversation}/tracker/events", before)
        self.post(f"conversations/{conversation}/messages", {"text": text, "sender": "user"})
        scores = self.post(f"conversations/{conversation}/predict", None)["scores"]
        return str(max(scores, key=lambda s: s["score"])["action"])

    def post(self, path: str, payload: Any) -> Any:
        request = urllib.request.Request(
            self.url(path), data=json.dumps(payload).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}?token={self.token}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def context_events(system: str | None) -> list[dict[str, Any]]:
    """Our bot's counterpart of the dialogue's previous system turn, as tracker events."""
    if not system:
        return []
    if ASKS_TO_BOOK.match(system):
        said, action, offered = OUR_OFFER, "action_answer_question", True
    elif ASKS_ANYTHING_ELSE.search(system):
        said, action, offered = "Is there anything else I can help you with?", (
            "utter_anything_else"), None
    else:
        said, action, offered = "We're at 12 Main Street.", "action_answer_question", None
    question = "do you do women's cuts?" if offered else "where are you?"
    intent = "ask_services" if offered else "ask_address"
    events: list[dict[str, Any]] = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": question,
         "parse_data": {"intent": {"name": intent, "confidence": 1.0}, "entities": []}},
        {"event": "action", "name": action},
        {"event": "bot", "text": said},
    ]
    if action == "action_answer_question":
        events.append({"event": "slot", "name": "booking_offered", "value": offered})
    return [*events, {"event": "action", "name": "action_listen"}]


def in_context(server: Server, rows: list[dict[str, Any]]) -> tuple[int, list[str]]:
    """How many first booking turns start the booking form after our counterpart of the
    system's previous turn, and the misses (the next action, our turn before, the text)."""
    started, misses = 0, []
    for number, row in enumerate(rows):
        system = row["prev_system_utterance"]
        action = server.next_action(f"sgd-{number}-{row['dialogue_id']}",
                                    context_events(system), row["utterance"])
        started += action == "booking_form"
        if action != "booking_form":
            misses.append(f"{action:<22} {system!r} -> {row['utterance']!r}")
    return started, misses


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
    parser.add_argument("--misses", action="store_true", help="print the in-context misses")
    parser.add_argument("--model", type=Path, help="a model file (default: the current data's)")
    args = parser.parse_args()
    timed, first = turns(args.data)
    folder = Path(tempfile.mkdtemp(prefix="nlu-sgd-"))
    server = Server(folder, args.model)
    try:
        server.wait()
        started = time.perf_counter()
        counts = score_times(server, timed)
        intents = Counter(server.intent(row["utterance"]) for row in first)
        started, misses = in_context(server, first)
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
    print(f"first BookAppointment turns: {len(first)}; alone (old measure): intent book "
          f"{booking / len(first):.3f}, intent starts the booking flow {flow / len(first):.3f}; "
          f"others: {dict((k, v) for k, v in intents.most_common() if k not in FLOW)}")
    print(f"in context (after our bot's counterpart of the system's turn): the booking form "
          f"starts {started}/{len(first)} = {started / len(first):.3f}")
    if args.misses:
        print("\n".join(f"  {miss}" for miss in misses))
    print(f"parse + read time: {1000 * elapsed / (len(timed) + 2 * len(first)):.1f} ms per turn")


if __name__ == "__main__":
    main()
