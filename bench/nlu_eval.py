"""How the model reads the project's own NLU evaluation set (tests/nlu_eval/*.txt).

Starts a Rasa server on the current model (as bench/nlu_sgd.py does), sends every message of
the four sets to `/model/parse` and prints, for the dev and the held-out split:

- requests: the share of booking requests that start the booking flow (the intents of the
  unconditional rules in data/rules.yml that activate `booking_form`), and the share read `book`;
- answers: answers given inside the booking form, the share that abort it: heard (after
  `actions.answers.heard_as`, as the form hears them) as an intent whose rule leaves the form
  (rules.yml: `action_deactivate_loop` under `active_loop: booking_form`) unless the form reads
  a value from it; and the share the form reads (heard as an intent whose words it reads);
- exits: ways out of a flow, the share heard as an intent that leaves the form;
- offtopic: the share that start a flow (any form), and strictly a booking or a change
  (flow less `inform` and `list_*`).

The split is fixed by the text (crc32 % 3 == 0 is held out), so a new line lands in the same
split on every run. Misses are printed for the dev split only (`--misses`): the held-out
split is never looked at while tuning. The answers are read against the demo salon's catalog
on Wednesday 2026-12-02 09:00 in its zone.

Usage: .venv/bin/python bench/nlu_eval.py [--misses] [--hwu DIR] [--model PATH]
  --hwu DIR also runs DIR/score.py (offtopic_hwu) against the same server.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT))

from actions.answers import heard_as, names_a_value  # noqa: E402
from actions.forms import VALUE_INTENTS  # noqa: E402
from bench.nlu_sgd import Server  # noqa: E402
from scheduling.catalog import normalise  # noqa: E402
from scheduling.demo import demo_catalog  # noqa: E402

SETS = PROJECT / "tests" / "nlu_eval"
ZONE = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=ZONE)
SET_NAMES = ("requests", "answers", "exits", "offtopic")


def split_of(text: str) -> str:
    return "held-out" if zlib.crc32(text.encode()) % 3 == 0 else "dev"


def messages(name: str, leave_out: frozenset[str] = frozenset()) -> list[str]:
    """The set's lines, less those whose normalised text is in `leave_out`."""
    lines = (SETS / f"{name}.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")
            and normalise(line) not in leave_out]


@dataclass(frozen=True)
class Rules:
    """The intents data/rules.yml acts on: which start a form, which leave the booking."""

    starts: dict[str, set[str]]  # form -> intents of unconditional rules activating it
    leaves_booking: set[str]

    @classmethod
    def read(cls, path: Path = PROJECT / "data" / "rules.yml") -> Rules:
        starts: dict[str, set[str]] = {}
        leaves: set[str] = set()
        for rule in yaml.safe_load(path.read_text())["rules"]:
            steps, condition = rule.get("steps", []), rule.get("condition") or []
            intents = set(_intents(steps))
            actions = {step.get("action") for step in steps}
            loops = {step.get("active_loop") for step in steps} - {None}
            if not condition:
                for form in loops:
                    starts.setdefault(form, set()).update(intents)
            elif {"active_loop": "booking_form"} in condition and (
                    "action_deactivate_loop" in actions):
                leaves.update(intents)
        return cls(starts, leaves)

    def flow(self) -> set[str]:
        return set().union(*self.starts.values())


def _intents(steps: Iterable[dict[str, object]]) -> Iterable[str]:
    for step in steps:
        if "intent" in step:
            yield str(step["intent"])
        for alternative in step.get("or", []) or []:  # type: ignore[attr-defined]
            if "intent" in alternative:
                yield str(alternative["intent"])


@dataclass
class Tally:
    n: int = 0
    hits: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, figures: dict[str, bool], miss: str | None) -> None:
        self.n += 1
        for name, hit in figures.items():
            self.hits[name] = self.hits.get(name, 0) + int(hit)
        if miss:
            self.misses.append(miss)

    def share(self, name: str) -> float:
        return self.hits.get(name, 0) / max(self.n, 1)


def evaluate(intent_of: Callable[[str], str], rules: Rules | None = None
             ) -> dict[tuple[str, str], Tally]:
    """Every set's figures by split; `intent_of(text)` is the model's top intent."""
    rules = rules or Rules.read()
    catalog = demo_catalog()
    booking, flow = rules.starts.get("booking_form", set()), rules.flow()
    strict = {i for i in flow if i != "inform" and not i.startswith("list_")}
    tallies: dict[tuple[str, str], Tally] = {}
    seen = training_examples()

    def tally(name: str, text: str) -> Tally:
        return tallies.setdefault((name, split_of(text)), Tally())

    for text in messages("requests", seen):
        intent = intent_of(text)
        tally("requests", text).add({"starts booking": intent in booking, "book": intent == "book"},
                                    None if intent in booking else f"{intent:<24} {text}")
    for text in messages("answers", seen):
        heard = heard_as(intent_of(text), text, catalog, NOW, ZONE)
        read = heard in VALUE_INTENTS  # the form reads the message's values
        aborts = heard in rules.leaves_booking and not (
            read and names_a_value(text, catalog, NOW, ZONE))
        tally("answers", text).add({"aborts": aborts, "read by the form": read},
                                   f"{heard:<24} {text}" if aborts or not read else None)
    for text in messages("exits", seen):
        heard = heard_as(intent_of(text), text, catalog, NOW, ZONE)
        leaves = heard in rules.leaves_booking and heard not in VALUE_INTENTS
        tally("exits", text).add({"leaves": leaves}, None if leaves else f"{heard:<24} {text}")
    for text in messages("offtopic", seen):
        intent = intent_of(text)
        tally("offtopic", text).add({"starts a flow": intent in flow, "strict": intent in strict},
                                    f"{intent:<24} {text}" if intent in flow else None)
    return tallies


def training_examples() -> frozenset[str]:
    """data/nlu.yml's examples, normalised: an evaluation line among them is not scored."""
    data = yaml.safe_load((PROJECT / "data" / "nlu.yml").read_text())["nlu"]
    return frozenset(normalise(line[2:]) for block in data if "examples" in block
                     for line in block["examples"].splitlines() if line.startswith("- "))


def in_training_data() -> set[str]:
    """Evaluation lines that are also examples of data/nlu.yml (should be none)."""
    examples = training_examples()
    return {t for name in SET_NAMES for t in messages(name) if normalise(t) in examples}


def report(tallies: dict[tuple[str, str], Tally], misses: bool) -> None:
    for (name, split), t in sorted(tallies.items(), key=lambda kv: (kv[0][0], kv[0][1] != "dev")):
        shares = "  ".join(f"{figure} {t.share(figure):.3f}" for figure in t.hits)
        print(f"{name:<9} {split:<9} n={t.n:<4} {shares}")
    if misses:
        for (name, split), t in sorted(tallies.items()):
            if split == "dev" and t.misses:
                print(f"\n{name} dev misses ({len(t.misses)}):")
                print("\n".join(f"  {miss}" for miss in t.misses))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="print the dev split's misses")
    parser.add_argument("--hwu", type=Path, help="offtopic_hwu folder: run its score.py too")
    parser.add_argument("--model", type=Path, help="a model file (default: the current data's)")
    args = parser.parse_args()
    overlap = in_training_data()
    server = Server(Path(tempfile.mkdtemp(prefix="nlu-eval-")), args.model)
    try:
        server.wait()
        report(evaluate(server.intent), args.misses)
        if args.hwu:
            subprocess.run([sys.executable, str(args.hwu / "score.py"),
                            f"http://127.0.0.1:{server.port}"], cwd=PROJECT, check=True,
                           env={**os.environ, "RASA_TOKEN": server.token})
    finally:
        server.stop()
    print(f"evaluation lines that are also training examples (not scored): {len(overlap)}"
          + (f" {sorted(overlap)[:10]}" if overlap else ""))


if __name__ == "__main__":
    main()
