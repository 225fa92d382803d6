"""A question inside a booking request is answered as the booking goes on: "can I book a
women's cut friday, how much is it?" gets the price and then the offers.

A message heard as a question (`ask_price`, ...) is answered by the rules; this is for the
one heard as a booking or an answer, whose question would otherwise go unanswered.
"""

from __future__ import annotations

import re
from uuid import UUID

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import speech
from scheduling.catalog import Catalog
from scheduling.errors import NotFound

ASKS_ABOUT_SERVICE = re.compile(
    r"\b(how much|what does it cost|what('s| is) the (price|cost)|price|cost|costs"
    r"|how long( does it| will it| is it)?)\b", re.I)
HEARD_AS_REQUEST = {"book", "inform", "affirm", "nlu_fallback"}


def answer(dispatcher: CollectingDispatcher, tracker: Tracker, catalog: Catalog) -> None:
    """The price and length of the service being booked, when the request asked for them."""
    message = tracker.latest_message or {}
    intent = (message.get("intent") or {}).get("name")
    service = tracker.get_slot("service")
    if intent not in HEARD_AS_REQUEST or not ASKS_ABOUT_SERVICE.search(message.get("text") or ""):
        return
    try:
        named = catalog.service(UUID(str(service)))
    except (ValueError, NotFound):
        return  # no service settled yet ("a haircut, how much?" is asked which first)
    currency = catalog.business.policies.currency
    dispatcher.utter_message(text=speech.service_line(named, currency) + ".")
