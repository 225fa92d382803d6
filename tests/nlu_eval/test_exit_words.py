"""A message that says no booking is wanted is a way out, whatever the classifier heard; one
that refuses an offer or names what to do instead is not (nlu_components/exit_phrases.py,
which Rasa's ExitWords component calls)."""

from __future__ import annotations

import pytest

from nlu_components.exit_phrases import exit_intent

LEAVES = [("no i don't want to book anything", "deny"), ("i didn't ask for an appointment", "deny"),
          ("not booking, thanks", "deny"), ("i'm not looking for an appointment", "deny"),
          ("don't book anything", "book"), ("i wasn't trying to book", "book"),
          ("abort this booking", "book"), ("i don't need a booking", "nlu_fallback")]
STAYS = [("no, don't book it", "deny"), ("no i don't want that one", "deny"),
         ("no, i don't want anything else", "deny"), ("no thanks", "deny"),
         ("book a haircut friday", "book"), ("cancel the friday one and book monday", "book"),
         ("no appointments on monday please", "inform"), ("i dont want to book with ana", "book"),
         ("i don't want to book anything", "affirm"),  # not a reading it corrects
         ("stop", "stop")]


@pytest.mark.parametrize(("text", "heard"), LEAVES)
def test_no_booking_wanted_is_stop(text: str, heard: str) -> None:
    assert exit_intent(text, heard) == "stop"


@pytest.mark.parametrize(("text", "heard"), STAYS)
def test_a_refusal_a_request_or_another_reading_is_left_alone(text: str, heard: str) -> None:
    assert exit_intent(text, heard) is None
