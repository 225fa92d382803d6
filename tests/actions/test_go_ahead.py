"""At "Shall I book it?", an order to go ahead ("yes, make the appointment", "book it") is a
yes. The classifier hears such messages as `book`, not `affirm`, and the read-back used to be
asked again; a `book` message that says something new stays a change, not a yes."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.booking_form import ValidateBookingForm
from actions.parsing import goes_ahead
from scheduling.catalog import Catalog
from tests.actions.conftest import slots_of, tracker
from tests.actions.test_booking import CUT, DOMAIN


@pytest.mark.parametrize("text", [
    "yes, make the appointment", "book it", "Yes please book it", "go ahead and book it",
    "confirm", "ok make the booking please", "yep book me in thanks",
])
def test_orders_to_go_ahead(text: str) -> None:
    assert goes_ahead(text)


@pytest.mark.parametrize("text", [
    "book me in for friday", "make it friday", "book a men's cut", "yes but with Ana",
    "book it for 3pm", "", "no", "book another one", "can you book it on monday",
])
def test_messages_that_say_more_are_not_a_go_ahead(text: str) -> None:
    assert not goes_ahead(text)


async def _confirm(text: str, intent: str) -> dict[str, Any]:
    slots = {"service": CUT, "staff": "any", "when": "earliest", "customer_name": "Jo Lee",
             "phone": "+17185550199", "email": "skip"}
    state = tracker(text, intent, slots, "booking_confirmed", loop="booking_form")
    return slots_of(await ValidateBookingForm().run(CollectingDispatcher(), state, DOMAIN))


@pytest.mark.db
async def test_a_go_ahead_heard_as_book_confirms_the_read_back(salon: Catalog) -> None:
    assert (await _confirm("yes, make the appointment", "book")).get("booking_confirmed") is True


@pytest.mark.db
async def test_a_new_request_heard_as_book_confirms_nothing(salon: Catalog) -> None:
    assert not (await _confirm("book a men's cut on friday", "book")).get("booking_confirmed")
