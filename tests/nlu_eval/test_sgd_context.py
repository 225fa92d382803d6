"""bench/nlu_sgd.py judges a first booking turn after our bot's own counterpart of the
dialogue's previous system turn: an offer to book where the system offered, "anything else?"
where it asked that, an answer that asks nothing otherwise."""

from __future__ import annotations

import pytest

from bench.nlu_sgd import context_events


def said_before(system: str | None) -> tuple[str | None, object]:
    events = context_events(system)
    actions = [e["name"] for e in events if e["event"] == "action" and e["name"] != "action_listen"]
    slots = [e["value"] for e in events if e["event"] == "slot"]
    return (actions[0] if actions else None), (slots[0] if slots else "unset")


@pytest.mark.parametrize(
    "system",
    ["Would you like to make an appointment?", "Shall I book an appointment with this therapist?",
     "Want to visit her?", "I can reserve you a spot there if you like.",
     "Should I see if he has an opening."],
)
def test_an_offer_to_book_is_our_answer_that_offers(system: str) -> None:
    assert said_before(system) == ("action_answer_question", True)


@pytest.mark.parametrize(
    ("system", "expected"),
    [("Is there anything else that you need?", ("utter_anything_else", "unset")),
     ("The address is 2516 Samaritan Drive.", ("action_answer_question", None)),
     ("You can reach them at 707-226-9912 and visit them at 575 Lincoln Avenue",
      ("action_answer_question", None)),
     (None, (None, "unset"))],
)
def test_other_turns_offer_nothing(system: str | None, expected: tuple[str | None, object]
                                   ) -> None:
    assert said_before(system) == expected


def test_the_context_ends_listening() -> None:
    assert context_events("Do you want to book an appointment?")[-1] == {
        "event": "action", "name": "action_listen"}
