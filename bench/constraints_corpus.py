"""Accuracy of the constraint reader (``scheduling.timeexpr.constraints``) on its corpus.

    python bench/constraints_corpus.py [--show dev]

Prints, per split (dev, held_out) and per kind, the share of right constraints, wrong ones
and blanks. ``--show dev`` lists the dev misses; the held-out split is for totals only.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.timeexpr.constraints_score import SPLITS, load, score  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", choices=["dev"], help="list the misses of a split")
    args = parser.parse_args()
    for split in SPLITS:
        cases = load(split)
        result = score(cases)
        print(f"{split}: {len(cases)} phrases  right {result.rate('right'):.3f}  "
              f"wrong {result.rate('wrong'):.3f}  blank {result.rate('blank'):.3f}")
        for kind, counts in sorted(result.by_kind.items()):
            print(f"  {kind:<14} right {counts['right']}/{sum(counts.values())}")
        if args.show == split:
            for text, verdict, got in result.misses:
                print(f"  {verdict}: {text!r} -> {got}")


if __name__ == "__main__":
    main()
