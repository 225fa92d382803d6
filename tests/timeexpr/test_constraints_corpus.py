"""The constraint corpus (tests/timeexpr/constraints_corpus) stays above its floors.

Set a little under what the reader reached when they were set (dev 1.000, held-out 1.000,
no wrong constraint in either): a change that reads refusals, bounds or several days wrongly
fails here. A wrong constraint has its own ceiling, since every offer then obeys a rule the
customer never stated.
"""

from __future__ import annotations

import pytest

from tests.timeexpr.constraints_score import SPLITS, load, score

FLOORS = {"dev": (0.98, 0.0), "held_out": (0.9, 0.04)}  # (right at least, wrong at most)


@pytest.mark.parametrize("split", SPLITS)
def test_constraint_corpus_split_stays_above_its_floor(split: str) -> None:
    result = score(load(split))
    right, wrong = FLOORS[split]
    shown = [] if split == "held_out" else result.misses
    assert result.rate("right") >= right, shown
    assert result.rate("wrong") <= wrong, shown


def test_corpus_covers_every_kind_with_negatives() -> None:
    kinds = {case["kind"] for split in SPLITS for case in load(split)}
    assert {"exclusion", "bound", "ends_by", "several_days", "negative"} <= kinds
