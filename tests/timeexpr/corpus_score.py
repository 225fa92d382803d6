"""Score a time resolver on the corpus in ``tests/timeexpr/corpus``: right, wrong or blank.

Shared by the regression test (floors) and ``bench/timeexpr_corpus.py`` (the report). A
wrong value is worse than a blank: the bot then offers a time the customer did not ask for,
so the two are counted apart.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

CORPUS = Path(__file__).with_name("corpus")
SPLITS = ("dev", "held_out")
_FORMATS = {"day": "%Y-%m-%d", "hour": "%Y-%m-%dT%H", "minute": "%Y-%m-%dT%H:%M"}

# text, now (aware, in the zone), zone -> (start, end) or None
Resolver = Callable[[str, datetime, ZoneInfo], tuple[datetime, datetime | None] | None]


def load(split: str) -> list[dict[str, object]]:
    with (CORPUS / f"{split}.jsonl").open() as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _same(got: datetime, want: str, grain: str) -> bool:
    return got.strftime(_FORMATS[grain]) == datetime.fromisoformat(want).strftime(_FORMATS[grain])


def _end_ok(got: datetime | None, want: str, grain: str) -> bool:
    """A day end may be inclusive (that day) or exclusive (00:00 of the next)."""
    if got is None:
        return False
    if grain == "day" and got == datetime.fromisoformat(want) + timedelta(days=1):
        return True
    return _same(got, want, grain)


def judge(case: dict[str, object], resolver: Resolver) -> str:
    """"right", "wrong" or "blank" for one case."""
    zone = ZoneInfo(str(case["zone"]))
    now = datetime.fromisoformat(str(case["now"])).replace(tzinfo=zone)
    found = resolver(str(case["text"]), now, zone)
    expect = case["expect"]
    if found is None:
        return "right" if expect is None else "blank"
    if not isinstance(expect, dict):
        return "wrong"
    start, end = (t.astimezone(zone) if t else None for t in found)
    grain = str(expect["grain"])
    if start is None or not _same(start, str(expect["start"]), grain):
        return "wrong"
    end_grain = "day" if grain == "day" else "minute"
    if expect["end"] and not _end_ok(end, str(expect["end"]), end_grain):
        return "wrong"
    return "right"


@dataclass
class Score:
    """Counts of right, wrong and blank, overall and per kind."""

    total: Counter[str] = field(default_factory=Counter)
    kinds: dict[str, Counter[str]] = field(default_factory=dict)
    misses: list[tuple[dict[str, object], str]] = field(default_factory=list)

    def rate(self, outcome: str, kind: str | None = None) -> float:
        counts = self.total if kind is None else self.kinds[kind]
        return counts[outcome] / max(1, sum(counts.values()))


def score(cases: list[dict[str, object]], resolver: Resolver) -> Score:
    result = Score()
    for case in cases:
        outcome = judge(case, resolver)
        result.total[outcome] += 1
        result.kinds.setdefault(str(case["kind"]), Counter())[outcome] += 1
        if outcome != "right":
            result.misses.append((case, outcome))
    return result
