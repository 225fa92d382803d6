"""Score the constraint reader on ``tests/timeexpr/constraints_corpus``: right, wrong or blank.

Shared by the regression test (floors) and ``bench/constraints_corpus.py`` (the report). A
case is right when the reader's constraint equals the expected one exactly (or both are
none); *wrong* when it read a different constraint, or one where none was said; *blank* when
it read none where one was said. A wrong constraint is worse than none: every offer then
keeps a rule the customer never stated.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from scheduling.timeexpr.constraint import Constraint
from scheduling.timeexpr.constraints import read_constraint

CORPUS = Path(__file__).with_name("constraints_corpus")
SPLITS = ("dev", "held_out")


def load(split: str) -> list[dict[str, Any]]:
    with (CORPUS / f"{split}.jsonl").open() as lines:
        return [json.loads(line) for line in lines if line.strip()]


def expected(case: dict[str, Any]) -> Constraint | None:
    if case["expect"] is None:
        return None
    found = Constraint.from_json({"zone": case["zone"], **case["expect"]})
    if found is None:
        raise ValueError(f"unreadable expectation for {case['text']!r}")
    return found


def judge(case: dict[str, Any]) -> tuple[str, Constraint | None]:
    """("right" | "wrong" | "blank", what was read) for one case."""
    zone = ZoneInfo(case["zone"])
    now = datetime.fromisoformat(case["now"]).replace(tzinfo=zone)
    got, want = read_constraint(case["text"], now, zone), expected(case)
    if got == want:
        return "right", got
    return ("blank" if got is None else "wrong"), got


@dataclass
class Score:
    total: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    misses: list[tuple[str, str, Constraint | None]] = field(default_factory=list)

    def rate(self, verdict: str) -> float:
        return self.total[verdict] / max(1, sum(self.total.values()))


def score(cases: list[dict[str, Any]]) -> Score:
    result = Score()
    for case in cases:
        verdict, got = judge(case)
        result.total[verdict] += 1
        result.by_kind.setdefault(case["kind"], Counter())[verdict] += 1
        if verdict != "right":
            result.misses.append((case["text"], verdict, got))
    return result
