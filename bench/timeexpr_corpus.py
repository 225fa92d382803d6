"""Accuracy of ``scheduling.timeexpr`` on the project's own time-phrase corpus.

    python bench/timeexpr_corpus.py [--show dev]

Prints, per split (dev, held_out) and per kind, the share of right answers, wrong values
and blanks, for the project's resolver and for plain dateparser in the same run. ``--show
dev`` lists the dev misses; the held-out split is for totals only (never tune on it).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from scheduling.timeexpr import resolve  # noqa: E402
from tests.timeexpr.corpus_score import SPLITS, Resolver, Score, load, score  # noqa: E402


def project(text: str, now: datetime, zone: ZoneInfo) -> tuple[datetime, datetime | None] | None:
    found = resolve(text, now, zone)
    return (found.start, found.end) if found else None


def dateparser_baseline(text: str, now: datetime,
                        zone: ZoneInfo) -> tuple[datetime, datetime | None] | None:
    import dateparser

    found = dateparser.parse(text, languages=["en"], settings={
        "RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "future",
        "TIMEZONE": str(zone), "TO_TIMEZONE": str(zone), "RETURN_AS_TIMEZONE_AWARE": True})
    return (found, None) if found else None


def _line(label: str, s: Score, kind: str | None = None) -> str:
    n = sum((s.total if kind is None else s.kinds[kind]).values())
    return (f"{label:<28} n={n:<4} right {s.rate('right', kind):.3f}  wrong "
            f"{s.rate('wrong', kind):.3f}  blank {s.rate('blank', kind):.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=["dev"], help="list the misses of the dev split")
    args = parser.parse_args()
    resolvers: dict[str, Resolver] = {"project": project, "dateparser": dateparser_baseline}
    for split in SPLITS:
        cases = load(split)
        scores = {name: score(cases, resolver) for name, resolver in resolvers.items()}
        for name, s in scores.items():
            print(_line(f"{split} {name}", s))
        for kind in sorted(scores["project"].kinds):
            print("  " + _line(f"{kind}", scores["project"], kind))
        if args.show == split:
            for case, outcome in scores["project"].misses:
                got = project(str(case["text"]), datetime.fromisoformat(str(case["now"])).replace(
                    tzinfo=ZoneInfo(str(case["zone"]))), ZoneInfo(str(case["zone"])))
                print(f"    {outcome:<5} {case['kind']:<15} {case['text']!r} want "
                      f"{case['expect']} got {got}")


if __name__ == "__main__":
    main()
