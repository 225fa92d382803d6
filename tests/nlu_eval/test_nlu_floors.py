"""Issue 18's intent targets, held on the project's own evaluation set through the trained model.

`bench/nlu_eval.py` prints the figures; this test holds the floors on both splits: booking
requests start the booking flow (>= 0.95), answers given inside the booking form abort it at
most 1% of the time, off-topic messages start a flow at most 3% of the time (the issue's
targets), and ways out leave the form (>= 0.75, a floor of this project's own).
The evaluation lines must not be training examples.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.nlu_eval import SET_NAMES, Server, Tally, evaluate, in_training_data

pytestmark = [pytest.mark.rasa, pytest.mark.slow]

FLOORS = {("requests", "starts booking"): (">=", 0.95), ("answers", "aborts"): ("<=", 0.01),
          ("exits", "leaves"): (">=", 0.75), ("offtopic", "starts a flow"): ("<=", 0.03)}


@pytest.fixture(scope="module")
def tallies() -> Iterator[dict[tuple[str, str], Tally]]:
    server = Server(Path(tempfile.mkdtemp(prefix="nlu-floors-")))
    try:
        server.wait()
        yield evaluate(server.intent)
    finally:
        server.stop()


def test_no_evaluation_line_is_a_training_example() -> None:
    assert in_training_data() == set()


@pytest.mark.parametrize("split", ["dev", "held-out"])
@pytest.mark.parametrize(("name", "figure"), list(FLOORS))
def test_floor(tallies: dict[tuple[str, str], Tally], name: str, figure: str,
               split: str) -> None:
    assert name in SET_NAMES
    tally = tallies[(name, split)]
    assert tally.n >= 10
    sign, floor = FLOORS[(name, figure)]
    share = tally.share(figure)
    assert share >= floor if sign == ">=" else share <= floor, (
        f"{name} {split}: {figure} {share:.3f}, floor {sign} {floor}")
